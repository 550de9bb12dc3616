"""One in-process queue for SQLite's write lock.

SQLite lets one transaction write at a time; a thread whose BEGIN IMMEDIATE finds the lock taken
sleeps in the busy handler and polls (1, 2, 5 ... up to 100 ms between tries), so under load
threads of one process (webhook writes, the worker's inbox processing, the tick) spend much of
their time asleep while the lock is free. Here every write transaction of an engine first takes
a plain lock in the process, which wakes the next waiter the moment the previous transaction has
committed or rolled back; SQLite's own lock (and its busy handler) still arbitrates between
processes.

The wait is bounded by the engine's busy timeout, after which BEGIN IMMEDIATE is tried anyway
and fails or succeeds as it would without the gate. A thread that already holds the gate (a
write inside a write) is not queued behind itself: it goes straight to SQLite, as before.
"""

from __future__ import annotations

import threading
from typing import Any


class WriteGate:
    """Serialises one engine's write transactions within the process; see the module text."""

    def __init__(self, timeout_seconds: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout_seconds
        self._owner: int | None = None  # the thread holding the gate
        self._holder: Any = None  # the DBAPI connection whose transaction holds it

    @property
    def held(self) -> bool:
        """A write transaction of this process is open."""
        return self._holder is not None

    def enter(self, dbapi_connection: Any) -> None:
        """Before BEGIN IMMEDIATE on this DBAPI connection."""
        me = threading.get_ident()
        if self._owner == me:
            return
        if self._timeout > 0:
            acquired = self._lock.acquire(timeout=self._timeout)
        else:
            acquired = self._lock.acquire(blocking=False)
        if acquired:
            self._owner, self._holder = me, dbapi_connection

    def leave(self, dbapi_connection: Any) -> None:
        """Once this connection's transaction has ended (or its BEGIN failed, or the pool took
        the connection back): the next writer may go."""
        if self._holder is not None and self._holder is dbapi_connection:
            self._owner = self._holder = None
            self._lock.release()
