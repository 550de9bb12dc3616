"""Quick claims on SQLite, overlapped: while one claim's statements run on a thread of their own
(sqlite3 lets go of the GIL while a statement runs), the next batch's quick runs execute and its
write is planned on the caller's thread.

Each claim's write also reads the batch after the next one: the due rows but the next batch's
(due still, being executed meanwhile), read under the write lock after the claim's own writes.
A later claim writes from rows read so only while no other connection has committed since the
first read (SQLite's data_version, which this connection's own commits leave as it is). A claim
writes only its own automations, their runs and the month's counters, never a later batch's
rows, so those rows are then exactly what is under the lock. When another connection has
committed, the claim writes nothing and the overlap stops: the caller claims what is left one
batch at a time (claim_due_occurrences), reading every row again. A run executed from rows that
were not written recorded nothing and sent nothing: its channel writes only within its claim's
transaction.

Runs of an organisation with a runs-per-minute limit wait for the claim being written before
they are counted against it (QuickRuns.settle): the limit counts the runs started from the
database.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.engine import Connection, Engine

from models.engine import READ_ONLY_OPTION
from models.store.occurrence_plans import Planner, PlanOf, RowPlans
from models.store.occurrence_rows import OccurrenceWriter
from models.store.occurrences import (
    ClaimWrite,
    PreparedClaim,
    data_version,
    due_select,
    fetch_rows,
    with_pending,
)
from models.store.quick_claims import QuickRuns, execute_quick
from models.store.run_inputs import RunAutomation
from models.store.run_queue import ClaimedRun, automations

#: how long a thread holding the GIL keeps it while the claim's thread waits to go on after a
#: statement (Python's default is 5 ms, about what a whole statement takes)
_SWITCH_SECONDS = 0.0002

#: what each claim yields: the runs claimed to execute after it, the automations it handled,
#: the claimed runs' automations as read
Claimed = tuple[list[ClaimedRun], int, dict[int, RunAutomation]]


@dataclass(slots=True)
class _Batch:
    rows: list[Any]
    prepared: PreparedClaim
    known: dict[int, RunAutomation]


def claim_ahead(
    engine: Engine,
    *,
    now: datetime,
    worker_id: str,
    lease_seconds: int,
    limit: int,
    first: int,
    planner: Planner,
    quick: QuickRuns,
    plans: RowPlans,
    clock: Callable[[], datetime],
) -> Generator[Claimed, None, bool]:
    """Claims due occurrences `limit` at a time (the first claim `first`: it is written while
    the next batch executes, but nothing overlaps its own execution), overlapped (see the
    module text), yielding each claim as claim_due_occurrences returns it; returns whether due
    automations may be left for the caller to claim one batch at a time (False: none is
    due)."""
    plan_of = PlanOf(planner, plans)

    def prepare(rows: list[Any], pending: set[int]) -> _Batch:
        done = execute_quick(rows, pending, plan_of, quick, now)
        known: dict[int, RunAutomation] = {}
        lease_until = clock() + timedelta(seconds=lease_seconds)
        claim = ClaimWrite(now, worker_id, lease_until, plan_of, known, quick)
        writer = OccurrenceWriter(
            None, now=now, worker_id=worker_id, lease_until=lease_until, sqlite=True
        )
        return _Batch(rows, claim.prepare(writer, rows, pending, done), known)

    with engine.connect() as conn, engine.connect() as reader:
        for read_only in (reader, conn):
            read_only.execution_options(**{READ_ONLY_OPTION: True})
        with conn.begin():
            # compared before each claim's write: every row is read after this
            seen = data_version(conn)
        conn.execution_options(**{READ_ONLY_OPTION: False})
        with reader.begin():
            rows = fetch_rows(reader, due_select(first + limit, True, False), {"now": now})
            pending = with_pending(reader, rows)
        if not rows:
            return False
        batch, full = prepare(rows[:first], pending), len(rows) > first
        following = rows[first:]
        with ThreadPoolExecutor(1, "claim-write") as thread, _quick_switches():
            while True:
                writing = thread.submit(_write, conn, batch.prepared, seen)
                quick.settle = functools.partial(wait, (writing,))
                try:
                    after = prepare(following, pending) if following else None
                    if len(following) == limit:  # the batch after the next, behind a full one
                        rows, pending = _read_ahead(reader, batch.rows, following, limit, now)
                    else:
                        rows = []
                finally:
                    quick.settle = _settled
                claimed = writing.result()
                if claimed is None:  # another connection committed: claim one at a time
                    return True
                yield claimed, len(batch.rows), batch.known
                if after is None or claimed:
                    # nothing read ahead, or runs to execute after their claim: those keep
                    # the sequential claims' bound on runs waiting
                    return after is not None or full
                batch, full, following = after, len(following) == limit, rows


def _settled() -> None:
    """No claim is being written."""


def _write(conn: Connection, prepared: PreparedClaim, seen: int) -> list[ClaimedRun] | None:
    """The claim's statements; None, having written nothing, if another connection committed
    since the first rows were read."""
    with conn.begin():
        if data_version(conn) != seen:
            return None
        return prepared.commit(conn)


def _read_ahead(
    reader: Connection, writing: list[Any], following: list[Any], limit: int, now: datetime
) -> tuple[list[Any], set[int]]:
    """The due rows but those of the batch being written and the next one, with their
    pending runs. Either batch may or may not be written in what this read sees: their rows
    are left out, and no other row is written by them."""
    ahead = [r[0] for r in writing]
    ahead += [r[0] for r in following]
    with reader.begin():
        rows = fetch_rows(reader, _ahead_select(limit), {"now": now, "ahead": str(ahead)})
        return rows, with_pending(reader, rows)


@functools.lru_cache(maxsize=4)
def _ahead_select(limit: int) -> Any:
    """The due select, but for the automations whose ids are the JSON array `ahead`."""
    ids: Any = select(literal_column("value")).select_from(func.json_each(bindparam("ahead")))
    return due_select(limit, True, False).where(automations.c.id.not_in(ids))


@contextlib.contextmanager
def _quick_switches() -> Iterator[None]:
    """The claim's thread waits for the GIL after each statement: held for Python's default
    interval by the caller's thread, that wait would outlast the statements. Ticks of one
    process may overlap (a worker and a cron tick in one service): the first to enter sets the
    interval, the last to leave puts the process's own back."""
    with _switches.lock:
        if not _switches.entered:
            _switches.before = sys.getswitchinterval()
            sys.setswitchinterval(min(_switches.before, _SWITCH_SECONDS))
        _switches.entered += 1
    try:
        yield
    finally:
        with _switches.lock:
            _switches.entered -= 1
            if not _switches.entered:
                sys.setswitchinterval(_switches.before)


@dataclass(slots=True)
class _Switches:
    lock: threading.Lock
    entered: int = 0
    before: float = 0.0


_switches = _Switches(threading.Lock())
