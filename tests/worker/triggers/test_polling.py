"""Polling ("virtual webhooks"): the first poll sets a baseline, later polls emit exactly the
changes, a failed poll loses and doubles nothing, and the demo ATS is pollable."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bench.kit.factories import make_org
from models.settings import TriggerSettings
from models.store.events import add_connection, list_events
from models.store.polls import demo_snapshot, move_demo_candidate
from models.store.sequences import create_sequence, enrol
from models.tables.events import AtsConnection
from models.tables.sequences import Enrolment
from skills.ats.seed import seed_demo
from worker.triggers.polling import DemoPollSource, Poller, PollSource
from worker.triggers.processor import InboxProcessor

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _app(candidate: str, stage: str, status: str = "active") -> dict[str, Any]:
    return {
        "candidate_id": candidate,
        "job_id": "3",
        "job": "Data Analyst",
        "department": "Operations",
        "stage": stage,
        "status": status,
        "stage_changed_at": NOW.isoformat(),
        "owner_id": "2",
    }


class FakeAts:
    """A PollSource whose state the test sets; `fail` makes the next snapshot raise."""

    def __init__(self) -> None:
        self.state: dict[str, Any] = {
            "candidates": {"1": {"owner_id": "2"}, "2": {"owner_id": "2"}},
            "applications": {"10": _app("1", "Applied"), "20": _app("2", "Screen")},
        }
        self.fail = False

    def snapshot(self) -> dict[str, Any]:
        if self.fail:
            self.fail = False
            raise ConnectionError("ATS unreachable")
        return copy.deepcopy(self.state)


def _poller(engine: Engine, ats: FakeAts) -> Poller:
    def factory(_engine: Engine, _connection: AtsConnection) -> PollSource:
        return ats

    return Poller(engine, TriggerSettings(), sources={"demo": factory})


def _events(engine: Engine, org_id: int) -> list[tuple[str | None, dict[str, Any]]]:
    return [(e.event_type, e.data) for e in reversed(list_events(engine, org_id, limit=100))]


def test_the_first_poll_sets_the_baseline_and_changes_become_exact_events(engine: Engine) -> None:
    org = make_org(engine, NOW)
    add_connection(
        engine, org_id=org.org_id, provider="demo", secret="", now=NOW, poll_interval_minutes=5
    )
    ats = FakeAts()
    poller = _poller(engine, ats)
    assert poller(NOW).events == 0
    assert list_events(engine, org.org_id) == []

    ats.state["candidates"]["3"] = {"owner_id": "2"}
    ats.state["applications"]["30"] = _app("3", "Applied")
    ats.state["applications"]["10"] = _app("1", "Screen")
    del ats.state["applications"]["20"]
    assert poller(NOW + timedelta(minutes=1)).polled == 0  # not due yet
    report = poller(NOW + timedelta(minutes=5))
    assert report.events == 4
    assert [
        (
            t,
            d.get("candidate_id"),
            d.get("application_id"),
            d.get("from_stage"),
            d.get("to_stage"),
            d.get("reason"),
        )
        for t, d in _events(engine, org.org_id)
    ] == [
        ("candidate.created", "3", None, None, None, None),
        ("candidate.stage_changed", "1", "10", "Applied", "Screen", None),
        ("application.created", "3", "30", None, None, None),
        ("candidate.withdrawn", "2", "20", None, None, "removed_from_ats"),
    ]
    assert poller(NOW + timedelta(minutes=10)).events == 0  # nothing changed since


def test_a_failed_poll_then_a_good_one_loses_nothing_and_doubles_nothing(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="demo", secret="", now=NOW, poll_interval_minutes=5
    )
    ats = FakeAts()
    poller = _poller(engine, ats)
    poller(NOW)
    ats.state["applications"]["10"] = _app("1", "Hired", "hired")
    ats.fail = True
    failed = poller(NOW + timedelta(minutes=5))
    assert failed.failed == [connection.id] and list_events(engine, org.org_id) == []
    # retried a minute later, not at the next interval
    assert poller(NOW + timedelta(minutes=6)).events == 2
    assert poller(NOW + timedelta(minutes=11)).events == 0
    assert [t for t, _ in _events(engine, org.org_id)] == [
        "candidate.stage_changed",
        "candidate.hired",
    ]


def test_a_demo_move_and_a_poll_of_the_demo_ats_report_the_change_once(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW, candidates=8)
    add_connection(
        engine, org_id=demo.org_id, provider="demo", secret="", now=NOW, poll_interval_minutes=5
    )
    poller = Poller(engine, TriggerSettings())
    poller(NOW)
    snapshot = DemoPollSource(
        engine, AtsConnection(org_id=demo.org_id, provider="demo", key="k", created_at=NOW)
    ).snapshot()
    app_id, app = next(
        (k, a)
        for k, a in snapshot["applications"].items()
        if a["status"] == "active" and a["stage"] != "Offer"
    )
    ids = move_demo_candidate(
        engine,
        org_id=demo.org_id,
        candidate_id=int(app["candidate_id"]),
        stage="Offer",
        now=NOW + timedelta(minutes=1),
    )
    assert len(ids) == 1
    assert poller(NOW + timedelta(minutes=5)).events == 0
    [(event_type, data)] = _events(engine, demo.org_id)
    assert event_type == "candidate.stage_changed"
    assert (data["application_id"], data["from_stage"], data["to_stage"]) == (
        app_id,
        app["stage"],
        "Offer",
    )


def test_hiring_a_demo_candidate_ends_their_sequence_enrolments(engine: Engine) -> None:

    demo = seed_demo(engine, now=NOW, candidates=8)
    snapshot = demo_snapshot(engine, demo.org_id)
    candidate = next(
        int(a["candidate_id"]) for a in snapshot["applications"].values() if a["status"] == "active"
    )
    sequence = create_sequence(
        engine,
        demo.org_id,
        "Bench nurture",
        [{"action": "create_task", "delay_seconds": 60, "subject": "Check in"}],
        now=NOW,
    )
    enrol(engine, demo.org_id, sequence, candidate, now=NOW)
    move_demo_candidate(
        engine,
        org_id=demo.org_id,
        candidate_id=candidate,
        stage="Hired",
        now=NOW + timedelta(minutes=1),
    )
    InboxProcessor(engine, TriggerSettings(), "test")(NOW + timedelta(minutes=1))
    with Session(engine) as session:
        [row] = session.exec(
            select(Enrolment).where(
                Enrolment.candidate_id == candidate, Enrolment.sequence_id == sequence
            )
        )
    assert (row.status, row.stop_reason) == ("stopped", "hired")
