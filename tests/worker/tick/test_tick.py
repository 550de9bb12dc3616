"""The DB tick, store-agnostic: every test runs on SQLite and on PostgreSQL (`engine` fixture).

Time is an argument: each tick gets an explicit instant, and every expected instant is written by
hand in UTC. 2026 changes used: US (America/Los_Angeles) springs forward 2026-03-08 10:00Z
(02:00 PST -> 03:00 PDT); UK (Europe/London) falls back 2026-10-25 01:00Z (02:00 BST -> 01:00 GMT).
"""

from __future__ import annotations

import gc
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from bench.kit.factories import make_automation, make_org
from models.store.deliveries import list_outbox
from models.store.run_history import get_run, list_runs
from models.store.run_queue import queue_run
from models.tables.runs import RunAction, RunTarget
from tests.worker.tick.tick_support import at, iso, new_worker, reload, runs_of
from worker.tick.report import TICK_GC_THRESHOLDS

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


# --------------------------------------------------------------------------- on time


def test_a_cron_automation_runs_once_at_its_time_records_lag_and_reschedules(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="0 9 * * *")
    assert auto.next_run_at == at("2026-03-02T09:00:00Z")
    worker = new_worker(engine)

    assert worker.tick(now=at("2026-03-02T08:59:59Z")).claimed == 0
    report = worker.tick(now=at("2026-03-02T09:00:30Z"))
    assert report.statuses == {"completed": 1}

    (run,) = runs_of(engine, auto)
    assert (run.status, run.triggered_by, run.attempt) == ("completed", "schedule", 1)
    assert run.scheduled_for == at("2026-03-02T09:00:00Z")
    assert run.started_at == at("2026-03-02T09:00:30Z")
    assert run.lag_ms == 30_000
    assert run.started_at - run.scheduled_for == timedelta(seconds=30)
    stored = reload(engine, auto)
    assert stored.next_run_at == at("2026-03-03T09:00:00Z")
    assert (stored.status, stored.last_run_status) == ("idle", "completed")

    # a second tick in the same minute (or another worker) runs nothing
    assert worker.tick(now=at("2026-03-02T09:00:50Z")).claimed == 0
    assert new_worker(engine).tick(now=at("2026-03-02T09:00:59Z")).claimed == 0
    assert len(runs_of(engine, auto)) == 1


def test_a_tick_relaxes_the_garbage_collector_only_while_it_runs(engine: Engine) -> None:
    org = make_org(engine, NOW)
    make_automation(engine, org, NOW, cron="0 9 * * *")
    worker = new_worker(engine)
    seen: list[tuple[int, int, int]] = []
    worker.before_claim.append(lambda _now: seen.append(gc.get_threshold()))
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert worker.tick(now=at("2026-03-02T09:00:30Z")).statuses == {"completed": 1}
        assert seen == [TICK_GC_THRESHOLDS]
        assert gc.get_threshold() == (700, 10, 10)
        # a process that turned automatic collection off keeps it off
        gc.set_threshold(0, 10, 10)
        worker.tick(now=at("2026-03-02T09:01:30Z"))
        assert seen[-1] == (0, 10, 10) and gc.get_threshold() == (0, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_a_tick_leaves_its_runs_in_the_database_file_not_only_in_its_log(
    sqlite_engine: Engine,
) -> None:
    # the tick checkpoints the write-ahead log from a thread of its own (the database file,
    # read without its log, holds the run): a commit of the tick never has to
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, cron="0 9 * * *")
    database = sqlite_engine.url.database
    assert database is not None
    immutable = sqlite3.connect(f"file:{database}?immutable=1", uri=True)
    try:
        query = "SELECT status FROM automation_runs WHERE automation_id = ?"
        assert immutable.execute(query, (auto.id,)).fetchall() == []
        worker = new_worker(sqlite_engine)
        assert worker.tick(now=at("2026-03-02T09:00:30Z")).statuses == {"completed": 1}
        immutable.close()
        immutable = sqlite3.connect(f"file:{database}?immutable=1", uri=True)
        assert immutable.execute(query, (auto.id,)).fetchall() == [("completed",)]
    finally:
        immutable.close()
    assert [t for t in threading.enumerate() if t.name == "wal-checkpoint"] == []


# --------------------------------------------------------------------------- daylight saving


