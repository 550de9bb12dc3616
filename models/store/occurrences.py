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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Engine

from models.store.bulk import InstantReader
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
) -> tuple[list[ClaimedRun], int]:
    """Lock up to `limit` due cron/poll automations, let `planner` decide their occurrences,
    insert the run rows and advance next_run_at, all in one transaction.

    `now` is the tick's instant (what is due); `leased_at` the wall-clock moment of this claim,
    from which the lease runs (a long tick's late batches must not be born with a lease that
    has already run out and that another worker would rescue). Returns the runs claimed for
    immediate execution (leased to `worker_id`) and the number of automations handled (0 means
    nothing more is due). With `inputs`, the claimed runs' automations are added to it as their
    runs will read them (one read of the rows instead of two)."""
    lease_until = (leased_at or now) + timedelta(seconds=lease_seconds)
    a = automations
    with engine.begin() as conn:
        stmt = (
            select(
                *(a.c[name] for name in _DUE_FIELDS),
                *(AUTOMATION_INPUT_COLUMNS if inputs is not None else ()),
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
        result = conn.execute(for_update(stmt, conn))
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
        if not rows:
            return [], 0
        buffered = [r[0] for r in rows if r[_STATUS] == "running" and r[_OVERLAP] == "buffer_one"]
        with_pending: set[int] = set()
        if buffered:
            with_pending = set(
                conn.execute(
                    select(runs.c.automation_id).where(
                        runs.c.automation_id.in_(buffered), runs.c.status == PENDING
                    )
                ).scalars()
            )
        # automations due alike, keyed by their values as the driver returned them
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

        writer = OccurrenceWriter(conn, now=now, worker_id=worker_id, lease_until=lease_until)
        read = InstantReader()
        for key, members in groups.items():
            first = list(members[0][:_WIDTH])
            for i in _INSTANTS:
                if first[i] is not None:
                    first[i] = read(first[i])
            due = DueAutomation(*first)
            plan = planner(due, len(key) > _KEY_WIDTH, [r[0] for r in members])
            triggered_by = "poll" if due.trigger_type == "poll" else "schedule"
            writer.add(members, plan, triggered_by, due.status)
        claimed = writer.write()
        if inputs is not None and claimed:
            json_of = JsonCache()
            for members in writer.running():
                for row in members:
                    inputs[row[0]] = input_of(row[_WIDTH:], json_of, read)
    return claimed, len(rows)
