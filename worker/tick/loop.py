"""`skilltick worker`: tick at each minute boundary, and early when a queued run comes due
(a manual run, a retry, later an event), whichever process queued it, or a pause ends."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from models.store.health import store_fault, unavailable
from models.store.pauses import next_pause_end
from models.store.run_queue import db_now, next_wakeup
from worker.tick.report import TickReport
from worker.tick.tick import Worker

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how often a sleeping worker checks for newly queued runs
STORE_RETRY_SECONDS = 5.0  # how often a worker looks again at a store that cannot take writes


def _next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def _earliest(*instants: datetime | None) -> datetime | None:
    return min((i for i in instants if i is not None), default=None)


def run_worker(
    worker: Worker,
    *,
    stop: threading.Event,
    wake: threading.Event | None = None,
    on_tick: Callable[[TickReport], None] | None = None,
) -> None:
    """Loop until `stop` is set. `wake` lets an in-process caller skip the polling delay."""
    wake = wake or threading.Event()
    # modules, settings and caches built so far live as long as the process: keep the garbage
    # collector from rescanning them on every full collection (pauses of 100 ms and more)
    gc.collect()
    gc.freeze()
    fault: str | None = None
    while not stop.is_set():
        # nothing is claimed while the store cannot take writes (a deleted or read-only file,
        # an unreachable server): claims would fail or be lost; it resumes once a write works
        problem = store_fault(worker.engine, datetime.now(UTC))
        if problem is not None:
            if problem != fault:
                log.error("the store cannot take writes; not claiming: %s", problem)
            fault = problem
            stop.wait(STORE_RETRY_SECONDS)
            continue
        if fault is not None:
            log.warning("the store takes writes again; claiming resumes")
            fault = None
        try:
            report = worker.tick()
            if on_tick:
                on_tick(report)
            now = db_now(worker.engine)
        except Exception:  # a locked or unreachable database: try again shortly, lose nothing
            log.exception("tick failed; retrying")
            stop.wait(5)
            continue
        boundary = _next_minute(now)
        while not stop.is_set():
            if wake.is_set():
                wake.clear()
                break
            try:
                now = db_now(worker.engine)
                due = _earliest(next_wakeup(worker.engine), next_pause_end(worker.engine))
            except Exception as exc:
                if unavailable(exc) is not None:
                    break  # the store went bad: the loop's check says why and waits
                log.warning("wake-up check failed", exc_info=True)
                due = None
            if now >= boundary or (due is not None and due <= now):
                break
            wait = min(POLL_SECONDS, (boundary - now).total_seconds())
            wake.wait(max(0.05, wait))
