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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from models.engine import read_only
from models.store.bulk import InstantReader
from models.store.completions import RunCompletion, apply_quota, recordable_at_claim
from models.store.occurrence_rows import OccurrenceWriter
from models.store.run_inputs import AUTOMATION_INPUT_COLUMNS, JsonCache, RunAutomation
from models.store.run_inputs import automation_input as input_of
from models.store.run_queue import PENDING, ClaimedRun, automations, for_update, runs


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


_DUE_FIELDS = DueAutomation._fields
_WIDTH = len(_DUE_FIELDS)
_INSTANTS = tuple(_DUE_FIELDS.index(n) for n in ("run_once_at", "schedule_anchor", "next_run_at"))
_STATUS = _DUE_FIELDS.index("status")
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
) -> tuple[list[ClaimedRun], int]:
    """Lock up to `limit` due cron/poll automations, let `planner` decide their occurrences,
    insert the run rows and advance next_run_at, all in one transaction.

    `now` is the tick's instant (what is due); `leased_at` the wall-clock moment of this claim,
    from which the lease runs (a long tick's late batches must not be born with a lease that
    has already run out and that another worker would rescue). Returns the runs claimed for
    immediate execution (leased to `worker_id`) and the number of automations handled (0 means
    nothing more is due). With `inputs`, the claimed runs' automations are added to it as their
    runs will read them (one read of the rows instead of two). With `quick`, quick runs are
    executed first and recorded by the claim (see QuickRuns).

    Where quick runs execute: on PostgreSQL, in the claim's transaction, their rows locked
    (FOR UPDATE SKIP LOCKED keeps other workers off them). On SQLite, before the transaction
    (it takes the one write lock, which a skill reading for milliseconds must not hold): the
    due rows are read, the quick runs executed, then the claim reads the due rows again under
    the lock, and a run executed from a row that is no longer due or has changed in any column
    it selects is dropped (it sent nothing: its channel writes only within this transaction);
    its automation is claimed the usual way if it is still due, or left to whoever took it."""
    lease_until = (leased_at or now) + timedelta(seconds=lease_seconds)
    with_inputs = inputs is not None or quick is not None
    stmt = _due_select(now, limit, with_inputs)
    sqlite = engine.dialect.name == "sqlite"
    done: dict[int, tuple[Sequence[Any], RunCompletion]] = {}
    if quick is not None and sqlite:
        with read_only(engine).connect() as conn:
            rows = _fetch(conn, stmt)
            pending = _with_pending(conn, rows)
        if rows:
            done = _execute_quick(rows, pending, planner, quick, now)
    with engine.begin() as conn:
        rows = _fetch(conn, for_update(stmt, conn))
        if not rows:
            return [], 0
        with_pending = _with_pending(conn, rows)
        if quick is not None and not sqlite:
            done = _execute_quick(rows, with_pending, planner, quick, now)
        writer = OccurrenceWriter(conn, now=now, worker_id=worker_id, lease_until=lease_until)
        read = InstantReader()
        clean: list[RunCompletion] = []
        leased: dict[int, RunCompletion] = {}  # quick runs that go the leased way
        for key, members in _groups(rows, with_pending).items():
            due = _due_of(members[0], read)
            plan = planner(due, len(key) > _KEY_WIDTH, [r[0] for r in members])
            triggered_by = "poll" if due.trigger_type == "poll" else "schedule"
            if done:
                members, recorded = _split(members, done, clean, leased)
                if recorded:
                    writer.add_done(recorded, plan, triggered_by)
            if members:
                writer.add(members, plan, triggered_by, due.status)
        unlogged: set[int] = set()
        if quick is not None and clean:
            unlogged = apply_quota(conn, clean, now=now, logged_quota=quick.logged_quota)
        claimed = writer.write(unlogged)
        if with_inputs and claimed:
            json_of = JsonCache()
            known = inputs if inputs is not None else {}
            for members in writer.running():
                for row in members:
                    known[row[0]] = input_of(row[_WIDTH:], json_of, read)
        if quick is not None:
            quick.recorded.extend(clean)
            quick.unlogged += len(unlogged)
            if leased:
                kept = []
                for run in claimed:
                    completion = leased.get(run.automation_id)
                    if completion is None:
                        kept.append(run)
                    else:
                        completion.run = run  # the same run, with the id its row was given
                        quick.finished.append(completion)
                claimed = kept
    return claimed, len(rows)


