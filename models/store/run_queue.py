"""The run queue: claiming pending runs under leases, rescuing expired ones, queueing runs.

The automations table drives cron/poll occurrences (next_run_at, claimed by
models.store.occurrences); the automation_runs table is both the history and the work queue. Claims are row-locked with FOR UPDATE SKIP LOCKED on
PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (models.engine), so a claim is one
atomic step. The unique (automation_id, scheduled_for, attempt) constraint is the last guard:
an occurrence attempt can exist once whatever the code does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnClause,
    and_,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from models.clock import utc
from models.engine import read_only
from models.store.audit import add_rows
from models.tables import table_of
from models.tables.audit import AuditEntry
from models.tables.automations import Automation
from models.tables.runs import AutomationRun

automations = table_of(Automation)
runs = table_of(AutomationRun)

# Statuses written into the SQL rather than bound: the queued and running runs have partial
# indexes (models.tables.runs), which a planner can only pick when it sees the value itself
# (a bound value, or a plan PostgreSQL caches for a prepared statement, hides it).
PENDING: ColumnClause[str] = literal_column("'pending'")
RUNNING: ColumnClause[str] = literal_column("'running'")


class ClaimedRun(NamedTuple):
    """A run leased to this worker, as its execution needs it (a named tuple: a tick builds
    one per run, and a frozen dataclass costs several times as much to build). Its
    trigger_data is read only (a claim's runs share theirs)."""

    run_id: int
    automation_id: int
    org_id: int
    triggered_by: str
    scheduled_for: datetime
    attempt: int
    started_at: datetime
    requested_by: int | None = None
    trigger_data: dict[str, Any] = {}
    missed_count: int = 0
    rescued: bool = False


def db_now(engine: Engine) -> datetime:
    """The database's clock: the one time workers on several hosts agree on."""
    with read_only(engine).connect() as conn:
        if conn.dialect.name == "postgresql":
            value = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
            return utc(value)
        raw = conn.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
        return datetime.fromisoformat(raw).replace(tzinfo=UTC)


def for_update(stmt: Any, conn: Connection, *, of: Any = None) -> Any:
    if conn.dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=True, of=of)
    return stmt


def _claimed(row: Any, started_at: datetime, *, rescued: bool = False) -> ClaimedRun:
    """A ClaimedRun from a run row selecting CLAIMED_COLUMNS."""
    return ClaimedRun(
        run_id=row.id,
        automation_id=row.automation_id,
        org_id=row.org_id,
        triggered_by=row.triggered_by,
        scheduled_for=utc(row.scheduled_for),
        attempt=row.attempt,
        started_at=started_at,
        requested_by=row.requested_by,
        trigger_data=row.trigger_data or {},
        missed_count=row.missed_count,
        rescued=rescued,
    )


def lag_ms(now: datetime, scheduled_for: datetime) -> int:
    return max(0, int((now - scheduled_for).total_seconds() * 1000))


#: what a claimed run carries to its execution; both ways of claiming select these for _claimed
CLAIMED_COLUMNS = (
    runs.c.id,
    runs.c.automation_id,
    runs.c.org_id,
    runs.c.triggered_by,
    runs.c.scheduled_for,
    runs.c.attempt,
    runs.c.requested_by,
    runs.c.trigger_data,
    runs.c.missed_count,
)


def claim_pending_runs(
    engine: Engine, *, now: datetime, worker_id: str, lease_seconds: int, limit: int
) -> list[ClaimedRun]:
    """Claim queued runs (manual, test, retries, events, buffered or caught-up occurrences)
    whose time has come. Apart from tests and `allow` automations, a run waits while its
    automation has a run going, and only one run per automation is claimed at a time."""
    lease_until = now + timedelta(seconds=lease_seconds)
    r, a = runs, automations
    with engine.begin() as conn:
        stmt = (
            select(
                *CLAIMED_COLUMNS,
                a.c.overlap_policy,
                a.c.status.label("automation_status"),
            )
            .join(a, a.c.id == r.c.automation_id)
            .where(
                r.c.status == PENDING,
                r.c.not_before <= now,
                or_(
                    r.c.triggered_by == "test",
                    a.c.overlap_policy == "allow",
                    a.c.status != "running",
                ),
            )
            .order_by(r.c.not_before, r.c.id)
            .limit(limit)
        )
        rows = conn.execute(for_update(stmt, conn, of=r)).all()
        chosen = []
        serialised: set[int] = set()
        for row in rows:
            exclusive = row.triggered_by != "test" and row.overlap_policy != "allow"
            if exclusive:
                if row.automation_id in serialised:
                    continue
                serialised.add(row.automation_id)
            chosen.append(row)
        if not chosen:
            return []
        conn.execute(
            update(r)
            .where(r.c.id == bindparam("b_id"))
            .values(
                status="running",
                lease_owner=worker_id,
                lease_expires_at=lease_until,
                started_at=now,
                lag_ms=bindparam("b_lag"),
            ),
            [{"b_id": row.id, "b_lag": lag_ms(now, utc(row.scheduled_for))} for row in chosen],
        )
        if serialised:
            conn.execute(
                update(a)
                .where(a.c.id.in_(serialised), a.c.status == "idle")
                .values(status="running", updated_at=now)
            )
    return [_claimed(row, now) for row in chosen]


