"""Retention: delete full outputs past their TTL, run history and processed ATS events past
the retention period, and expired drafts.

The rows to go are found by reads, which on SQLite take no write lock; they are then cleared or
deleted `BATCH` at a time, each batch in a write transaction of its own that rechecks its rows by
primary key. So a prune of a table of a million runs never holds SQLite's write lock for a
scan of it, and a prune interrupted between batches has deleted whole runs only (each with its
targets and actions) and kept every row it should: the next prune carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, delete, select, update
from sqlalchemy.engine import Connection, Engine

from models.engine import read_only
from models.tables import table_of
from models.tables.deliveries import Delivery, OutboxMessage
from models.tables.runs import AutomationRun, RunAction, RunTarget

#: rows one write transaction clears or deletes at most
BATCH = 500

_runs = table_of(AutomationRun)


@dataclass(frozen=True, slots=True)
class PruneReport:
    outputs_cleared: int
    runs_deleted: int
    outbox_deleted: int


def prune(engine: Engine, *, now: datetime, retention_days: int, batch: int = BATCH) -> PruneReport:
    """Delete full outputs past their TTL, and finished runs (with their rows) and outbox mail
    older than the retention period. Queued and running runs are never touched."""
    cutoff = now - timedelta(days=retention_days)
    cleared = _clear_expired_outputs(engine, now, batch)
    old_runs = (_runs.c.created_at < cutoff) & _runs.c.status.notin_(("pending", "running"))
    runs = delete_in_batches(engine, _runs, old_runs, batch=batch, remove=_delete_runs)
    outbox = table_of(OutboxMessage)
    mail = delete_in_batches(engine, outbox, outbox.c.created_at < cutoff, batch=batch)
    deliveries = table_of(Delivery)
    delete_in_batches(engine, deliveries, deliveries.c.created_at < cutoff, batch=batch)
    return PruneReport(cleared, runs, mail)


def _clear_expired_outputs(engine: Engine, now: datetime, batch: int) -> int:
    """Clear full outputs whose TTL ended by `now`, found through their partial index (a
    cleared row leaves it, so each read starts from its front)."""
    expires = _runs.c.output_expires_at
    expired = expires.is_not(None) & (expires <= now)
    cleared = 0
    while True:
        with read_only(engine).connect() as conn:
            ids = list(
                conn.scalars(select(_runs.c.id).where(expired).order_by(expires).limit(batch))
            )
        if not ids:
            return cleared
        with engine.begin() as conn:
            done = conn.execute(
                update(_runs)
                .where(_runs.c.id.in_(ids), expired)
                .values(output=None, output_expires_at=None)
            ).rowcount
        cleared += int(done or 0)
        if len(ids) < batch or not done:
            return cleared


def delete_in_batches(
    engine: Engine,
    table: Table,
    condition: ColumnElement[bool],
    *,
    batch: int = BATCH,
    remove: Callable[[Connection, list[int]], int] | None = None,
) -> int:
    """Delete the rows of `table` (keyed by `id`) matching `condition`: found in id order by
    reads, `batch` ids at a time, each batch's ids that still match handed to `remove` (by
    default: delete them) in a write transaction of its own. Returns how many it removed."""
    remove = remove or _delete(table)
    removed, after = 0, 0
    while True:
        with read_only(engine).connect() as conn:
            ids = list(
                conn.scalars(
                    select(table.c.id)
                    .where(table.c.id > after, condition)
                    .order_by(table.c.id)
                    .limit(batch)
                )
            )
        if not ids:
            return removed
        with engine.begin() as conn:
            still = list(conn.scalars(select(table.c.id).where(table.c.id.in_(ids), condition)))
            if still:
                removed += remove(conn, still)
        if len(ids) < batch:
            return removed
        after = ids[-1]


def _delete_runs(conn: Connection, ids: list[int]) -> int:
    """Delete runs with their targets and actions; their deliveries stay (deduplication keys)
    until their own retention, no longer pointing at them."""
    deliveries = table_of(Delivery)
    conn.execute(update(deliveries).where(deliveries.c.run_id.in_(ids)).values(run_id=None))
    conn.execute(delete(table_of(RunTarget)).where(table_of(RunTarget).c.run_id.in_(ids)))
    conn.execute(delete(table_of(RunAction)).where(table_of(RunAction).c.run_id.in_(ids)))
    return int(conn.execute(delete(_runs).where(_runs.c.id.in_(ids))).rowcount or 0)


def _delete(table: Table) -> Callable[[Connection, list[int]], int]:
    def remove(conn: Connection, ids: list[int]) -> int:
        return int(conn.execute(delete(table).where(table.c.id.in_(ids))).rowcount or 0)

    return remove