def _due_select(now: datetime, limit: int, with_inputs: bool) -> Any:
    a = automations
    return (
        select(
            *(a.c[name] for name in _DUE_FIELDS),
            *(AUTOMATION_INPUT_COLUMNS if with_inputs else ()),
        )
        .where(
            a.c.enabled.is_(True),
            a.c.next_run_at.is_not(None),
            a.c.next_run_at <= now,
            a.c.trigger_type.in_(("cron", "poll")),
        )
        .order_by(a.c.next_run_at, a.c.id)
        .limit(limit)
    )


def _fetch(conn: Connection, stmt: Any) -> list[Any]:
    """The rows as the driver returns them (compared as they are, see claim_due_occurrences)."""
    result = conn.execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _with_pending(conn: Connection, rows: list[Any]) -> set[int]:
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


def _due_of(row: Sequence[Any], read: InstantReader) -> DueAutomation:
    first = list(row[:_WIDTH])
    for i in _INSTANTS:
        if first[i] is not None:
            first[i] = read(first[i])
    return DueAutomation(*first)


def _execute_quick(
    rows: list[Any],
    with_pending: set[int],
    planner: Planner,
    quick: QuickRuns,
    now: datetime,
) -> dict[int, tuple[Sequence[Any], RunCompletion]]:
    """The quick candidates among `rows` executed: automation id -> (its row, completion)."""
    read = InstantReader()
    json_of = JsonCache()
    batch: list[ClaimedRun] = []
    autos: dict[int, RunAutomation] = {}
    row_of: dict[int, Sequence[Any]] = {}
    for key, members in _groups(rows, with_pending).items():
        if members[0][_STATUS] == "running":
            continue
        due = _due_of(members[0], read)
        plan = planner(due, len(key) > _KEY_WIDTH, [r[0] for r in members])
        now_runs = [p for p in plan.runs if p.status == "running"]
        if len(now_runs) != 1 or any(p.status == "pending" for p in plan.runs):
            continue
        planned = now_runs[0]
        triggered_by = "poll" if due.trigger_type == "poll" else "schedule"
        for row in members:
            aid = row[0]
            batch.append(
                ClaimedRun(
                    -(len(batch) + 1),
                    aid,
                    row[1],
                    triggered_by,
                    planned.scheduled_for,
                    1,
                    now,
                    missed_count=planned.missed_count,
                )
            )
            autos[aid] = input_of(row[_WIDTH:], json_of, read)
            row_of[aid] = row
    if not batch:
        return {}
    return {aid: (row_of[aid], c) for aid, c in quick.execute(batch, autos).items()}


def _split(
    members: list[Any],
    done: dict[int, tuple[Sequence[Any], RunCompletion]],
    clean: list[RunCompletion],
    leased: dict[int, RunCompletion],
) -> tuple[list[Any], list[tuple[Sequence[Any], RunCompletion]]]:
    """`members` without those whose quick run is recorded at the claim (returned with their
    completions, and added to `clean`); quick runs that must be recorded the usual way go to
    `leased`. A run executed from a row that has changed since counts for nothing."""
    rest: list[Any] = []
    recorded: list[tuple[Sequence[Any], RunCompletion]] = []
    for row in members:
        got = done.get(row[0])
        if got is None or tuple(got[0]) != tuple(row):
            rest.append(row)
            continue
        completion = got[1]
        if recordable_at_claim(completion):
            recorded.append((row, completion))
            clean.append(completion)
        else:
            leased[row[0]] = completion
            rest.append(row)
    return rest, recorded
