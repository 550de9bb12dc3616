"""Executing a claimed batch: a bounded number of threads, fair across organisations.

The tick adds each claimed batch to one session as it claims it. One thread executes the runs,
taken round-robin by organisation; when every executing thread has been busy on one run for
`spawn_after` seconds and runs are waiting, a helper joins (up to `threads` in all), and one
organisation holds at most `per_org` threads at once: a tenant whose runs are slow (a heavy
template, a dead mail server) leaves the other threads to everyone else, while quick runs cost
no thread switching. The thread that finishes a run records what is ready once nothing is left
to take, every `flush_size` runs, or when the oldest has waited `flush_seconds` (a supervisor
does it while every thread is stuck), so a quick run is on record within a second whatever its
batch mates do. A run that overstays its budget is given up on: its lease stops being renewed
(another worker may rescue it) and the tick returns without it.

While runs are quick, the tick claims the next batch once the last one is executed and
recorded: claiming, executing and recording then take turns instead of contending for the
interpreter lock and SQLite's write lock run by run. Once every executing thread is stuck in
a slow run, the tick goes on claiming: one tenant's slow runs do not hold back the next batch.
Claiming ahead is bounded: once `backlog` runs wait (queued for a thread, or finished and not
yet taken to be recorded), adding another batch waits until enough of them are recorded, so a
tick of any size holds a few batches at a time; the cost is that one organisation with more
than `backlog` slow runs queued delays the next claim.
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
    """One batch's shared state; every field is guarded by `mutex`. Run threads wait on
    `lock` for runs to take; the tick's thread waits on `progress`, which is told only of
    what it waits for (a batch done, room in the backlog, every run finished), not of every
    run: waking it per run would make the threads take turns at the interpreter lock."""

    per_org: int
    mutex: threading.Lock = field(default_factory=threading.Lock)
    lock: threading.Condition = field(init=False)
    progress: threading.Condition = field(init=False)
    queues: dict[int, deque[ClaimedRun]] = field(default_factory=dict)
    order: deque[int] = field(default_factory=deque)
    in_flight: dict[int, int] = field(default_factory=dict)
    unfinished: int = 0
    queued: int = 0  # added, not yet taken by a thread
    busy: dict[int, float] = field(default_factory=dict)  # thread number -> run started
    deadlines: dict[int, float] = field(default_factory=dict)  # run id -> budget's end
    threads: int = 1  # threads alive
    spawned: int = 1  # thread numbers handed out
    ready: list[RunCompletion] = field(default_factory=list)
    first_ready: float = 0.0
    recording: int = 0  # flushes taken and not yet written
    closed: bool = False  # the session is finished: nothing more is recorded

    def __post_init__(self) -> None:
        self.lock = threading.Condition(self.mutex)
        self.progress = threading.Condition(self.mutex)

    def add(self, run: ClaimedRun) -> None:
        if run.org_id not in self.queues:
            self.queues[run.org_id] = deque()
            self.order.append(run.org_id)
            self.in_flight[run.org_id] = 0
        self.queues[run.org_id].append(run)
        self.unfinished += 1
        self.queued += 1

    def take(self) -> ClaimedRun | None:
        """The next organisation's next run, skipping organisations at their share."""
        for _ in range(len(self.order)):
            org = self.order[0]
            self.order.rotate(-1)
            if self.queues[org] and self.in_flight[org] < self.per_org:
                self.in_flight[org] += 1
                self.queued -= 1
                return self.queues[org].popleft()
        return None

    def pending(self) -> bool:
        return any(self.queues.values())

    def waiting(self) -> int:
        """Runs not yet taken by a thread, or finished and not yet taken to be recorded."""
        return self.queued + len(self.ready)

    def stuck(self, after: float) -> bool:
        """Whether every executing thread has been on its run for `after` seconds or more."""
        moment = time.monotonic()
        return bool(self.busy) and all(moment - since >= after for since in self.busy.values())

    def take_ready(self) -> list[RunCompletion]:
        ready, self.ready = self.ready, []
        return ready


class FairBatch:
    """How a tick executes its runs: `threads` at most, `per_org` of them per organisation.
    `session()` starts one tick's execution; claimed batches are added to it as they come."""

    def __init__(
        self,
        *,
        threads: int,
        per_org: int,
        budget_seconds: float,
        flush_seconds: float = 0.5,
        flush_size: int = 1000,
        spawn_after: float = 0.05,
        backlog: int = 2000,
    ) -> None:
        self.threads = max(1, threads)
        self.per_org = max(1, per_org)
        self.budget_seconds = budget_seconds
        self.flush_seconds = flush_seconds
        self.flush_size = flush_size
        self.spawn_after = spawn_after
        self.backlog = max(1, backlog)

    def session(self, execute: Execute, record: Record, started: Started) -> FairSession:
        return FairSession(self, execute, record, started)


