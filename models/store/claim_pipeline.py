"""Claiming due occurrences on SQLite with the store's work on a thread of its own, so a batch's
write overlaps the next batch's planning and quick runs (sqlite3 lets go of the GIL while a
statement or a commit runs, and the tick's Python keeps the other core busy meanwhile).

One connection, on one thread, reads and writes every batch of a tick, in this order: read 1,
read 2, write 1, read 3, write 2, ... The tick's thread takes read N, asks for read N+1, executes
batch N's quick runs and hands batch N's write over; write N then runs while batch N+1's quick
runs execute. What each claim promises (models.store.occurrences.claim_due_occurrences) holds:

- Read N+1 comes before write N on the connection, so it sees batch N's automations still due:
  it leaves out batch N's ids. It comes after write N-1, so that is all it leaves out.
- Write N checks, under the write lock, whether another connection committed since read N
  (SQLite's `PRAGMA data_version` on the same connection, which its own commits, write N-1, do
  not move). If one did, it reads again, among batch N's ids only (read N+1 may hold the others
  due), and what changed counts for nothing or is claimed the usual way, as in one claim.
- A write that fails stops the pipeline: no later batch writes, every batch not committed
  leaves its automations due (its quick runs sent nothing: their channel writes within the
  claim's transaction), and the failure is raised once the writes in flight have ended.
- The runs-per-minute limit counts as it would one claim after the other: while a batch's
  write is in flight, each of its automations counts as a run started when the next batch's
  quick runs are chosen (QuickRuns.in_flight: more than will run, never fewer; a quick run
  that finds no room goes the leased way, whose check is exact), and a write that claimed
  leased runs holds the next write back until the tick has taken them, so their check counts
  the runs started up to theirs and none after.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection, Engine

from models.engine import READ_ONLY_OPTION
from models.store.occurrence_rows import OccurrenceWriter
from models.store.occurrences import (
    AMONG,
    EXCLUDING,
    ClaimWrite,
    Executed,
    Planner,
    PlanOf,
    PreparedClaim,
    QuickRuns,
    RowPlans,
    data_version,
    due_select,
    execute_quick,
    fetch_rows,
    with_pending,
)
from models.store.run_inputs import RunAutomation
from models.store.run_queue import ClaimedRun

#: the interpreter's switch interval while claims are pipelined (seconds; Python's is 0.005)
SWITCH_INTERVAL = 0.0005


@dataclass(slots=True)
class ClaimedBatch:
    """A batch written: the runs claimed to execute now (leased), how many automations it
    handled, and the claimed runs' automations as read."""

    claimed: list[ClaimedRun]
    handled: int
    inputs: dict[int, RunAutomation]


@dataclass(slots=True)
class _Read:
    rows: list[Any]
    pending: set[int]
    seen: int  # the connection's data_version in the read


class _Writing(NamedTuple):
    """A batch's write in flight: its job, where its quick runs' outcomes go, and the runs
    it may start, by organisation (counted as started until it is handed over)."""

    job: Future[ClaimedBatch]
    quick: QuickRuns
    flying: Counter[int]


class _Stopped(Exception):
    """An earlier job of the pipeline failed, or the tick stopped: this one does nothing."""