def rescue_expired_runs(
    engine: Engine, *, now: datetime, worker_id: str, lease_seconds: int, limit: int
) -> list[ClaimedRun]:
    """Take over runs whose worker stopped renewing its lease (it died): same run row, new
    lease. Deliveries already recorded as sent are skipped when the run executes again."""
    lease_until = now + timedelta(seconds=lease_seconds)
    r = runs
    with engine.begin() as conn:
        stmt = (
            select(
                *CLAIMED_COLUMNS,
                r.c.started_at,
            )
            .where(r.c.status == RUNNING, r.c.lease_expires_at < now)
            .order_by(r.c.lease_expires_at, r.c.id)
            .limit(limit)
        )
        rows = conn.execute(for_update(stmt, conn)).all()
        if not rows:
            return []
        conn.execute(
            update(r)
            .where(r.c.id.in_([row.id for row in rows]), r.c.status == "running")
            .values(lease_owner=worker_id, lease_expires_at=lease_until)
        )
    return [
        _claimed(row, utc(row.started_at) if row.started_at else now, rescued=True) for row in rows
    ]


def renew_leases(engine: Engine, *, worker_id: str, run_ids: Sequence[int], until: datetime) -> int:
    """Extend this worker's leases on runs it is still executing."""
    if not run_ids:
        return 0
    with engine.begin() as conn:
        result = conn.execute(
            update(runs)
            .where(
                runs.c.id.in_(list(run_ids)),
                runs.c.lease_owner == worker_id,
                runs.c.status == "running",
            )
            .values(lease_expires_at=until)
        )
        return int(result.rowcount or 0)


def next_wakeup(engine: Engine) -> datetime | None:
    """The earliest time a queued run becomes due (for a worker deciding how long to sleep)."""
    with read_only(engine).connect() as conn:
        value = conn.execute(
            select(func.min(runs.c.not_before)).where(runs.c.status == PENDING)
        ).scalar_one_or_none()
    return utc(value) if value is not None else None


def queue_run(
    engine: Engine,
    *,
    automation_id: int,
    org_id: int,
    triggered_by: str,
    now: datetime,
    requested_by: int | None = None,
    scheduled_for: datetime | None = None,
    trigger_data: dict[str, Any] | None = None,
    attempt: int = 1,
    not_before: datetime | None = None,
    event_id: int | None = None,
    chain_depth: int = 0,
    audit: AuditEntry | None = None,
) -> int:
    """Queue a run (manual, test, event, ...) for the next tick to claim; returns its id.

    A manual or test run requested at the very instant of another run of the same automation
    is nudged a millisecond later rather than refused by the occurrence key. `audit` (a run
    asked for by someone) is written in the same transaction, with the run's id."""
    when = scheduled_for or now
    for _ in range(5):
        try:
            with engine.begin() as conn:
                run_id = int(
                    conn.execute(
                        insert(runs).returning(runs.c.id),
                        {
                            "org_id": org_id,
                            "automation_id": automation_id,
                            "triggered_by": triggered_by,
                            "requested_by": requested_by,
                            "scheduled_for": when,
                            "attempt": attempt,
                            "status": "pending",
                            "not_before": not_before or now,
                            "trigger_data": trigger_data or {},
                            "event_id": event_id,
                            "chain_depth": chain_depth,
                            "created_at": now,
                            "output_summary": {},
                            "metrics": {},
                            "missed_count": 0,
                            "retry_count": attempt - 1,
                        },
                    ).scalar_one()
                )
                if audit is not None:
                    audit.changes = {**audit.changes, "run_id": run_id}
                    add_rows(conn, [audit])
                return run_id
        except IntegrityError:
            if triggered_by not in ("manual", "test"):
                raise
            when += timedelta(milliseconds=1)
    raise IntegrityError("queue_run", {}, Exception("occurrence key taken"))


def stuck_lease_count(engine: Engine, *, now: datetime) -> int:
    with read_only(engine).connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(runs)
                .where(and_(runs.c.status == RUNNING, runs.c.lease_expires_at < now))
            ).scalar_one()
        )


def claim_run(
    engine: Engine, *, run_id: int, now: datetime, worker_id: str, lease_seconds: int
) -> ClaimedRun | None:
    """Claim one specific queued run (a test the requester is waiting for); None if another
    worker got it first."""
    lease_until = now + timedelta(seconds=lease_seconds)
    r = runs
    with engine.begin() as conn:
        row = conn.execute(
            for_update(
                select(
                    r.c.id,
                    r.c.automation_id,
                    r.c.org_id,
                    r.c.triggered_by,
                    r.c.scheduled_for,
                    r.c.attempt,
                    r.c.requested_by,
                    r.c.trigger_data,
                    r.c.missed_count,
                ).where(r.c.id == run_id, r.c.status == "pending"),
                conn,
            )
        ).first()
        if row is None:
            return None
        conn.execute(
            update(r)
            .where(r.c.id == run_id)
            .values(
                status="running",
                lease_owner=worker_id,
                lease_expires_at=lease_until,
                started_at=now,
                lag_ms=lag_ms(now, utc(row.scheduled_for)),
            )
        )
    return _claimed(row, now)
