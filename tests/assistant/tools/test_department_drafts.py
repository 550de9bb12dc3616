"""Departments named in a request are checked against the organisation's jobs when it is
drafted, on both stores: a department no job has is one line naming the departments there are,
and nothing can be confirmed; one that exists is kept as the ATS spells it, and the automation
confirmed holds it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.engine import session_scope
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user
from models.tables.demo_ats import AtsJob

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_department_is_checked_against_the_organisations_jobs(engine: Engine) -> None:
    org = make_org(engine, NOW)
    with session_scope(engine) as session:
        for title, department in (
            ("Backend Engineer", "Engineering"),
            ("Account Executive", "Sales"),
            ("Closed role", "Legal"),
        ):
            session.add(
                AtsJob(org_id=org.org_id, title=title, department=department, created_at=NOW)
            )
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)

    typo = tools.draft_automation(me, "every monday send me open roles for the Engneering team")
    assert typo.id is None and typo.status == "question"
    assert typo.question == (
        "No jobs in a 'Engneering' department; the departments are: Engineering, Legal, Sales."
    )
    assert list_automations(engine, org.org_id) == []

    draft = tools.draft_automation(
        me, "every monday at 9 send me hiring metrics, only engineering and sales jobs"
    )
    assert draft.status == "ok" and draft.id is not None
    assert draft.draft["params"]["departments"] == ["Engineering", "Sales"]
    assert "only jobs in Engineering or Sales" in draft.summary
    view = tools.confirm_draft(me, draft.id)
    assert view.skill == "hiring-metrics" and view.params["departments"] == ["Engineering", "Sales"]
