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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Engine

from models.engine import READ_ONLY_OPTION
from models.store.bulk import InstantReader
from models.store.completions import RunCompletion, apply_quota, recordable_at_claim
from models.store.occurrence_rows import OccurrenceWriter
from models.store.run_inputs import AUTOMATION_INPUT_COLUMNS, JsonCache, RunAutomation
from models.store.run_inputs import automation_input as input_of
from models.store.run_queue import PENDING, ClaimedRun, automations, runs


class DueAutomation(NamedTuple):
    """What the planner needs to know about an automation whose occurrence is due."""

    id: int
    org_id: int
    trigger_type: str
    cron_expression: str | None
    rrule: str | None
    run_once_at: datetime | None
    schedule_anchor: datetime | None
    timezone: str
    poll_interval_minutes: int | None
    next_run_at: datetime
    misfire_policy: str
    overlap_policy: str
    status: str
    skips: str | None = None  # the occurrences it skips (models.skip_list)


_DUE_FIELDS = DueAutomation._fields
_WIDTH = len(_DUE_FIELDS)
_INSTANTS = tuple(_DUE_FIELDS.index(n) for n in ("run_once_at", "schedule_anchor", "next_run_at"))
_STATUS = _DUE_FIELDS.index("status")
_TRIGGER = _DUE_FIELDS.index("trigger_type")
_OVERLAP = _DUE_FIELDS.index("overlap_policy")
#: a plan depends on every field from trigger_type on (everything but the ids)
_PLAN_KEY = slice(_DUE_FIELDS.index("trigger_type"), _WIDTH)
_KEY_WIDTH = _WIDTH - _PLAN_KEY.start


@dataclass(frozen=True, slots=True, eq=False)
class PlannedRun:
    """An occurrence's run row, but for its automation. Automations on different schedules
    plan equal runs, and their rows are written together: a planner hands out one object per
    value (equality is identity, so grouping by it costs no field comparisons; equal runs as
    separate objects would only be written separately)."""

    scheduled_for: datetime
    status: Literal["running", "pending", "skipped"]
    missed_count: int = 0
    skipped_reason: str | None = None
    not_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class OccurrencePlan:
    runs: list[PlannedRun]
    next_run_at: datetime | None


#: (an automation due, whether it has a pending run already, the ids of every automation due
#: alike) -> the plan of each of them. Automations are due alike when they share every field
#: of DueAutomation but their ids, and whether they have a pending run.
Planner = Callable[[DueAutomation, bool, list[int]], OccurrencePlan]


#: (the runs quick candidates would have, each with a provisional negative id; their
#: automations as read) -> the completions of those the worker executed, by automation id
QuickExecute = Callable[[list[ClaimedRun], dict[int, RunAutomation]], dict[int, RunCompletion]]


