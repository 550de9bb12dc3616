"""The pruner keeps exactly what retention says, in batches, on both stores: generated histories
(runs of every status around the cutoff, outputs around their TTL, targets, actions, deliveries,
outbox mail) are checked against an independent reckoning, also after a prune that fails
halfway; and no write transaction of a prune scans a table (SQLite's write lock is held only
for rows found by key)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Table, event, insert, select
from sqlalchemy.engine import Connection, Engine

from bench.kit.factories import make_automation, make_org
from bench.kit.rows import completed_run_row
from models.engine import READ_ONLY_OPTION
from models.store.retention import prune
from models.tables import table_of
from models.tables.deliveries import Delivery, OutboxMessage
from models.tables.runs import RUN_STATUSES, AutomationRun, RunAction, RunTarget

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DAYS = 30
CUTOFF = NOW - timedelta(days=DAYS)
RUNS, TARGETS, ACTIONS = table_of(AutomationRun), table_of(RunTarget), table_of(RunAction)
DELIVERIES, OUTBOX = table_of(Delivery), table_of(OutboxMessage)


@dataclass
class History:
    runs: dict[int, dict[str, Any]]  # id -> the row as written
    deliveries: dict[int, dict[str, Any]]
    outbox: dict[int, datetime]


def _around(rng: random.Random, at: datetime) -> datetime:
    """An instant at, just before or just after `at` (the boundaries are where TTLs go wrong)."""
    return at + timedelta(minutes=rng.choice((-90, -1, 0, 0, 1, 90)))


def _insert(conn: Connection, table: Table, row: dict[str, Any]) -> int:
    return int(conn.execute(insert(table).values(row).returning(table.c.id)).scalar_one())


def _history(engine: Engine, seed: int, runs: int = 40) -> History:
    rng = random.Random(seed)
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, overlap_policy="allow")
    history = History({}, {}, {})
    with engine.begin() as conn:
        for i in range(runs):
            row = completed_run_row(org.org_id, auto.id or 0, _around(rng, CUTOFF))
            row |= {"status": rng.choice(RUN_STATUSES), "scheduled_for": NOW + timedelta(hours=i)}
            if rng.random() < 0.6:
                row |= {"output": f"Dear candidate {i}", "output_expires_at": _around(rng, NOW)}
            run_id = _insert(conn, RUNS, row)
            history.runs[run_id] = row
            for n in range(rng.randint(0, 2)):
                conn.execute(
                    insert(TARGETS).values(
                        run_id=run_id, target_type="candidate", target_ref=str(n), detail={}
                    )
                )
                conn.execute(
                    insert(ACTIONS).values(
                        run_id=run_id, position=n, action_type="render", detail={}
                    )
                )
            if rng.random() < 0.5:
                delivery = {
                    "org_id": org.org_id,
                    "run_id": run_id,
                    "occurrence_key": f"o{i}",
                    "channel": "email",
                    "recipient_key": "r",
                    "message_id": f"<{i}@x>",
                    "status": "sent",
                    "attempts": 1,
                    "resent_after_unknown": False,
                    "created_at": _around(rng, CUTOFF),
                }
                history.deliveries[_insert(conn, DELIVERIES, delivery)] = delivery
        for i in range(runs // 4):
            at = _around(rng, CUTOFF)
            mail = {"org_id": org.org_id, "message_id": f"<m{i}@x>", "to_addr": "a@b.test"}
            mail |= {"subject": "s", "raw": "Dear candidate", "created_at": at}
            history.outbox[_insert(conn, OUTBOX, mail)] = at
    return history


def _kept(row: dict[str, Any]) -> bool:
    return bool(row["created_at"] >= CUTOFF or row["status"] in ("pending", "running"))


def _expected_output(row: dict[str, Any]) -> str | None:
    expires = row.get("output_expires_at")
    return None if expires is None or expires <= NOW else str(row["output"])


def _stored(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {
            "runs": {r.id: r.output for r in conn.execute(select(RUNS.c.id, RUNS.c.output))},
            "targets": sorted(conn.scalars(select(TARGETS.c.run_id))),
            "actions": sorted(conn.scalars(select(ACTIONS.c.run_id))),
            "deliveries": dict(conn.execute(select(DELIVERIES.c.id, DELIVERIES.c.run_id)).all()),
            "outbox": set(conn.scalars(select(OUTBOX.c.id))),
        }


def _assert_exactly_retention(engine: Engine, history: History, before: dict[str, Any]) -> None:
    now = _stored(engine)
    kept = {i for i, row in history.runs.items() if _kept(row)}
    assert now["runs"] == {i: _expected_output(history.runs[i]) for i in kept}
    assert now["targets"] == [i for i in before["targets"] if i in kept]
    assert now["actions"] == [i for i in before["actions"] if i in kept]
    assert now["deliveries"] == {
        i: (d["run_id"] if d["run_id"] in kept else None)
        for i, d in history.deliveries.items()
        if d["created_at"] >= CUTOFF
    }
    assert now["outbox"] == {i for i, at in history.outbox.items() if at >= CUTOFF}


@pytest.mark.parametrize("seed", [1, 2])
def test_a_batched_prune_keeps_exactly_what_retention_says(engine: Engine, seed: int) -> None:
    history = _history(engine, seed)
    before = _stored(engine)
    report = prune(engine, now=NOW, retention_days=DAYS, batch=3)
    _assert_exactly_retention(engine, history, before)
    assert report.runs_deleted == sum(not _kept(r) for r in history.runs.values())
    assert report.outbox_deleted == sum(at < CUTOFF for at in history.outbox.values())
    cleared = [r for r in history.runs.values() if r.get("output") and not _expected_output(r)]
    assert report.outputs_cleared == len(cleared)


class Interrupted(Exception):
    pass


def test_a_prune_failing_halfway_loses_nothing_it_should_keep(engine: Engine) -> None:
    history = _history(engine, seed=3, runs=60)
    before = _stored(engine)
    deletes: list[str] = []

    def fail_second_batch(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE FROM AUTOMATION_RUNS"):
            deletes.append(statement)
            if len(deletes) == 2:
                raise Interrupted

    event.listen(engine, "before_cursor_execute", fail_second_batch)
    try:
        with pytest.raises(Interrupted):
            prune(engine, now=NOW, retention_days=DAYS, batch=3)
    finally:
        event.remove(engine, "before_cursor_execute", fail_second_batch)

    halfway = _stored(engine)
    kept = {i for i, row in history.runs.items() if _kept(row)}
    gone = set(history.runs) - set(halfway["runs"])
    assert len(gone) == 3 and not gone & kept  # the first batch, and only runs past retention
    for run_id in halfway["runs"]:  # a run that is still there has all of its rows
        assert halfway["targets"].count(run_id) == before["targets"].count(run_id)
        assert halfway["actions"].count(run_id) == before["actions"].count(run_id)
    assert not set(halfway["targets"] + halfway["actions"]) & gone
    assert not set(halfway["deliveries"].values()) & gone

    prune(engine, now=NOW, retention_days=DAYS, batch=3)  # the next prune carries on
    _assert_exactly_retention(engine, history, before)


def test_no_write_transaction_of_a_prune_scans_a_table(sqlite_engine: Engine) -> None:
    engine = sqlite_engine  # the write lock held for a scan is SQLite's
    _history(engine, seed=4)
    writes: list[tuple[str, Any]] = []

    def capture(conn: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if not conn.get_execution_options().get(READ_ONLY_OPTION):
            writes.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        prune(engine, now=NOW, retention_days=DAYS, batch=3)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans: list[str] = []
    with engine.connect() as conn:
        for statement, params in writes:
            if statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
                continue
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            plans.extend(str(row[-1]) for row in rows)
    assert plans and not [p for p in plans if p.startswith("SCAN")]
