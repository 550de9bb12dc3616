"""What a tick reports (TickReport), and the garbage collector's pace while it runs."""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class TickReport:
    worker_id: str
    now: datetime
    occurrences: int = 0  # cron/poll occurrences materialised (run or skipped)
    claimed: int = 0
    quick: int = 0  # of the claimed, runs recorded by their claim (worker.tick.quick)
    rescued: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    skipped_reasons: Counter[str] = field(default_factory=Counter)
    retries_queued: int = 0
    paused: list[int] = field(default_factory=list)
    fenced: int = 0
    unlogged: int = 0
    given_up: int = 0  # runs past their budget, left for a rescue
    # destinations whose circuit breaker is open (failing fast), with why
    open_breakers: list[dict[str, Any]] = field(default_factory=list)
    notices_sent: int = 0
    invalid_schedules: list[int] = field(default_factory=list)
    resumed: list[int] = field(default_factory=list)  # pauses that ended by themselves
    outputs_pruned: int = 0
    duration_ms: int = 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["now"] = self.now.isoformat()
        data["statuses"] = dict(self.statuses)
        data["skipped_reasons"] = dict(self.skipped_reasons)
        return data


#: the cyclic garbage collector's thresholds while a tick runs (see fewer_collections)
TICK_GC_THRESHOLDS = (50_000, 20, 100)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while a tick runs. A tick allocates a few small
    objects per run that live until their batch is recorded, so with the default thresholds the
    collector runs every few runs and scans everything they and the process hold, for almost
    nothing: runs leave next to no cycles. The thresholds are the process's, and are put back
    afterwards."""
    before = gc.get_threshold()
    if before[0] == 0:  # automatic collection is off already
        yield
        return
    gc.set_threshold(*(max(a, b) for a, b in zip(before, TICK_GC_THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*before)