class FairSession:
    """One tick's execution. `add` queues a claimed batch (with one thread: runs it there and
    then, in order, and records it in one go), first waiting while the backlog is full, then
    until the batch is done unless its runs are slow; `finish` waits for every run and returns
    the ids of those given up on (past their budget). `record` is only ever called from one thread
    at a time; `started(run_id, deadline)` tells the lease keeper a run began and until when
    (time.monotonic) it may run."""

    def __init__(
        self, config: FairBatch, execute: Execute, record: Record, started: Started
    ) -> None:
        self.config, self.execute, self.record, self.started = config, execute, record, started
        self.state = _Batch(config.per_org, threads=0, spawned=1)
        self._recording = threading.Lock()
        self._failures: list[BaseException] = []
        self._stop = threading.Event()
        self._supervisor: threading.Thread | None = None

    def add(self, batch: list[ClaimedRun]) -> None:
        if not batch:
            return
        if self.config.threads == 1:
            completions = []
            for run in batch:
                self.started(run.run_id, time.monotonic() + self.config.budget_seconds)
                completions.append(self.execute(run))
            self.record(completions)
            return
        state, config = self.state, self.config
        with state.lock:
            # a batch always fits an empty backlog, however large it is
            while state.waiting() and state.waiting() + len(batch) > config.backlog:
                self._check()
                state.progress.wait(timeout=config.flush_seconds)
            for run in batch:
                state.add(run)
            state.lock.notify_all()
            spawn = state.threads == 0
            if spawn:
                state.threads = 1
        if spawn:
            self._spawn(0)
        if self._supervisor is None:
            self._supervisor = threading.Thread(
                target=self._supervise, name="run-supervisor", daemon=True
            )
            self._supervisor.start()
        with state.lock:
            # quick runs: the next claim waits until this batch is executed and recorded, so
            # the claiming thread and the running one do not take turns at the interpreter
            # lock (and at SQLite's write lock) run by run; slow runs: it goes ahead
            while (state.waiting() or state.recording) and not state.stuck(config.spawn_after):
                self._check()
                state.progress.wait(timeout=config.spawn_after)

    def _check(self) -> None:
        """Raise a recording failure in the claiming thread: claiming more would be in vain."""
        if self._failures:
            raise self._failures[0]

    def finish(self) -> list[int]:
        if self._supervisor is None:
            return []
        try:
            given_up = self._wait()
        finally:
            self._stop.set()
            self._supervisor.join()
        state = self.state
        with state.lock:
            # a run thread may still be writing the last runs it took to record
            while state.recording and not self._failures:
                state.progress.wait(timeout=self.config.flush_seconds)
            ready = [] if self._failures else self._take_ready(only_due=False)
            state.closed = True
        if self._failures:
            raise self._failures[0]
        self._write(ready)
        return given_up

    def _spawn(self, number: int) -> None:
        # daemon: a run stuck past its budget must not keep the process alive
        threading.Thread(
            target=self._work, args=(number,), name=f"run-{number}", daemon=True
        ).start()

    def _work(self, number: int) -> None:
        state, budget = self.state, self.config.budget_seconds
        while True:
            with state.lock:
                run = state.take()
                while run is None and state.pending():
                    state.lock.wait()
                    run = state.take()
                if run is None:
                    state.threads -= 1  # idle: a later batch starts a thread again
                    state.lock.notify_all()
                    return
                state.busy[number] = time.monotonic()
                deadline = state.deadlines[run.run_id] = state.busy[number] + budget
            self.started(run.run_id, deadline)
            try:
                completion: RunCompletion | None = self.execute(run)
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
                if not state.unfinished:
                    state.progress.notify_all()
                # the thread that finished a run records what is ready once there is nothing
                # left to take, a flush's worth, or the oldest has waited long enough
                ready = self._take_ready(only_due=bool(state.queued))
            if ready:
                try:
                    self._write(ready)
                except Exception as exc:  # the tick's thread raises it
                    self._failures.append(exc)
                    with state.lock:
                        state.threads -= 1
                        state.lock.notify_all()
                        state.progress.notify_all()
                    return

    def _supervise(self) -> None:
        """Adds helpers when every thread is stuck in a long run; records finished runs every
        `flush_seconds` (or `flush_size` runs)."""
        state, config = self.state, self.config
        while not self._stop.wait(config.spawn_after):
            with state.lock:
                moment = time.monotonic()
                stuck = (
                    state.pending()
                    and 0 < state.threads < config.threads
                    and len(state.busy) == state.threads
                    and all(moment - since >= config.spawn_after for since in state.busy.values())
                )
                if stuck:
                    number = state.spawned
                    state.spawned += 1
                    state.threads += 1
            if stuck:
                self._spawn(number)
            try:
                self._flush(only_due=True)
            except Exception as exc:  # the tick's thread raises it once the runs are done
                self._failures.append(exc)
                return

    def _flush(self, only_due: bool) -> None:
        with self.state.lock:
            ready = self._take_ready(only_due)
        self._write(ready)

    def _take_ready(self, only_due: bool) -> list[RunCompletion]:
        """What to record now (the caller holds the lock): all that is ready, or with
        `only_due`, only once a flush's worth waits or the oldest has waited long enough.
        Nothing once the session is finished: a run given up on is not recorded late."""
        state, config = self.state, self.config
        due = (
            state.ready
            and not state.closed
            and (
                not only_due
                or len(state.ready) >= config.flush_size
                or time.monotonic() - state.first_ready >= config.flush_seconds
            )
        )
        if not due:
            return []
        state.recording += 1
        state.progress.notify_all()  # room in the backlog
        return state.take_ready()

    def _write(self, ready: list[RunCompletion]) -> None:
        if not ready:
            return
        state = self.state
        try:
            with self._recording:
                self.record(ready)
        finally:
            with state.lock:
                state.recording -= 1
                state.progress.notify_all()

    def _wait(self) -> list[int]:
        """Until every run is done, or only runs past their budget are left."""
        state = self.state
        with state.lock:
            while state.unfinished > 0:
                if self._failures:
                    return []
                moment = time.monotonic()
                if not state.pending() and all(d < moment for d in state.deadlines.values()):
                    given_up = list(state.deadlines)
                    log.warning("runs %s overstayed their budget; left to rescue", given_up)
                    return given_up
                state.progress.wait(timeout=self.config.flush_seconds)
        return []
