"""Testing an event automation runs it on the latest event that passes its filter, or on a
sample built from the ATS records when none has arrived, says which, and never counts as a
failure of the automation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.orgs import get_user
from models.store.polls import move_demo_candidate
from models.store.run_history import list_runs
from skills.ats.seed import seed_demo

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def prep_automation(tools: Toolset, who: Actor) -> int:
    return tools.create_automation(
        who,
        AutomationSpec(
            name="Interview prep",
            skill="interview-prep",
            trigger_type="event",
            event_type="candidate.stage_changed",
            event_filter={"to_stage": "Interview"},
            output_channel="email",
            to=["me"],
        ),
    ).id


def test_an_event_automation_is_tested_on_the_latest_matching_event_or_a_sample(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=20)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    admin = Actor.of(get_user(engine, demo.admin_id))
    automation_id = prep_automation(tools, admin)

    # no event yet: a sample from the ATS, said as such
    sampled = tools.test(admin, automation_id)
    assert sampled.status == "completed", sampled.error_message
    assert sampled.note and "a sample built from candidate" in sampled.note
    assert sampled.note.endswith("(no matching event has arrived yet).")

    # a move into Interview: the test runs on that event
    [event_id, *_] = move_demo_candidate(
        engine, org_id=demo.org_id, candidate_id=3, stage="Interview", now=NOW
    )
    tested = tools.test(admin, automation_id)
    assert tested.status == "completed", tested.error_message
    assert tested.note == (
        f"Tested on the latest matching event (#{event_id}, candidate.stage_changed)."
    )
    assert tested.summary["candidate_id"] == 3

    # tests are no failures of the automation, and change nothing about it
    stored = get_automation(engine, demo.org_id, automation_id)
    assert (stored.consecutive_failures, stored.last_run_status) == (0, None)
    runs = list_runs(engine, demo.org_id, automation_id=automation_id)
    assert {(r.triggered_by, r.status) for r in runs} == {("test", "completed")}


def test_with_nothing_to_test_on_nothing_is_run_and_the_answer_says_why(engine: Engine) -> None:
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    member = Actor.of(get_user(engine, org.member_id))
    automation_id = prep_automation(tools, member)
    with pytest.raises(InvalidInput, match=r"Nothing to test with yet.*Nothing was run"):
        tools.test(member, automation_id)
    assert list_runs(engine, org.org_id, automation_id=automation_id) == []
