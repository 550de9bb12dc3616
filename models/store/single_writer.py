"""One writer per SQLite database for many small concurrent writes (webhook deliveries).

SQLite has one write lock. Threads that each open their own write transaction queue for it in
the busy handler, which sleeps and polls: under a burst most of a request's time is spent
asleep. Here callers hand their write to a queue instead; one thread drains it in batches, runs
each write in its own savepoint of one transaction on one connection, commits, and only then
wakes each caller with its own result (or its own exception). A caller therefore returns only
once its row is committed, and one failing write never undoes the others of its batch.

PostgreSQL takes concurrent writers well: there `write` runs the function in a transaction of
its own in the calling thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

T = TypeVar("T")

#: writes committed together at most (a burst larger than this takes several commits)
MAX_BATCH = 256
#: the writer thread ends after this long without work (the next write starts another)
IDLE_SECONDS = 5.0

_Item = tuple[Callable[[Connection], Any], Future[Any]]


class SingleWriter:
    """Serialises writes to one engine through one thread; see the module docstring."""

    def __init__(self, engine: Engine) -> None:
        # weak: the registry below must not keep a disposed engine (and its pool) alive
        self._engine = weakref.ref(engine)
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def write(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn(conn)` in the writer's transaction; returns once it is committed."""
        return self.submit(fn).result()

    def submit(self, fn: Callable[[Connection], T]) -> Future[T]:
        """Queue `fn(conn)` for the writer's next transaction; the future says how it went."""
        future: Future[T] = Future()
        self._queue.put((fn, future))
        self._ensure_thread()
        return future

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._drain, name="sqlite-single-writer", daemon=True
                )
                self._thread.start()

    def _drain(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    # a write queued while we timed out still needs a thread: stay
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[_Item]) -> None:
        done: list[tuple[Future[Any], Any]] = []
        failed: list[tuple[Future[Any], BaseException]] = []
        try:
            engine = self._engine()
            if engine is None:
                raise RuntimeError("the engine behind this writer is gone")
            with engine.begin() as conn:
                for fn, future in batch:
                    if not future.set_running_or_notify_cancel():
                        continue
                    try:
                        with conn.begin_nested():
                            done.append((future, fn(conn)))
                    except Exception as exc:  # this write alone is rolled back
                        failed.append((future, exc))
        except Exception as exc:  # the commit failed: nothing of this batch is stored
            log.warning("a batch of %d writes failed to commit", len(batch), exc_info=True)
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for future, result in done:
            future.set_result(result)
        for future, error in failed:
            future.set_exception(error)


_writers: weakref.WeakKeyDictionary[Engine, SingleWriter] = weakref.WeakKeyDictionary()
_writers_lock = threading.Lock()


def write(engine: Engine, fn: Callable[[Connection], T]) -> T:
    """Run `fn(conn)` in a committed write transaction: on SQLite through the database's single
    writer, on PostgreSQL in the caller's own transaction."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            return fn(conn)
    return _writer(engine).write(fn)


def write_later(engine: Engine, fn: Callable[[Connection], T]) -> Future[T]:
    """Hand a write that nobody waits for (a token's last use) to the database's single writer
    and return at once: on SQLite the caller does not queue for the write lock. On PostgreSQL,
    where a small write does not wait for others, it is committed before this returns. A
    failure is logged, not raised."""
    if engine.dialect.name != "sqlite":
        done: Future[T] = Future()
        try:
            done.set_result(write(engine, fn))
        except Exception as exc:
            log.warning("a write nobody waits for failed", exc_info=True)
            done.set_exception(exc)
        return done
    future = _writer(engine).submit(fn)
    future.add_done_callback(_log_failure)
    return future


def _log_failure(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("a write nobody waits for failed: %s", future.exception())


def _writer(engine: Engine) -> SingleWriter:
    with _writers_lock:
        writer = _writers.get(engine)
        if writer is None:
            writer = _writers[engine] = SingleWriter(engine)
        return writer
