"""A tick's claims of due cron and poll occurrences, batch by batch.

Claims hold SKILLTICK_CLAIM_BATCH automations each; once four full claims in a row recorded
every run themselves (quick runs, worker.tick.quick), the backlog is claimed
SKILLTICK_CLAIM_BATCH_QUICK at a time, and on SQLite overlapped: each claim's statements run
while the next batch's runs execute (models.store.claims_ahead).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from models.store.claims_ahead import Claimed, claim_ahead
from models.store.occurrence_plans import RowPlans
from models.store.occurrences import claim_due_occurrences
from models.store.run_inputs import RunAutomation
from worker.tick.planner import OccurrencePlanner
from worker.tick.quick import QuickExecution

if TYPE_CHECKING:
    from worker.tick.tick import Worker

#: full claims of quick runs only, in a row, after which a tick claims SKILLTICK_CLAIM_BATCH_QUICK
QUICK_CLAIMS_BEFORE_GROWING = 4


def due_claims(
    worker: Worker,
    now: datetime,
    planner: OccurrencePlanner,
    quick: QuickExecution,
    plans: RowPlans,
    clock: Callable[[], datetime],
) -> Iterator[Claimed]:
    """Yields the claims of every due occurrence, batch by batch, as (runs claimed to execute
    now, automations handled, the claimed runs' automations as read)."""
    s = worker.settings.core
    # models.store.claims_ahead reads SQLite's data_version
    ahead = worker.quick_runs and worker.engine.dialect.name == "sqlite"
    due, limit, quick_claims = True, s.claim_batch, 0
    while due:
        if quick_claims >= QUICK_CLAIMS_BEFORE_GROWING and ahead:
            due = yield from claim_ahead(
                worker.engine,
                now=now,
                worker_id=worker.worker_id,
                lease_seconds=s.lease_seconds,
                limit=limit,
                first=s.claim_batch,
                planner=planner,
                quick=quick.runs,
                plans=plans,
                clock=clock,
            )
            # what is left (if the overlap stopped early) starts over with small claims
            quick_claims, limit = 0, s.claim_batch
            continue
        known: dict[int, RunAutomation] = {}
        claimed, handled = claim_due_occurrences(
            worker.engine,
            now=now,
            leased_at=clock(),
            limit=limit,
            planner=planner,
            worker_id=worker.worker_id,
            lease_seconds=s.lease_seconds,
            inputs=known,
            quick=quick.runs if worker.quick_runs else None,
            plans=plans,
        )
        yield claimed, handled, known
        due = handled >= limit
        # a large backlog of runs the claims record themselves is claimed in larger batches
        # (fewer statements per occurrence; each write holds SQLite's lock a little longer);
        # runs to execute after their claim keep the batch and its bound on runs waiting, and
        # so does a backlog of a few batches
        quick_claims = quick_claims + 1 if due and not claimed else 0
        if quick_claims >= QUICK_CLAIMS_BEFORE_GROWING:
            limit = max(s.claim_batch, s.claim_batch_quick)
        else:
            limit = s.claim_batch
