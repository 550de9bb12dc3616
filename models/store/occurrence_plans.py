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
from models.store.run_inputs import AUTOMATION_INPUT_COLUMNS, JsonCache, RunAutomation


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
    # the organisation whose holidays it skips (its own), None when it runs on holidays: the
    # claim reads it so, and automations of several organisations that skip holidays are
    # never due alike (their plans differ by the organisation's calendar)
    holidays_of: int | None = None


#: a claim's due row starts with DUE_FIELDS; where it holds what a claim looks at
DUE_FIELDS = DueAutomation._fields
DUE_WIDTH = len(DUE_FIELDS)
_INSTANTS = tuple(DUE_FIELDS.index(n) for n in ("run_once_at", "schedule_anchor", "next_run_at"))
STATUS = DUE_FIELDS.index("status")
TRIGGER = DUE_FIELDS.index("trigger_type")
OVERLAP = DUE_FIELDS.index("overlap_policy")
#: a plan depends on every field from trigger_type on (everything but the ids)
_PLAN_KEY = slice(DUE_FIELDS.index("trigger_type"), DUE_WIDTH)
_KEY_WIDTH = DUE_WIDTH - _PLAN_KEY.start

#: what a claim reads after DUE_FIELDS for its runs' inputs: AUTOMATION_INPUT_COLUMNS but the
#: id, organisation and time zone, which DUE_FIELDS hold already
CLAIM_INPUT_COLUMNS = (*AUTOMATION_INPUT_COLUMNS[2:7], *AUTOMATION_INPUT_COLUMNS[8:])
_TIMEZONE = DUE_FIELDS.index("timezone")
(_OWNER, _NAME, _SKILL, _PARAMS, _ENABLED, _CHANNEL, _CONFIG, _FAILURES, _SUCCESS, _SYSTEM) = range(
    DUE_WIDTH, DUE_WIDTH + len(CLAIM_INPUT_COLUMNS)
)
_new = tuple.__new__


def claimed_input(row: Sequence[Any], json_of: JsonCache, read: InstantReader) -> RunAutomation:
    """The RunAutomation of a claim's row (DUE_FIELDS, then CLAIM_INPUT_COLUMNS), as
    models.store.run_inputs.automation_input reads it from AUTOMATION_INPUT_COLUMNS."""
    success = row[_SUCCESS]
    if success is not None:
        success = read(success)
    # built as the tuple it is: a named tuple's own constructor is a Python function
    return _new(
        RunAutomation,
        (
            row[0],
            row[1],
            row[_OWNER],
            row[_NAME],
            row[_SKILL],
            json_of(row[_PARAMS]),
            bool(row[_ENABLED]),
            row[_TIMEZONE],
            row[_CHANNEL],
            json_of(row[_CONFIG]),
            row[_FAILURES],
            success,
            bool(row[_SYSTEM]),
        ),
    )


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
            plan = self.planner(due, len(key) > _KEY_WIDTH, [r[0] for r in members])
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