@dataclass(slots=True)
class QuickRuns:
    """Runs the claim executes before it writes, through `execute`, and records with its own
    write: a quick run that completed cleanly (recordable_at_claim) is inserted complete, its
    automation advanced and given its outcome in one update, its counters upserted, in the
    claim's transaction; it never exists as a leased row. One that did not (it failed, was
    skipped, wrote detail rows) is claimed leased like any other run and its completion handed
    back in `finished`, for the tick to record the usual way (models.store.completions), so
    every outcome but the clean one is recorded by one code path.

    A candidate is an automation not running now whose plan is one run to execute now (and
    perhaps a skipped row of missed occurrences, never queued ones); the worker decides which
    candidates are quick (their skill and channel) and may decline any."""

    execute: QuickExecute
    logged_quota: Callable[[int], int | None]
    recorded: list[RunCompletion] = field(default_factory=list)  # written complete
    finished: list[RunCompletion] = field(default_factory=list)  # leased, to record
    unlogged: int = 0  # recorded but over the month's logged-run quota: no history row


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
        rest = _record_done(rows, done, writer, clean, leased) if done else rows
        for key, members in _groups(rest, pending).items():
            plan = self.plan_of(key, members, read)
            first = members[0]
            triggered_by = "poll" if first[_TRIGGER] == "poll" else "schedule"
            writer.add(members, plan, triggered_by, first[_STATUS])
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
                    known[row[0]] = input_of(row[_WIDTH:], json_of, self.read)
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
    stmt = (
        select(
            *(a.c[name] for name in _DUE_FIELDS),
            *(AUTOMATION_INPUT_COLUMNS if with_inputs else ()),
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
    buffered = [r[0] for r in rows if r[_STATUS] == "running" and r[_OVERLAP] == "buffer_one"]
    if not buffered:
        return set()
    return set(
        conn.execute(
            select(runs.c.automation_id).where(
                runs.c.automation_id.in_(buffered), runs.c.status == PENDING
            )
        ).scalars()
    )


def _groups(rows: list[Any], with_pending: set[int]) -> dict[tuple[Any, ...], list[Any]]:
    """Automations due alike, keyed by their values as the driver returned them."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        key = row[_PLAN_KEY]
        if with_pending and row[0] in with_pending:
            key += (True,)
        members = groups.get(key)
        if members is None:
            groups[key] = [row]
        else:
            members.append(row)
    return groups


#: plans a tick made, by the claim's group key: the driver's values of what a plan depends on
#: (DueAutomation's fields from trigger_type on, and True when a pending run waits)
RowPlans = dict[tuple[Any, ...], OccurrencePlan]


@dataclass(slots=True)
class PlanOf:
    """The planner, asked once per group key in a tick. Only a plan with a next instant is
    remembered: a schedule the planner cannot read has none, and the planner is asked again
    for each batch, so it notes every automation whose schedule is invalid."""

    planner: Planner
    plans: RowPlans

    def __call__(
        self, key: tuple[Any, ...], members: list[Any], read: InstantReader
    ) -> OccurrencePlan:
        plan = self.plans.get(key)
        if plan is None:
            due = _due_of(members[0], read)
            plan = self.planner(due, len(key) > _KEY_WIDTH, [r[0] for r in members])
            if plan.next_run_at is not None:
                if len(self.plans) >= _REMEMBERED_PLANS:  # a tick of scattered instants
                    self.plans.clear()
                self.plans[key] = plan
        return plan


_REMEMBERED_PLANS = 10_000


def _due_of(row: Sequence[Any], read: InstantReader) -> DueAutomation:
    first = list(row[:_WIDTH])
    for i in _INSTANTS:
        if first[i] is not None:
            first[i] = read(first[i])
    return DueAutomation(*first)


class Executed(NamedTuple):
    """A quick run executed before the claim's write: the row it was planned from, its
    automation's plan and how it was triggered, and its completion."""

    row: Sequence[Any]
    plan: OccurrencePlan
    triggered_by: str
    completion: RunCompletion


def execute_quick(
    rows: list[Any],
    with_pending: set[int],
    plan_of: PlanOf,
    quick: QuickRuns,
    now: datetime,
) -> dict[int, Executed]:
    """The quick candidates among `rows` executed, by automation id."""
    read = InstantReader()
    json_of = JsonCache()
    batch: list[ClaimedRun] = []
    autos: dict[int, RunAutomation] = {}
    planned_from: dict[int, tuple[Sequence[Any], OccurrencePlan, str]] = {}
    # a plan -> its one run to execute now (None: it has no such run); plans are shared
    candidate: dict[int, PlannedRun | None] = {}
    for key, members in _groups(rows, with_pending).items():
        first = members[0]
        if first[_STATUS] == "running":
            continue
        plan = plan_of(key, members, read)
        if id(plan) in candidate:
            planned = candidate[id(plan)]
        else:
            planned = candidate[id(plan)] = _runs_now(plan)
        if planned is None:
            continue
        triggered_by = "poll" if first[_TRIGGER] == "poll" else "schedule"
        scheduled_for, missed = planned.scheduled_for, planned.missed_count
        for row in members:
            aid = row[0]
            # every field given, built as the tuple it is (a named tuple's own constructor is
            # a Python function, called once per run)
            batch.append(
                _new(ClaimedRun, (
                    -(len(batch) + 1), aid, row[1], triggered_by, scheduled_for, 1, now, None,
                    _NO_TRIGGER_DATA, missed, False,
                ))
            )  # fmt: skip
            autos[aid] = input_of(row[_WIDTH:], json_of, read)
            planned_from[aid] = (row, plan, triggered_by)
    if not batch:
        return {}
    return {
        aid: _new(Executed, (*planned_from[aid], c))
        for aid, c in quick.execute(batch, autos).items()
    }


_new = tuple.__new__
_NO_TRIGGER_DATA = ClaimedRun._field_defaults["trigger_data"]


def _runs_now(plan: OccurrencePlan) -> PlannedRun | None:
    """The plan's one run to execute now, if that and skipped rows are all it plans."""
    now_run = None
    for p in plan.runs:
        if p.status == "pending" or (p.status == "running" and now_run is not None):
            return None
        if p.status == "running":
            now_run = p
    return now_run


def _record_done(
    rows: list[Any],
    done: dict[int, Executed],
    writer: OccurrenceWriter,
    clean: list[RunCompletion],
    leased: dict[int, RunCompletion],
) -> list[Any]:
    """Hands `writer` the runs executed from `rows` that their claim records (and adds their
    completions to `clean`); returns the other rows, to be planned and claimed the usual way,
    among them those whose quick run must be recorded the usual way (in `leased`). A run
    executed from a row that has changed since counts for nothing: its row is among those
    returned."""
    rest: list[Any] = []
    recorded: dict[tuple[int, str], list[tuple[Sequence[Any], RunCompletion]]] = {}
    plans: dict[tuple[int, str], Executed] = {}
    for row in rows:
        got = done.get(row[0])
        if got is None:
            rest.append(row)
            continue
        executed_from, plan, triggered_by, completion = got
        # the same object unless the rows were read again (see claim_due_occurrences)
        if executed_from is not row and executed_from != row:
            rest.append(row)
            continue
        if recordable_at_claim(completion):
            # automations triggered differently may share a plan, never a run row's values
            key = (id(plan), triggered_by)
            same = recorded.get(key)
            if same is None:
                plans[key] = got
                recorded[key] = [(row, completion)]
            else:
                same.append((row, completion))
            clean.append(completion)
        else:
            leased[row[0]] = completion
            rest.append(row)
    for key, members in recorded.items():
        writer.add_done(members, plans[key].plan, plans[key].triggered_by)
    return rest
