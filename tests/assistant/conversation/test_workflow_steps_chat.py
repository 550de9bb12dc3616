"""Several steps on one event, in a conversation: one draft says each step, one "yes" makes
one automation holding them in order, and it is listed, shown, paused by its words, resumed and
deleted as one; a step left out is named in the draft and nothing of it is created."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.errors import InvalidInput
from models.settings import TriggerSettings, load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user
from models.store.polls import move_demo_candidate
from models.tables.demo_ats import AtsApplication
from models.tables.runs import AutomationRun, RunAction
from skills.ats.seed import seed_demo
from worker.tick.factory import add_trigger_hooks
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)
REQUEST = (
    "When a candidate reaches Offer, email the hiring manager, then create a task to prepare "
    "the contract due in 2 days and post it in #hiring"
)


def test_a_workflow_is_confirmed_listed_paused_and_deleted_as_one(engine: Engine) -> None:
    org = make_org(engine, NOW)
    member = Actor.of(get_user(engine, org.member_id))
    chat = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    draft = say(REQUEST)
    assert "- Step 1: Email the job's hiring manager" in draft, draft
    assert (
        "- Step 2: A task for you “Prepare the contract for the candidate's name” due in 2 days"
        in draft
    )
    assert "- Output" not in draft and "- Step 3" not in draft, draft
    assert "“post it in #hiring”" in draft and "left out" in draft, draft
    assert list_automations(engine, org.org_id) == []  # nothing before "yes"

    done = say("yes")
    (auto,) = list_automations(engine, org.org_id)
    assert done.startswith(f"Activated #{auto.id} “Workflow: when a candidate moves to Offer”")
    assert (auto.skill, auto.trigger_type, auto.event_type) == (
        "workflow", "event", "candidate.stage_changed")  # fmt: skip
    assert auto.event_filter == {"to_stage": "Offer"}
    assert [a["type"] for a in auto.params["actions"]] == ["send_email", "create_task"]
    assert auto.output_channel == "noop"  # its steps send; it delivers nothing itself

    listed = say("list my automations")
    assert listed.count("#") == 1 and f"#{auto.id} Workflow" in listed, listed
    assert say("pause the offer workflow").startswith(f"Paused #{auto.id}")
    shown = say("show it")
    assert "(paused)" in shown and "- Step 2: A task for you" in shown, shown
    assert "- Output" not in shown, shown
    assert say("resume it").startswith(f"Resumed #{auto.id}")
    assert say(f"delete #{auto.id}").startswith(f"Delete #{auto.id}")
    assert say("yes").startswith(f"Deleted #{auto.id}")
    assert list_automations(engine, org.org_id) == []


def test_one_report_to_two_places_is_made_paused_and_deleted_together(engine: Engine) -> None:
    """Two channels: one automation each, the same report and schedule, made by one "yes"
    (both or neither); "pause them" and "delete them" then mean both."""
    org = make_org(engine, NOW)
    member = Actor.of(get_user(engine, org.member_id))
    settings = load_settings(slack_bot_token="xoxb-configured")
    chat = ConversationEngine(Toolset(engine, settings, clock=lambda: NOW))

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    draft = say("every monday at 9 send my pipeline summary to me and post it in #hiring")
    assert "- Output: email to you\n- Also: Slack message to the #hiring channel" in draft, draft
    assert draft.endswith("Confirm to activate both?"), draft
    done = say("yes")
    first, second = sorted(list_automations(engine, org.org_id), key=lambda a: a.id or 0)
    assert done.startswith(f"Activated #{first.id} “{first.name}” and #{second.id}"), done
    assert second.name == f"{first.name} (#hiring)"
    for auto, channel, to in ((first, "email", ["me"]), (second, "slack", ["#hiring"])):
        assert (auto.skill, auto.cron_expression, auto.timezone) == ("pipeline-report",
                                                                     "0 9 * * 1", "UTC")  # fmt: skip
        assert (auto.output_channel, auto.output_config["to"]) == (channel, to)
        assert auto.params == first.params
    assert say("pause them").startswith("Pause")
    say("yes")
    assert [a.enabled for a in list_automations(engine, org.org_id)] == [False, False]
    say("delete them")
    say("yes")
    assert list_automations(engine, org.org_id) == []


def test_an_output_that_cannot_be_made_leaves_nothing_made(engine: Engine) -> None:
    org = make_org(engine, NOW)
    member = Actor.of(get_user(engine, org.member_id))
    tools = Toolset(engine, load_settings(slack_bot_token=""), clock=lambda: NOW)
    drafted = tools.draft_automation(
        member, "every monday at 9 email my pipeline summary to me, then post it in #hiring"
    )
    assert drafted.draft["also"] == [{"channel": "slack", "to": ["#hiring"]}]
    assert drafted.draft["can_activate"] is False and "Slack is not configured" in drafted.summary
    chat = ConversationEngine(tools)
    chat.handle(Turn(member, "c", tz="UTC"), "every monday at 9 send my pipeline to me and "
                "post it in #hiring")  # fmt: skip
    refused = chat.handle(Turn(member, "c", tz="UTC"), "yes")
    assert refused.kind == "error" and "Slack is not configured" in refused.text, refused.text
    assert list_automations(engine, org.org_id) == []


def test_the_workflow_said_in_words_runs_its_steps_when_a_candidate_reaches_offer(
    sqlite_engine: Engine,
) -> None:
    """From words to work: the hiring manager gets the email and the task is made, each step
    with its own result, when a demo candidate is moved to Offer."""
    start = NOW - timedelta(hours=1)
    demo = seed_demo(sqlite_engine, now=start, candidates=8)
    admin = Actor.of(get_user(sqlite_engine, demo.admin_id))
    chat = ConversationEngine(Toolset(sqlite_engine, load_settings(), clock=lambda: NOW))
    chat.handle(Turn(admin, "c", tz="UTC"), REQUEST)
    chat.handle(Turn(admin, "c", tz="UTC"), "yes")
    with Session(sqlite_engine) as s:
        candidate = s.scalars(
            select(col(AtsApplication.candidate_id)).where(
                col(AtsApplication.org_id) == demo.org_id, col(AtsApplication.stage) != "Offer"
            )
        ).first()
    assert candidate is not None
    move_demo_candidate(
        sqlite_engine, org_id=demo.org_id, candidate_id=candidate, stage="Offer", now=NOW
    )
    worker = Worker(sqlite_engine, load_settings(smtp_host=None))
    add_trigger_hooks(worker, TriggerSettings())
    for second in range(1, 4):
        worker.tick(NOW + timedelta(seconds=second))
    with Session(sqlite_engine) as s:
        run = s.scalars(
            select(AutomationRun).where(col(AutomationRun.triggered_by) == "event")
        ).one()
        steps = s.scalars(
            select(RunAction)
            .where(col(RunAction.run_id) == run.id, col(RunAction.action_type) != "render")
            .order_by(col(RunAction.position))
        ).all()
    assert run.status == "completed", run
    assert [(a.action_type, a.status) for a in steps] == [
        ("send_email", "completed"),
        ("create_task", "completed"),
    ], [(a.action_type, a.status, a.error) for a in steps]
    assert steps[0].detail["to"] == "hiring_manager"


def test_a_workflow_s_steps_change_in_words_and_never_into_a_schedule(engine: Engine) -> None:
    """On the draft and once active: "due in 3 days" is the task's, not a run in 3 days; "also
    …" adds a step; a schedule is refused in one line and changes nothing."""
    org = make_org(engine, NOW)
    member = Actor.of(get_user(engine, org.member_id))
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    chat = ConversationEngine(tools)

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    say(
        "When a candidate reaches Offer, email the hiring manager and create a task to prepare the contract"
    )
    changed = say("make the task due in 3 days")
    assert "- Trigger: When a candidate moves to Offer" in changed, changed
    assert "“Prepare the contract for the candidate's name” due in 3 days" in changed, changed
    added = say("also email the candidate saying “Congratulations on the offer”")
    assert "- Step 3: Email the candidate “Congratulations on the offer”" in added, added
    assert "not on a schedule" in say("every monday at 9am")
    say("yes")
    (auto,) = list_automations(engine, org.org_id)
    assert [a["type"] for a in auto.params["actions"]] == [
        "send_email",
        "create_task",
        "send_email",
    ]
    assert auto.params["actions"][1]["due_in_days"] == 3
    view = tools.update_in_words(member, auto.id or 0, "make the task due in 2 weeks")
    assert view.params["actions"][1]["due_in_days"] == 14 and view.trigger_type == "event"
    refused = chat.handle(Turn(member, "c", tz="UTC"), f"move #{auto.id} to 8am")
    assert refused.kind == "error", refused.text
    with pytest.raises(InvalidInput, match="not on a schedule"):
        tools.update_in_words(member, auto.id or 0, "every monday at 9am")
    (kept,) = list_automations(engine, org.org_id)
    assert (kept.trigger_type, kept.cron_expression) == ("event", None)
