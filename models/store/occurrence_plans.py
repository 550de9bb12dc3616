"""What a claim plans from: the due automations as it reads them (DueAutomation), the runs and
next instant a planner gives them (OccurrencePlan), and the batch's automations due alike, each
set planned once (due_alike, PlanOf).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple

from models.store.bulk import InstantReader


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


#: a claim's due row starts with DUE_FIELDS; where it holds what a claim looks at
DUE_FIELDS = DueAutomation._fields
DUE_WIDTH = len(DUE_FIELDS)
_INSTANTS = tuple(DUE_FIELDS.index(n) for n in ("run_once_at", "schedule_anchor", "next_run_at"))
STATUS = DUE_FIELDS.index("status")
TRIGGER = DUE_FIELDS.index("trigger_type")
OVERLAP = DUE_FIELDS.index("overlap_policy")
#: a plan depends on every field from trigger_type on (everything but the ids)
_PLAN_KEY = slice(DUE_FIELDS.index("trigger_type"), DUE_WIDTH)
_KEYDUE_WIDTH = DUE_WIDTH - _PLAN_KEY.start


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


def due_alike(rows: list[Any], with_pending: set[int]) -> dict[tuple[Any, ...], list[Any]]:
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
            plan = self.planner(due, len(key) > _KEYDUE_WIDTH, [r[0] for r in members])
            if plan.next_run_at is not None:
                if len(self.plans) >= _REMEMBERED_PLANS:  # a tick of scattered instants
                    self.plans.clear()
                self.plans[key] = plan
        return plan


_REMEMBERED_PLANS = 10_000


def _due_of(row: Sequence[Any], read: InstantReader) -> DueAutomation:
    first = list(row[:DUE_WIDTH])
    for i in _INSTANTS:
        if first[i] is not None:
            first[i] = read(first[i])
    return DueAutomation(*first)
