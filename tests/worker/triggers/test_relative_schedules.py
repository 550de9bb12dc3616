"""Relative schedules: a run 30 minutes before each interview follows the interview when it
moves and disappears (skipped, interview_cancelled) when it is cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bench.kit.factories import OrgFixture, make_automation, make_org
from models.settings import TriggerSettings
from models.store.events import add_connection
from models.store.relative_schedules import relative_occurrences
from models.store.run_history import list_runs
from models.tables.automations import Automation
from models.tables.events import AtsConnection
from tests.worker.triggers.trigger_support import put_event
from worker.triggers.processor import InboxProcessor

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STARTS = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def _setup(engine: Engine, offset: int) -> tuple[OrgFixture, AtsConnection, Automation]:
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
        event_type="interview.scheduled",
        next_run_at=None,
        event_filter={"relative_to": "interview.starts_at", "offset_minutes": offset},
    )
    return org, connection, auto


def _interview(
    event_type: str, starts_at: datetime | None = None, interview_id: str = "iv-1"
) -> dict[str, str]:
    data = {"interview_id": interview_id, "candidate_id": "7", "application_id": "70"}
    if starts_at is not None:
        data["starts_at"] = starts_at.isoformat()
    return data


def _process(engine: Engine, now: datetime = NOW) -> None:
    InboxProcessor(engine, TriggerSettings(), "test")(now)


def test_a_scheduled_interview_gets_one_run_thirty_minutes_before_it(engine: Engine) -> None:
    org, connection, auto = _setup(engine, -30)
    put_event(engine, connection, "interview.scheduled", _interview("", STARTS), now=NOW)
    _process(engine)
    [run] = list_runs(engine, org.org_id, automation_id=auto.id)
    assert run.status == "pending" and run.triggered_by == "event"
    assert run.scheduled_for == run.not_before == STARTS - timedelta(minutes=30)
    assert run.trigger_data["interview_id"] == "iv-1"


def test_a_rescheduled_interview_moves_its_run(engine: Engine) -> None:
    org, connection, auto = _setup(engine, 2 * 24 * 60)
    put_event(engine, connection, "interview.scheduled", _interview("", STARTS), now=NOW)
    _process(engine)
    moved = STARTS + timedelta(days=1, hours=2)
    put_event(
        engine,
        connection,
        "interview.rescheduled",
        _interview("", moved),
        now=NOW + timedelta(hours=1),
    )
    _process(engine, NOW + timedelta(hours=1))
    [run] = list_runs(engine, org.org_id, automation_id=auto.id)
    assert run.status == "pending"
    assert run.scheduled_for == run.not_before == moved + timedelta(days=2)
    [occurrence] = relative_occurrences(engine, org.org_id, "interview:iv-1")
    assert occurrence.fires_at == moved + timedelta(days=2) and occurrence.run_id == run.id


def test_a_cancelled_interview_cancels_its_run(engine: Engine) -> None:
    org, connection, auto = _setup(engine, -30)
    put_event(engine, connection, "interview.scheduled", _interview("", STARTS), now=NOW)
    put_event(
        engine,
        connection,
        "interview.scheduled",
        _interview("", STARTS, interview_id="iv-2"),
        now=NOW,
    )
    _process(engine)
    put_event(engine, connection, "interview.cancelled", _interview(""), now=NOW)
    _process(engine)
    runs = {
        r.trigger_data["interview_id"]: r
        for r in list_runs(engine, org.org_id, automation_id=auto.id)
    }
    assert (runs["iv-1"].status, runs["iv-1"].skipped_reason) == ("skipped", "interview_cancelled")
    assert runs["iv-2"].status == "pending"
    [occurrence] = relative_occurrences(engine, org.org_id, "interview:iv-1")
    assert occurrence.status == "cancelled"


def test_a_reschedule_never_seen_scheduled_creates_the_run_and_a_replay_adds_none(
    engine: Engine,
) -> None:
    org, connection, auto = _setup(engine, -30)
    for _ in range(2):
        put_event(engine, connection, "interview.rescheduled", _interview("", STARTS), now=NOW)
    _process(engine)
    [run] = list_runs(engine, org.org_id, automation_id=auto.id)
    assert run.scheduled_for == STARTS - timedelta(minutes=30)
