"""A stage named in a request is checked against the organisation's stages when it is drafted,
on both stores: a name that is none of them is one line naming the stages there are, and
nothing can be confirmed; one that is (in any case or form, or the one stage holding its words)
is kept as the ATS spells it, and the automation confirmed holds it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.engine import session_scope
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user
from models.tables.demo_ats import AtsStage

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
STAGES = ("Applied", "Phone Screen", "Onsite", "Offer")


def test_a_stage_is_checked_against_the_organisations_stages(engine: Engine) -> None:
    org = make_org(engine, NOW)
    with session_scope(engine) as session:
        for position, name in enumerate((*STAGES, "Hired")):
            session.add(AtsStage(org_id=org.org_id, name=name, position=position))
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)

    unknown = tools.draft_automation(
        me, "every friday email me candidates in the Final Round stage"
    )
    assert unknown.id is None and unknown.status == "question"
    assert unknown.question == (
        "There is no 'Final Round' stage in your ATS; the stages are: "
        "Applied, Phone Screen, Onsite, Offer."
    )
    assert list_automations(engine, org.org_id) == []

    for said, kept in (("onsite", "Onsite"), ("screening", "Phone Screen"), ("Offers", "Offer")):
        draft = tools.draft_automation(me, f"every weekday at 8am show me who's stuck in {said}")
        assert draft.status == "ok" and draft.id is not None, draft.question
        assert draft.draft["params"]["stage"] == kept
        assert f"only those in {kept}" in draft.summary
    assert draft.id is not None
    view = tools.confirm_draft(me, draft.id)
    assert view.skill == "stale-candidate-sla"
    assert view.params["stage"] == "Offer" and view.params["measure"] == "stage"
