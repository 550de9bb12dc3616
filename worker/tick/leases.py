"""Keeping the leases of the runs a worker holds (LeaseKeeper)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models.store.run_queue import renew_leases

log = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews this worker's leases on the runs it holds, from a background thread, so a run
    that is making progress keeps its lease and a dead worker's lease runs out. A run that has
    started is renewed only until its budget's deadline: one stuck past it loses its lease."""

    def __init__(
        self, engine: Engine, worker_id: str, lease_seconds: int, clock: Callable[[], datetime]
    ) -> None:
        self.engine, self.worker_id, self.lease_seconds = engine, worker_id, lease_seconds
        self.clock = clock
        # run id -> monotonic deadline once started (None: claimed, waiting for a thread)
        self.active: dict[int, float | None] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LeaseKeeper:
        self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def hold(self, run_ids: list[int]) -> None:
        with self._lock:
            self.active.update(dict.fromkeys(run_ids))

    def started(self, run_id: int, deadline: float) -> None:
        with self._lock:
            if run_id in self.active:
                self.active[run_id] = deadline

    def release(self, run_ids: list[int]) -> None:
        with self._lock:
            for run_id in run_ids:
                self.active.pop(run_id, None)

    def renewable(self) -> list[int]:
        """The runs still waiting or within their budget."""
        moment = time.monotonic()
        with self._lock:
            return [i for i, d in self.active.items() if d is None or d > moment]

    def _run(self) -> None:
        interval = max(0.5, self.lease_seconds / 3)
        while not self._stop.wait(interval):
            ids = self.renewable()
            if not ids:
                continue
            try:
                until = self.clock() + timedelta(seconds=self.lease_seconds)
                renew_leases(self.engine, worker_id=self.worker_id, run_ids=ids, until=until)
            except Exception:  # the next renewal or the rescue covers it
                log.warning("lease renewal failed", exc_info=True)