class PipelinedClaims:
    """A tick's claims of due occurrences with quick runs, on SQLite (see the module text).
    `batches()` yields each batch once written, in order; leaving the block waits for what is
    in flight and closes the connection."""

    def __init__(
        self,
        engine: Engine,
        *,
        now: datetime,
        worker_id: str,
        lease_seconds: int,
        limit: int,
        planner: Planner,
        quick: QuickRuns,
        plans: RowPlans,
        clock: Callable[[], datetime],
    ) -> None:
        self.engine, self.now, self.worker_id, self.limit = engine, now, worker_id, limit
        self.lease = timedelta(seconds=lease_seconds)
        self.plan_of = PlanOf(planner, plans)
        self.quick, self.clock = quick, clock
        self._read_due = due_select(limit, True, False, EXCLUDING)
        self._read_again = due_select(limit, True, False, AMONG)
        self._store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claim-store")
        self._conn: Connection | None = None
        self._stopped = False
        self._pending: list[Future[Any]] = []
        self._interval = sys.getswitchinterval()
        # cleared by a write that claimed leased runs, set once the tick has taken them
        self._handed = threading.Event()
        self._handed.set()

    def __enter__(self) -> PipelinedClaims:
        # the claim thread takes the GIL back after each statement, and waits up to the
        # switch interval for the tick's thread to let go of it: shorter while claims run
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped = True  # jobs not started yet do nothing
        self._handed.set()
        try:
            for job in self._pending:
                try:
                    job.result()
                except Exception:  # raised to the tick already, or a job it no longer needs
                    pass
            self._store.submit(self._close).result()
            self._store.shutdown(wait=True)
        finally:
            sys.setswitchinterval(self._interval)

    def batches(self) -> Iterator[ClaimedBatch]:
        """Each batch once its write has committed, until nothing is due."""
        reading: Future[_Read] | None = self._submit(self._read, [])
        writing: deque[_Writing] = deque()
        stopped = False
        while reading is not None:
            yield from self._hand_over(writing, until=reading)
            try:
                read = reading.result()
            except _Stopped:  # a write failed: the writes before it are yielded, it raises
                stopped = True
                break
            if not read.rows:
                break
            ids = [r[0] for r in read.rows]
            reading = self._submit(self._read, ids) if len(read.rows) >= self.limit else None
            done: dict[int, Executed] = execute_quick(
                read.rows, read.pending, self.plan_of, self.quick, self.now
            )
            # every automation of the batch may start a run (quick, or leased by the write)
            flying = Counter(row[1] for row in read.rows)
            self.quick.in_flight.update(flying)
            mine = replace(self.quick, recorded=[], finished=[], unlogged=0)
            claim = ClaimWrite(
                self.now, self.worker_id, self.clock() + self.lease, self.plan_of, {}, mine
            )
            # the write's Python (planning, the done rows) here, its statements on the store's
            # thread: should nothing else have committed since the read, they are all it runs
            writer = OccurrenceWriter(
                None,
                now=self.now,
                worker_id=self.worker_id,
                lease_until=claim.lease_until,
                sqlite=True,
            )
            prepared = claim.prepare(writer, read.rows, read.pending, done)
            job = self._submit(self._write, read, ids, done, prepared)
            writing.append(_Writing(job, mine, flying))
            yield from self._hand_over(writing)
        while writing:
            yield from self._hand_over(writing, until=writing[-1].job)
        if stopped:
            raise RuntimeError("the claims stopped before every batch was written")

    def _hand_over(
        self, writing: deque[_Writing], until: Future[Any] | None = None
    ) -> Iterator[ClaimedBatch]:
        """Yields the writes done, in order, until `until` is done (None: those done now). A
        write that claimed leased runs holds the next write back until the tick has taken
        them (self._handed): their runs-per-minute check counts the runs started up to them."""
        while True:
            while writing and writing[0].job.done():
                batch = self._written(writing.popleft())
                yield batch
                self._handed.set()
            if until is None or until.done():
                return
            waiting = [until, writing[0].job] if writing else [until]
            wait(waiting, return_when=FIRST_COMPLETED)

    def _written(self, writing: _Writing) -> ClaimedBatch:
        try:
            batch = writing.job.result()
        finally:
            self.quick.in_flight.subtract(writing.flying)
        quick, mine = self.quick, writing.quick
        quick.recorded.extend(mine.recorded)
        quick.finished.extend(mine.finished)
        quick.unlogged += mine.unlogged
        return batch

    def _submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        future = self._store.submit(job, *args)
        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(future)
        return future

    # on the store's thread

    def _connection(self) -> Connection:
        if self._stopped:
            raise _Stopped
        if self._conn is None:
            self._conn = self.engine.connect()
        return self._conn

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _read(self, excluded: list[int]) -> _Read:
        conn = self._connection()
        try:
            conn.execution_options(**{READ_ONLY_OPTION: True})
            with conn.begin():
                params = {"now": self.now, "excluded": json.dumps(excluded)}
                rows = fetch_rows(conn, self._read_due, params)
                seen = data_version(conn)
                pending = with_pending(conn, rows)
            conn.execution_options(**{READ_ONLY_OPTION: False})
        except BaseException:
            self._stopped = True
            raise
        return _Read(rows, pending, seen)

    def _write(
        self, read: _Read, ids: list[int], done: dict[int, Executed], prepared: PreparedClaim
    ) -> ClaimedBatch:
        self._handed.wait()
        conn = self._connection()
        claim = prepared.claim
        try:
            with conn.begin():
                if data_version(conn) == read.seen:
                    rows = read.rows
                    claimed = prepared.commit(conn)
                else:  # read again, and written from what was read (see the module text)
                    params = {"now": self.now, "among": json.dumps(ids)}
                    rows = fetch_rows(conn, self._read_again, params)
                    pending = with_pending(conn, rows)
                    claim.inputs = {}
                    claimed = claim.write(conn, rows, pending, done) if rows else []
        except BaseException:
            self._stopped = True
            raise
        if claimed:
            self._handed.clear()
        return ClaimedBatch(claimed, len(rows), claim.inputs or {})
