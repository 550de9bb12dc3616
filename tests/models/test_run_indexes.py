"""The run table's hot queries use its indexes: each store call below runs for real, its SQL is
captured and EXPLAINed on both databases (PostgreSQL with sequential scans priced out, so the
plan shows whether an index can serve the query at all, whatever the table's size)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.store.completions import RunCompletion, complete_runs
from models.store.event_runs import automations_with_runs_by_event, event_runs_since
from models.store.retention import prune
from models.store.run_history import list_runs, runs_started_since
from models.store.run_queue import (
    claim_pending_runs,
    next_wakeup,
    queue_run,
    rescue_expired_runs,
    stuck_lease_count,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _captured(engine: Engine, call: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The statements on automation_runs that `call` sent, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "automation_runs" in statement and not statement.lstrip().upper().startswith("INSERT"):
            seen.append((statement, params[0] if isinstance(params, list) else params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert seen, "the call sent no statement on automation_runs"
    return seen


def _plan(engine: Engine, statement: str, params: Any) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            return "\n".join(str(row[-1]) for row in rows)
        conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
        conn.rollback()
        return "\n".join(str(row[0]) for row in rows)


def _plans(engine: Engine, call: Callable[[], Any]) -> str:
    return "\n---\n".join(_plan(engine, s, p) for s, p in _captured(engine, call))


@pytest.fixture
def store(engine: Engine) -> dict[str, Any]:
    """An organisation, an automation with a queued, a leased and an expired run."""
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, overlap_policy="allow")
    ids = [
        queue_run(
            engine,
            automation_id=auto.id or 0,
            org_id=org.org_id,
            triggered_by="manual",
            now=NOW + timedelta(seconds=i),
        )
        for i in range(3)
    ]
    return {"org": org, "auto": auto, "runs": ids}


def test_claiming_queued_runs_uses_the_pending_index(engine: Engine, store: dict[str, Any]) -> None:
    claim = lambda: claim_pending_runs(  # noqa: E731
        engine, now=NOW + timedelta(minutes=1), worker_id="w", lease_seconds=60, limit=1
    )
    assert "ix_runs_pending" in _plans(engine, claim)
    assert "ix_runs_pending" in _plans(engine, lambda: next_wakeup(engine))


def test_rescue_and_completion_use_the_running_index(engine: Engine, store: dict[str, Any]) -> None:
    later = NOW + timedelta(minutes=1)
    [claimed] = claim_pending_runs(engine, now=later, worker_id="w", lease_seconds=60, limit=1)
    expired = later + timedelta(minutes=5)
    assert "ix_runs_running" in _plans(engine, lambda: stuck_lease_count(engine, now=expired))
    rescue = lambda: rescue_expired_runs(  # noqa: E731
        engine, now=expired, worker_id="w2", lease_seconds=60, limit=10
    )
    assert "ix_runs_running" in _plans(engine, rescue)
    done = RunCompletion(run=claimed, status="completed", completed_at=expired, duration_ms=1)
    complete = lambda: complete_runs(  # noqa: E731
        engine, [done], worker_id="w2", now=expired, pause_after=3, logged_quota=lambda _: None
    )
    # the automation goes back to idle once no run of it is running: a probe per completion,
    # served by an index of the automation's runs (SQLite's planner may pick either one)
    plan = _plans(engine, complete)
    assert "ix_runs_running" in plan or "ix_runs_automation_id" in plan, plan


def test_history_and_limits_use_their_indexes(engine: Engine, store: dict[str, Any]) -> None:
    org, auto = store["org"], store["auto"]
    history = lambda: list_runs(  # noqa: E731
        engine, org.org_id, automation_id=auto.id, before_id=store["runs"][-1], limit=20
    )
    assert "ix_runs_automation_id" in _plans(engine, history)
    started = lambda: runs_started_since(engine, [org.org_id], NOW)  # noqa: E731
    assert "ix_runs_org_started" in _plans(engine, started)
    events = lambda: event_runs_since(engine, org.org_id, NOW)  # noqa: E731
    assert "ix_runs_org_event_created" in _plans(engine, events)
    by_event = lambda: automations_with_runs_by_event(engine, [1, 2])  # noqa: E731
    assert "ix_runs_event" in _plans(engine, by_event)


def test_the_pruner_finds_expired_outputs_by_index(engine: Engine, store: dict[str, Any]) -> None:
    plans = _plans(engine, lambda: prune(engine, now=NOW, retention_days=30))
    assert "ix_runs_output_expiry" in plans.split("---")[0]
