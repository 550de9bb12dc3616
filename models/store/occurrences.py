"""Claiming due cron and poll occurrences: select what is due under row locks, let a planner
decide each automation's occurrences, insert the run rows and advance the automations, in one
transaction.

A claim batch holds a thousand automations, and few distinct plans: automations due alike (the
same schedule, policies and state, due at the same instant) are planned once together, and
automations on different schedules mostly plan equal runs (due this minute, running, nothing
missed) and share next instants. So the batch is grouped twice: by what a plan depends on, then
by the run rows and next instants the plans give; models.store.occurrence_rows writes each of
those with one statement, Python handing over the automations' ids rather than their rows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, select
from sqlalchemy.engine import Connection, Engine

from models.engine import READ_ONLY_OPTION
from models.store.bulk import InstantReader
from models.store.completions import RunCompletion, apply_quota
from models.store.occurrence_plans import (
    CLAIM_INPUT_COLUMNS,
    DUE_FIELDS,
    OVERLAP,
    STATUS,
    TRIGGER,
    Planner,
    PlanOf,
    RowPlans,
    claimed_input,
    due_alike,
)
from models.store.occurrence_rows import OccurrenceWriter
from models.store.quick_claims import Executed, QuickRuns, execute_quick, record_done
from models.store.run_inputs import JsonCache, RunAutomation
from models.store.run_queue import PENDING, ClaimedRun, automations, runs


def claim_due_occurrences(
    engine: Engine,
    *,
    now: datetime,
    worker_id: str,
    lease_seconds: int,
    limit: int,
    planner: Planner,
    leased_at: datetime | None = None,
    inputs: dict[int, RunAutomation] | None = None,
    quick: QuickRuns | None = None,
    plans: RowPlans | None = None,
) -> tuple[list[ClaimedRun], int]:
    """Lock up to `limit` due cron/poll automations, let `planner` decide their occurrences,
    insert the run rows and advance next_run_at, all in one transaction.

    `now` is the tick's instant (what is due); `leased_at` the wall-clock moment of this claim,
    from which the lease runs (a long tick's late batches must not be born with a lease that
    has already run out and that another worker would rescue). Returns the runs claimed for
    immediate execution (leased to `worker_id`) and the number of automations handled (0 means
    nothing more is due). With `inputs`, the claimed runs' automations are added to it as their
    runs will read them (one read of the rows instead of two). With `quick`, quick runs are
    executed first and recorded by the claim (see QuickRuns). With `plans` (one dict for every
    claim of a tick, with the same planner), automations due alike with some of an earlier
    batch take its plan without being read for the planner again (see RowPlans).

    Where quick runs execute: on PostgreSQL, in the claim's transaction, their rows locked
    (FOR UPDATE SKIP LOCKED keeps other workers off them). On SQLite, before the transaction
    (it takes the one write lock, which a skill reading for milliseconds must not hold): the
    due rows are read, the quick runs executed, then the claim's transaction begins on the same
    connection. If nothing was committed to the database in between (SQLite's data_version,
    which counts other connections' commits), the rows read are the rows under the lock. If
    anything was, the claim reads the due rows again, and a run executed from a row that is no
    longer due or has changed in any column it selects is dropped (it sent nothing: its
    channel writes only within this transaction); its automation is claimed the usual way if
    it is still due, or left to whoever took it."""
    lease_until = (leased_at or now) + timedelta(seconds=lease_seconds)
    plan_of = PlanOf(planner, {} if plans is None else plans)
    claim = ClaimWrite(now, worker_id, lease_until, plan_of, inputs, quick)
    with_inputs = inputs is not None or quick is not None
    if quick is None or engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            locked = conn.dialect.name == "postgresql"  # FOR UPDATE SKIP LOCKED
            rows = fetch_rows(conn, due_select(limit, with_inputs, locked), {"now": now})
            if not rows:
                return [], 0
            pending = with_pending(conn, rows)
            done = execute_quick(rows, pending, plan_of, quick, now) if quick is not None else {}
            return claim.write(conn, rows, pending, done), len(rows)
    with engine.connect() as conn:
        conn.execution_options(**{READ_ONLY_OPTION: True})
        with conn.begin():
            stmt = due_select(limit, with_inputs, False)
            rows = fetch_rows(conn, stmt, {"now": now})
            seen = data_version(conn)
            pending = with_pending(conn, rows)
        conn.execution_options(**{READ_ONLY_OPTION: False})
        done = execute_quick(rows, pending, plan_of, quick, now) if rows else {}
        with conn.begin():
            if data_version(conn) != seen:
                rows = fetch_rows(conn, stmt, {"now": now})
                pending = with_pending(conn, rows)
            if not rows:
                return [], 0
            return claim.write(conn, rows, pending, done), len(rows)


def data_version(conn: Connection) -> int:
    """SQLite's count of the commits other connections made, as this transaction sees it."""
    return int(conn.exec_driver_sql("PRAGMA data_version").scalar_one())


@dataclass(slots=True)
class ClaimWrite:
    """What one claim writes with: its instant, lease and planner, and where its quick runs'
    and claimed runs' automations go (see claim_due_occurrences)."""

    now: datetime
    worker_id: str
    lease_until: datetime
    plan_of: PlanOf
    inputs: dict[int, RunAutomation] | None
    quick: QuickRuns | None

    def write(
        self, conn: Connection, rows: list[Any], pending: set[int], done: dict[int, Executed]
    ) -> list[ClaimedRun]:
        """Plans `rows` (due, under the claim's lock), records the quick runs in `done`
        executed from them, inserts the other runs and advances every automation."""
        writer = OccurrenceWriter(
            conn, now=self.now, worker_id=self.worker_id, lease_until=self.lease_until
        )
        return self.prepare(writer, rows, pending, done).commit(conn)

    def prepare(
        self,
        writer: OccurrenceWriter,
        rows: list[Any],
        pending: set[int],
        done: dict[int, Executed],
    ) -> PreparedClaim:
        """What `write` does before its statements: plans `rows`, hands `writer` the runs
        to insert and the automations to advance, builds the done runs' rows."""
        read = InstantReader()
        clean: list[RunCompletion] = []
        leased: dict[int, RunCompletion] = {}  # quick runs that go the leased way
        rest = record_done(rows, done, writer, clean, leased) if done else rows
        for key, members in due_alike(rest, pending).items():
            plan = self.plan_of(key, members, read)
            first = members[0]
            triggered_by = "poll" if first[TRIGGER] == "poll" else "schedule"
            writer.add(members, plan, triggered_by, first[STATUS])
        return PreparedClaim(self, writer, clean, leased, read)


@dataclass(slots=True)
class PreparedClaim:
    """A claim's write, planned and its rows built (ClaimWrite.prepare): `commit` runs its
    statements in the caller's transaction."""

    claim: ClaimWrite
    writer: OccurrenceWriter
    clean: list[RunCompletion]  # quick runs recorded by the write
    leased: dict[int, RunCompletion]  # quick runs that go the leased way
    read: InstantReader

    def commit(self, conn: Connection) -> list[ClaimedRun]:
        claim, writer, clean, leased = self.claim, self.writer, self.clean, self.leased
        quick = claim.quick
        writer.bind(conn)
        unlogged: set[int] = set()
        if quick is not None and clean:
            unlogged = apply_quota(conn, clean, now=claim.now, logged_quota=quick.logged_quota)
        claimed = writer.write(unlogged)
        if (claim.inputs is not None or quick is not None) and claimed:
            json_of = JsonCache()
            known = claim.inputs if claim.inputs is not None else {}
            for members in writer.running():
                for row in members:
                    known[row[0]] = claimed_input(row, json_of, self.read)
        if quick is None:
            return claimed
        quick.recorded.extend(clean)
        quick.unlogged += len(unlogged)
        if not leased:
            return claimed
        kept = []
        for run in claimed:
            completion = leased.get(run.automation_id)
            if completion is None:
                kept.append(run)
            else:
                completion.run = run  # the same run, with the id its row was given
                quick.finished.append(completion)
        return kept


@functools.lru_cache(maxsize=16)
def due_select(limit: int, with_inputs: bool, locked: bool) -> Any:
    """The due automations' select, built once per shape (its instant is the parameter `now`):
    a statement built anew for every claim is compiled from its cache key again each time."""
    a = automations
    # DueAutomation.holidays_of: the organisation, for the automations that skip its holidays
    holidays_of = case((a.c.skip_holidays.is_(True), a.c.org_id), else_=None).label("holidays_of")
    stmt = (
        select(
            *(holidays_of if name == "holidays_of" else a.c[name] for name in DUE_FIELDS),
            *(CLAIM_INPUT_COLUMNS if with_inputs else ()),
        )
        .where(
            a.c.enabled.is_(True),
            a.c.next_run_at.is_not(None),
            a.c.next_run_at <= bindparam("now"),
            a.c.trigger_type.in_(("cron", "poll")),
        )
        .order_by(a.c.next_run_at, a.c.id)
        .limit(limit)
    )
    return stmt.with_for_update(skip_locked=True) if locked else stmt


def fetch_rows(conn: Connection, stmt: Any, params: dict[str, Any]) -> list[Any]:
    """The rows as the driver returns them (compared as they are, see claim_due_occurrences)."""
    result = conn.execute(stmt, params)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def with_pending(conn: Connection, rows: list[Any]) -> set[int]:
    """The running buffer_one automations that have a queued run already."""
    buffered = [r[0] for r in rows if r[STATUS] == "running" and r[OVERLAP] == "buffer_one"]
    if not buffered:
        return set()
    return set(
        conn.execute(
            select(runs.c.automation_id).where(
                runs.c.automation_id.in_(buffered), runs.c.status == PENDING
            )
        ).scalars()
    )
