"""A job named in a request is one the organisation's ATS has, or the user is told, on both
stores: an event filter's job and an alert's jobs are compared with the ATS's titles exactly
when the automation runs, so a name that is no title would never match. Generated titles are
named as they are spelled, in another case, by a word only one of them starts with, by a word
several hold, and by a word none holds; through drafting, creating, and `skilltick chat`."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from assistant.tools.workflows import EmailStep, FieldStep, TaskStep
from bench.kit.factories import make_org
from models.engine import session_scope
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import get_automation, list_automations
from models.store.orgs import get_user
from models.tables.demo_ats import AtsJob
from tests.chat_process import chat_home, chat_replies

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
AREAS = ("Backend", "Frontend", "Platform", "Payments", "Mobile", "Security", "Growth")
ROLES = ("Engineer", "Designer", "Analyst", "Manager")


def generated_titles(rng: random.Random) -> list[str]:
    """Distinct "Area Role" titles, each area once, the first two (at least) sharing a role."""
    areas = rng.sample(AREAS, 4)
    roles = [rng.choice(ROLES)] * 2 + [rng.choice(ROLES) for _ in range(2)]
    return [f"{area} {role}" for area, role in zip(areas, roles, strict=True)]


def _org_with_jobs(engine: Engine, titles: list[str]) -> tuple[Toolset, Actor]:
    org = make_org(engine, NOW)
    with session_scope(engine) as session:
        for title in titles:
            session.add(
                AtsJob(org_id=org.org_id, title=title, department="Product", created_at=NOW)
            )
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    return Toolset(engine, load_settings(), clock=lambda: NOW), me


def _alert(job: str) -> str:
    return f"when someone applies for the {job} job, email me"


@pytest.mark.parametrize("seed", [3, 11])
def test_a_job_named_is_one_the_ats_has_or_the_user_is_told(engine: Engine, seed: int) -> None:
    rng = random.Random(seed)
    titles = generated_titles(rng)
    tools, me = _org_with_jobs(engine, titles)
    title = rng.choice(titles)
    area, shared = title.split()[0], titles[0].split()[1]

    for said in (title, title.lower(), title.upper()):  # as spelled, any case: kept as the ATS's
        draft = tools.draft_automation(me, _alert(said))
        assert draft.status == "ok", draft.question
        assert draft.draft["event"]["filter"]["job"] == title
        assert "I took" not in draft.summary

    partial = tools.draft_automation(me, _alert(area.lower()))  # one title starts with it
    assert partial.status == "ok" and partial.id is not None, partial.question
    assert partial.draft["event"]["filter"]["job"] == title
    took = f"I took “{area}” to mean the {title} job.".lower()
    assert took in partial.summary.lower()
    view = tools.confirm_draft(me, partial.id)
    assert get_automation(engine, me.org_id, view.id).event_filter["job"] == title

    several = tools.draft_automation(me, _alert(shared))  # two titles hold it: asked which
    assert several.id is None and several.status == "question"
    holding = [t for t in titles if t.endswith(f" {shared}")]
    listed = ", ".join(holding[:-1]) + f" or {holding[-1]}"
    assert several.question == f"Which job do you mean by “{shared}”: {listed}?"

    unknown = tools.draft_automation(me, _alert("Astronaut"))
    assert unknown.id is None and unknown.question is not None
    assert unknown.question.startswith("No job is called “Astronaut”; the open jobs include: ")
    assert "\n" not in unknown.question and all(t in unknown.question for t in titles)
    assert len(list_automations(engine, me.org_id)) == 1  # the one confirmed


def test_creating_with_a_job_filter_or_param_spells_it_as_the_ats(sqlite_engine: Engine) -> None:
    titles = generated_titles(random.Random(5))
    tools, me = _org_with_jobs(sqlite_engine, titles)
    base = AutomationSpec(
        name="Applied",
        skill="event-alert",
        trigger_type="event",
        event_type="application.created",
        event_filter={"job": titles[-1].lower()},
    )
    made = tools.create_automation(me, base)
    assert get_automation(sqlite_engine, me.org_id, made.id).event_filter["job"] == titles[-1]
    params = {"jobs": [titles[-1].split()[0], titles[0].upper()]}
    alert = base.model_copy(
        update={"skill": "new-candidate-alert", "params": params, "event_filter": {}}
    )
    alert = alert.model_copy(update={"trigger_type": "cron", "cron": "0 9 * * 1"})
    made = tools.create_automation(me, alert)
    assert made.params["jobs"] == [titles[-1], titles[0]]
    for job, line in (
        (titles[0].split()[1], r"^Which job do you mean by "),
        ("Astronaut", r"^No job is called “Astronaut”; the open jobs include: "),
    ):
        with pytest.raises(InvalidInput, match=line):
            tools.create_automation(me, base.model_copy(update={"event_filter": {"job": job}}))
    assert len(list_automations(sqlite_engine, me.org_id)) == 2

    # a change naming a job is checked as creating is; one leaving the names as they are is not
    changed = tools.update_automation(me, made.id, {"params": {"jobs": [titles[1].lower()]}})
    assert changed.params["jobs"] == [titles[1]]
    with pytest.raises(InvalidInput, match=r"^No job is called “Astronaut”"):
        tools.update_automation(me, made.id, {"params": {"jobs": ["Astronaut"]}})
    with session_scope(sqlite_engine) as session:  # the job is gone from the ATS since
        for gone in session.scalars(select(AtsJob).where(col(AtsJob.title) == titles[1])):
            session.delete(gone)
    kept = tools.update_automation(me, made.id, {"name": "Still the same jobs"})
    assert kept.params["jobs"] == [titles[1]]


def test_a_workflow_names_a_job_the_ats_has(sqlite_engine: Engine) -> None:
    tools, me = _org_with_jobs(sqlite_engine, ["Backend Engineer", "Frontend Engineer"])
    steps: list[EmailStep | TaskStep | FieldStep] = [TaskStep(title="Prepare the contract")]
    made = tools.draft_workflow(me, "when a candidate for the backend job reaches Offer", steps)
    assert made.draft["event"]["filter"]["job"] == "Backend Engineer"
    assert "I took “Backend” to mean the Backend Engineer job." in made.summary
    with pytest.raises(InvalidInput, match=r"^Which job do you mean by “Engineer”: Backend"):
        tools.draft_workflow(me, "when a candidate for the Engineer job reaches Offer", steps)


def test_with_no_jobs_known_the_name_stays_and_the_read_back_says_so(
    sqlite_engine: Engine,
) -> None:
    tools, me = _org_with_jobs(sqlite_engine, [])
    draft = tools.draft_automation(me, _alert("Backend"))
    assert draft.status == "ok" and draft.draft["event"]["filter"]["job"] == "Backend"
    assert "the job title must match the ATS's exactly" in draft.summary


def test_skilltick_chat_says_which_job_it_took(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    try:
        org = make_org(engine, NOW, slug="acme")
        with session_scope(engine) as session:
            for title in ("Backend Engineer", "Frontend Engineer"):
                session.add(
                    AtsJob(org_id=org.org_id, title=title, department="Eng", created_at=NOW)
                )
        user = ["--org", "acme", "--user", org.member_email]
        said = [_alert("Backend"), "yes", _alert("Engineer"), "frontend engineer"]
        drafted, made, asked, answered = chat_replies(env, NOW, user, said)
        assert drafted["kind"] == "draft"
        assert "I took “Backend” to mean the Backend Engineer job." in drafted["text"]
        assert made["kind"] == "done"
        assert asked["kind"] == "question"
        assert asked["text"] == (
            "Which job do you mean by “Engineer”: Backend Engineer or Frontend Engineer?"
        )
        assert [c["say"] for c in asked["choices"]] == ["Backend Engineer", "Frontend Engineer"]
        assert answered["kind"] == "draft"  # the title answered, read in the request again
        assert "When someone applies for the Frontend Engineer job" in answered["text"]
        [unknown] = chat_replies(env, NOW, user, [_alert("Astronaut")])
        assert "No job is called “Astronaut”; the open jobs include: Backend" in unknown["text"]
        [auto] = list_automations(engine, org.org_id)
        assert auto.event_filter["job"] == "Backend Engineer"
    finally:
        engine.dispose()