@pytest.mark.parametrize(
    ("cron", "tz", "created", "expected", "decoys"),
    [
        (
            "30 2 * * *",
            "America/Los_Angeles",
            "2026-03-07T00:00:00Z",
            # 02:30 PST; 02:30 does not exist on 03-08 -> 03:30 PDT; 02:30 PDT
            ["2026-03-07T10:30:00Z", "2026-03-08T10:30:00Z", "2026-03-09T09:30:00Z"],
            # where a wrong implementation would fire (03-08 09:30Z = 01:30 PST, 03-09 10:30Z
            # = 03:30 PDT)
            ["2026-03-08T09:30:00Z", "2026-03-09T10:30:00Z"],
        ),
        (
            "30 1 * * *",
            "Europe/London",
            "2026-10-23T12:00:00Z",
            # 01:30 BST; 01:30 twice on 10-25: the first (BST) only; 01:30 GMT
            ["2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
            # the second 01:30 of 10-25 (GMT) must not fire
            ["2026-10-25T01:30:00Z", "2026-10-26T00:30:00Z"],
        ),
    ],
    ids=["los-angeles-spring-forward", "london-fall-back"],
)
def test_daylight_saving_days_fire_once_each_at_the_hand_written_instants(
    engine: Engine, cron: str, tz: str, created: str, expected: list[str], decoys: list[str]
) -> None:
    org = make_org(engine, at(created))
    auto = make_automation(engine, org, at(created), cron=cron, tz=tz)
    worker = new_worker(engine)
    ticks = sorted(
        {at(e) + timedelta(minutes=m) for e in expected for m in (0, 1, 3)}
        | {at(d) for d in decoys}
    )
    for instant in ticks:
        worker.tick(now=instant)

    runs = runs_of(engine, auto)
    assert [iso(r.scheduled_for) for r in runs] == expected
    assert {r.status for r in runs} == {"completed"}
    assert [r.lag_ms for r in runs] == [0, 0, 0]  # each ran at its own instant


# --------------------------------------------------------------------------- manual and test


def test_manual_and_test_runs_use_the_same_path_and_never_move_the_schedule(
    engine: Engine,
) -> None:
    now = at("2026-03-02T10:00:00Z")
    org = make_org(engine, now)
    auto = make_automation(
        engine, org, now, cron="0 9 * * *", channel="email", consecutive_failures=2
    )
    paused = make_automation(
        engine,
        org,
        now,
        cron="0 9 * * *",
        channel="email",
        name="paused one",
        enabled=False,
        status="paused",
        paused_reason="paused by its owner",
    )
    before = [reload(engine, a) for a in (auto, paused)]
    worker = new_worker(engine)  # no SMTP server configured: email goes to the outbox

    manual = queue_run(
        engine,
        automation_id=auto.id or 0,
        org_id=org.org_id,
        triggered_by="manual",
        requested_by=org.member_id,
        now=now,
    )
    # (queued a second apart: runs queued at the same instant share scheduled_for, and the
    # occurrence guard refuses a second attempt-1 row for it)
    test = queue_run(
        engine,
        automation_id=auto.id or 0,
        org_id=org.org_id,
        triggered_by="test",
        requested_by=org.member_id,
        now=now + timedelta(seconds=1),
    )
    manual_paused = queue_run(
        engine,
        automation_id=paused.id or 0,
        org_id=org.org_id,
        triggered_by="manual",
        requested_by=org.member_id,
        now=now,
    )
    report = worker.tick(now=now + timedelta(seconds=5))
    assert report.statuses == {"completed": 3}

    for run_id in (manual, test, manual_paused):
        detail = get_run(engine, org.org_id, run_id)
        assert detail.run.status == "completed"
        assert detail.run.output and detail.run.output_hash
        assert [a.action_type for a in detail.actions] == ["render", "deliver"]
        render = detail.actions[0]
        assert (render.position, render.status) == (0, "completed")
        assert render.started_at == render.completed_at == detail.run.completed_at
        assert render.detail == {"skill": auto.skill, "mode": "deterministic"}
        assert "render" not in detail.run.metrics
        listed = [r for r in list_runs(engine, org.org_id, limit=10) if r.id == run_id]
        assert listed and "render" not in listed[0].metrics
    # a run whose skill planned no actions keeps its render step, its delivery step and the
    # recipients it went to in the run row: no detail rows are written for it
    with engine.connect() as conn:
        for table in (RunAction, RunTarget):
            stored = conn.execute(
                select(col(table.run_id)).where(
                    col(table.run_id).in_([manual, test, manual_paused])
                )
            ).all()
            assert stored == []
    for run_id in (manual, manual_paused):
        detail = get_run(engine, org.org_id, run_id)
        deliver = detail.actions[1]
        assert (deliver.position, deliver.status, deliver.error) == (1, "completed", None)
        assert deliver.started_at == deliver.completed_at == detail.run.completed_at
        assert deliver.detail["channel"] == "email" and deliver.detail["sent"] == 1
        recipients = [t for t in detail.targets if t.target_type == "recipient"]
        assert [(t.status, len(t.target_ref)) for t in recipients] == [("completed", 16)]
        assert "delivery" not in detail.run.metrics
        assert detail.run.metrics["delivered"] == 1
    test_detail = get_run(engine, org.org_id, test)
    assert test_detail.actions[1].status == "skipped"
    assert test_detail.actions[1].skipped_reason == "test_run"
    assert test_detail.actions[1].started_at is None
    assert [t for t in test_detail.targets if t.target_type == "recipient"] == []

    # the manual runs each sent one message; the test sent nothing to anyone
    outbox = list_outbox(engine)
    assert len(outbox) == 2
    assert {m.to_addr for m in outbox} == {org.member_email}

    for old, new in zip(before, [reload(engine, a) for a in (auto, paused)], strict=True):
        assert new.next_run_at == old.next_run_at
        assert new.consecutive_failures == old.consecutive_failures
        assert (new.enabled, new.paused_reason) == (old.enabled, old.paused_reason)
    assert reload(engine, auto).status == "idle"
    assert reload(engine, paused).status == "paused"


# --------------------------------------------------------------------------- schema guard


def test_an_occurrence_attempt_can_exist_only_once(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW)
    slot = at("2026-03-02T09:00:00Z")
    common: dict[str, Any] = {
        "automation_id": auto.id or 0,
        "org_id": org.org_id,
        "triggered_by": "schedule",
        "now": NOW,
        "scheduled_for": slot,
    }
    queue_run(engine, **common)
    queue_run(engine, **common, attempt=2)  # another attempt of the same occurrence is fine
    with pytest.raises(IntegrityError):
        queue_run(engine, **common)
    assert [r.attempt for r in runs_of(engine, auto)] == [1, 2]
