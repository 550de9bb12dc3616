"""Quick runs at their claim: the candidates among a claim's due automations executed before
its write (execute_quick), and those done handed to its writer (record_done).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from models.store.bulk import InstantReader
from models.store.completions import RunCompletion, recordable_at_claim
from models.store.occurrence_plans import (
    STATUS,
    TRIGGER,
    OccurrencePlan,
    PlannedRun,
    PlanOf,
    claimed_input,
    due_alike,
)
from models.store.occurrence_rows import OccurrenceWriter
from models.store.run_inputs import JsonCache, RunAutomation
from models.store.run_queue import ClaimedRun

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
    #: waits for the claim being written meanwhile, if any (models.store.claims_ahead): the
    #: runs-per-minute limit counts the runs started from the database, theirs among them
    settle: Callable[[], object] = field(default=lambda: None)


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
    for key, members in due_alike(rows, with_pending).items():
        first = members[0]
        if first[STATUS] == "running":
            continue
        plan = plan_of(key, members, read)
        if id(plan) in candidate:
            planned = candidate[id(plan)]
        else:
            planned = candidate[id(plan)] = _runs_now(plan)
        if planned is None:
            continue
        triggered_by = "poll" if first[TRIGGER] == "poll" else "schedule"
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
            autos[aid] = claimed_input(row, json_of, read)
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


def record_done(
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
