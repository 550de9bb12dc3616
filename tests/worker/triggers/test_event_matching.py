"""Processing the inbox: filters pick the automations, runs carry the event, reprocessing
doubles nothing, runaway protection records skipped runs, reactions see every event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bench.kit.factories import OrgFixture, make_automation, make_org
from models.settings import Settings, TriggerSettings
from models.store.event_runs import queue_event_run
from models.store.events import add_connection, claim_received, get_event
from models.store.run_history import list_runs
from models.tables.automations import Automation
from tests.worker.triggers.trigger_support import put_event
from worker.tick.factory import build_worker
from worker.triggers.processor import InboxProcessor
from worker.triggers.reactions import ReactionEvent, register, unregister

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MOVE = {
    "candidate_id": "7",
    "application_id": "70",
    "from_stage": "Screen",
    "to_stage": "Interview",
    "job": "Backend Engineer",
    "department": "Engineering",
    "owner_id": "2",
}


def _listener(
    engine: Engine,
    org: OrgFixture,
    event_filter: dict[str, object],
    event_type: str = "candidate.stage_changed",
) -> Automation:
    return make_automation(
        engine,
        org,
        NOW,
        cron=None,
        trigger_type="event",
        event_type=event_type,
        event_filter=event_filter,
        next_run_at=None,
    )


def _processor(engine: Engine, **limits: Any) -> InboxProcessor:
    return InboxProcessor(engine, TriggerSettings(**limits), "test-worker")


def test_filters_on_stage_job_department_and_owner_pick_the_automations(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="x" * 16, now=NOW
    )
    wanted = [
        _listener(engine, org, {}),
        _listener(engine, org, {"to_stage": "interview"}),
        _listener(engine, org, {"from_stage": ["Applied", "Screen"], "job": "Backend Engineer"}),
        _listener(engine, org, {"department": "Engineering", "owner": "me"}),
    ]
    unwanted = [
        _listener(engine, org, {"to_stage": "Offer"}),
        _listener(engine, org, {"job": "Data Analyst"}),
        _listener(engine, org, {"owner_id": "99"}),
        _listener(engine, org, {}, event_type="candidate.hired"),
    ]
    event_id = put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW)
    report = _processor(engine)(NOW)
    assert report.runs_queued == len(wanted)
    for auto in wanted:
        [run] = list_runs(engine, org.org_id, automation_id=auto.id)
        assert (run.status, run.triggered_by, run.event_id) == ("pending", "event", event_id)
        assert run.trigger_data["to_stage"] == "Interview"
        assert run.trigger_data["event"] == "candidate.stage_changed"
    for auto in unwanted:
        assert list_runs(engine, org.org_id, automation_id=auto.id) == []
    event = get_event(engine, event_id)
    assert (event.status, event.runs_started) == ("processed", len(wanted))


def test_the_tick_that_processes_an_event_also_runs_what_it_queued(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="x" * 16, now=NOW
    )
    auto = _listener(engine, org, {"to_stage": "Interview"})
    put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW)
    report = build_worker(engine, Settings()).tick(NOW)
    assert report.claimed == 1
    [run] = list_runs(engine, org.org_id, automation_id=auto.id)
    assert run.status == "completed"


def test_an_event_processed_again_after_a_crash_starts_no_second_run(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="x" * 16, now=NOW
    )
    auto = _listener(engine, org, {})
    event_id = put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW)
    processor = _processor(engine)
    [event] = claim_received(engine, now=NOW, worker_id="dies", lease_seconds=60, limit=10)
    # the first worker queued the run, then died before marking the event processed
    queue_event_run(
        engine,
        automation_id=auto.id or 0,
        org_id=org.org_id,
        event_id=event_id,
        chain_depth=0,
        trigger_data={},
        scheduled_for=NOW,
        now=NOW,
    )
    assert processor(NOW).events == 0  # still leased to the dead worker
    later = NOW + timedelta(seconds=61)
    assert processor(later).events == 1
    assert len(list_runs(engine, org.org_id, automation_id=auto.id)) == 1
    assert get_event(engine, event.id).status == "processed"


def test_an_event_deep_in_a_chain_is_recorded_as_a_skipped_run(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="demo", secret="", now=NOW, poll_interval_minutes=5
    )
    auto = _listener(engine, org, {})
    put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW, chain_depth=2)
    deep = put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW, chain_depth=3)
    _processor(engine, max_chain_depth=3)(NOW)
    runs = {r.event_id: r for r in list_runs(engine, org.org_id, automation_id=auto.id)}
    assert runs[deep].status == "skipped"
    assert runs[deep].skipped_reason == "chain_depth_exceeded"
    assert runs[deep].chain_depth == 3
    assert [r.status for e, r in runs.items() if e != deep] == ["pending"]


def test_events_beyond_the_organisation_rate_limit_are_recorded_as_skipped_runs(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW)
    other = make_org(engine, NOW, slug="other")
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="x" * 16, now=NOW
    )
    elsewhere = add_connection(
        engine, org_id=other.org_id, provider="generic", secret="x" * 16, now=NOW
    )
    auto = _listener(engine, org, {})
    theirs = _listener(engine, other, {})
    for _ in range(5):
        put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW)
    put_event(engine, elsewhere, "candidate.stage_changed", MOVE, now=NOW)
    report = _processor(engine, event_runs_per_minute=3)(NOW)
    statuses = sorted(
        (r.status, r.skipped_reason) for r in list_runs(engine, org.org_id, automation_id=auto.id)
    )
    assert statuses == [("pending", None)] * 3 + [("skipped", "event_rate_limited")] * 2
    assert report.skipped["event_rate_limited"] == 2
    assert [r.status for r in list_runs(engine, other.org_id, automation_id=theirs.id)] == [
        "pending"
    ]


def test_reactions_see_each_canonical_event_once_with_pii_free_data(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="x" * 16, now=NOW
    )
    seen: list[ReactionEvent] = []

    def end_enrolments(_engine: Engine, event: ReactionEvent, _now: datetime) -> None:
        seen.append(event)

    register(("candidate.hired", "candidate.rejected"), end_enrolments)
    try:
        put_event(engine, connection, "candidate.hired", MOVE, now=NOW)
        put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW)
        _processor(engine)(NOW)
        _processor(engine)(NOW)
    finally:
        unregister(end_enrolments)
    assert [(e.event_type, e.data["candidate_id"]) for e in seen] == [("candidate.hired", "7")]


def test_a_paused_automation_gets_no_event_runs(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="x" * 16, now=NOW
    )
    auto = make_automation(
        engine,
        org,
        NOW,
        cron=None,
        trigger_type="event",
        event_type="candidate.stage_changed",
        next_run_at=None,
        enabled=False,
    )
    put_event(engine, connection, "candidate.stage_changed", MOVE, now=NOW)
    assert _processor(engine)(NOW).runs_queued == 0
    assert list_runs(engine, org.org_id, automation_id=auto.id) == []
