"""Executing a claimed batch: a bounded number of threads, fair across organisations.

The tick's own thread executes the batch's runs one after another, taken round-robin by
organisation. When every executing thread has been busy on one run for `spawn_after` seconds and
runs are waiting, a helper thread joins (up to `threads` in all), and one organisation holds at
most `per_org` threads at once: a tenant whose runs are slow (a heavy template, a dead mail
server) leaves the other threads to everyone else, while a batch of quick runs costs no thread
switching at all. Once helpers are working, finished runs are recorded every `flush_seconds`
rather than when the whole batch is, so a quick run is on record within a second whatever its
batch mates do. A run that overstays its budget is given up on: its lease stops being renewed
(another worker may rescue it) and the batch returns without it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from models.store.completions import RunCompletion
from models.store.run_queue import ClaimedRun

log = logging.getLogger(__name__)

Execute = Callable[[ClaimedRun], RunCompletion]
Record = Callable[[list[RunCompletion]], None]
Started = Callable[[int, float], None]


@dataclass
class _Batch:
    """One batch's shared state; every field is guarded by `lock`."""

    per_org: int
    lock: threading.Condition = field(default_factory=threading.Condition)
    queues: dict[int, deque[ClaimedRun]] = field(default_factory=dict)
    order: deque[int] = field(default_factory=deque)
    in_flight: dict[int, int] = field(default_factory=dict)
    unfinished: int = 0
    busy: dict[int, float] = field(default_factory=dict)  # thread number -> run started
    deadlines: dict[int, float] = field(default_factory=dict)  # run id -> budget's end
    threads: int = 1
    ready: list[RunCompletion] = field(default_factory=list)
    first_ready: float = 0.0

    def add(self, run: ClaimedRun) -> None:
        if run.org_id not in self.queues:
            self.queues[run.org_id] = deque()
            self.order.append(run.org_id)
            self.in_flight[run.org_id] = 0
        self.queues[run.org_id].append(run)
        self.unfinished += 1

    def take(self) -> ClaimedRun | None:
        """The next organisation's next run, skipping organisations at their share."""
        for _ in range(len(self.order)):
            org = self.order[0]
            self.order.rotate(-1)
            if self.queues[org] and self.in_flight[org] < self.per_org:
                self.in_flight[org] += 1
                return self.queues[org].popleft()
        return None

    def pending(self) -> bool:
        return any(self.queues.values())

    def take_ready(self) -> list[RunCompletion]:
        ready, self.ready = self.ready, []
        return ready


class FairBatch:
    """Runs `execute` over a batch and hands finished completions to `record`, always from one
    thread at a time. `started(run_id, deadline)` tells the lease keeper a run began and until
    when (time.monotonic) it may run."""

    def __init__(
        self,
        *,
        threads: int,
        per_org: int,
        budget_seconds: float,
        flush_seconds: float = 0.5,
        spawn_after: float = 0.05,
    ) -> None:
        self.threads = max(1, threads)
        self.per_org = max(1, per_org)
        self.budget_seconds = budget_seconds
        self.flush_seconds = flush_seconds
        self.spawn_after = spawn_after

    def run(
        self, batch: list[ClaimedRun], execute: Execute, record: Record, started: Started
    ) -> list[int]:
        """Execute every run; returns the ids of the runs given up on (past their budget)."""
        if self.threads == 1 or len(batch) == 1:
            # one thread: the batch in order, recorded in one go
            completions = []
            for run in batch:
                started(run.run_id, time.monotonic() + self.budget_seconds)
                completions.append(execute(run))
            record(completions)
            return []
        state = _Batch(self.per_org)
        for run in batch:
            state.add(run)
        recording = threading.Lock()
        failures: list[BaseException] = []

        def flush(only_due: bool) -> None:
            with state.lock:
                due = state.ready and (
                    not only_due
                    or (
                        state.threads > 1
                        and time.monotonic() - state.first_ready >= self.flush_seconds
                    )
                )
                ready = state.take_ready() if due else []
            if ready:
                with recording:
                    record(ready)

        stop = threading.Event()
        supervisor = threading.Thread(
            target=self._supervise,
            args=(state, execute, started, stop, flush, failures),
            name="run-supervisor",
            daemon=True,
        )
        supervisor.start()
        try:
            self._work(state, 0, execute, started)
            given_up = self._wait_for_helpers(state)
        finally:
            stop.set()
            supervisor.join()
        if failures:
            raise failures[0]
        flush(only_due=False)
        return given_up

    def _work(self, state: _Batch, number: int, execute: Execute, started: Started) -> None:
        while True:
            with state.lock:
                run = state.take()
                while run is None and state.pending():
                    state.lock.wait()
                    run = state.take()
                if run is None:
                    return
                state.busy[number] = time.monotonic()
                deadline = state.deadlines[run.run_id] = state.busy[number] + self.budget_seconds
            started(run.run_id, deadline)
            try:
                completion: RunCompletion | None = execute(run)
            except Exception:  # execute() turns failures into completions; belt and braces
                log.exception("run %s escaped its executor", run.run_id)
                completion = None
            with state.lock:
                state.in_flight[run.org_id] -= 1
                state.unfinished -= 1
                state.deadlines.pop(run.run_id, None)
                state.busy.pop(number, None)
                if completion is not None:
                    if not state.ready:
                        state.first_ready = time.monotonic()
                    state.ready.append(completion)
                state.lock.notify_all()

    def _supervise(
        self,
        state: _Batch,
        execute: Execute,
        started: Started,
        stop: threading.Event,
        flush: Callable[[bool], None],
        failures: list[BaseException],
    ) -> None:
        """Adds helpers when every thread is stuck in a long run, and records finished runs
        while helpers work."""
        while not stop.wait(self.spawn_after):
            with state.lock:
                moment = time.monotonic()
                stuck = (
                    state.pending()
                    and state.threads < self.threads
                    and len(state.busy) == state.threads
                    and all(moment - since >= self.spawn_after for since in state.busy.values())
                )
                if stuck:
                    number = state.threads
                    state.threads += 1
            if stuck:
                # daemon: a run stuck past its budget must not keep the process alive
                threading.Thread(
                    target=self._work,
                    args=(state, number, execute, started),
                    name=f"run-{number}",
                    daemon=True,
                ).start()
            try:
                flush(True)
            except Exception as exc:  # the tick's thread raises it once the batch is done
                failures.append(exc)
                return

    def _wait_for_helpers(self, state: _Batch) -> list[int]:
        """Wait for the helpers' runs; give up on those past their budget."""
        with state.lock:
            while state.unfinished > 0:
                moment = time.monotonic()
                if not state.pending() and all(d < moment for d in state.deadlines.values()):
                    given_up = list(state.deadlines)
                    log.warning("runs %s overstayed their budget; left to rescue", given_up)
                    return given_up
                state.lock.wait(timeout=self.flush_seconds)
        return []
