"""WAL checkpoints off the writer's thread while a burst of writes runs (SQLite only).

In WAL mode a commit that finds the log past `wal_autocheckpoint` pages copies the log back into
the database before it returns, so during a tick every few batches one of the worker's commits
pays for everyone's pages. With `background_checkpoints`, a thread of its own does that copying
every few milliseconds with a passive checkpoint, which never waits for or blocks readers and
writers, and sqlite3 releases the GIL while it runs: on a machine with a spare core the copying
overlaps the tick's own work, and the log stays short, so commits seldom find it long.
Automatic checkpoints stay on as the safety net.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

#: how often the thread checkpoints while the burst runs
CHECKPOINT_EVERY_SECONDS = 0.02


def database_file(engine: Engine) -> Path | None:
    """The SQLite database file behind `engine`; None for PostgreSQL and in-memory SQLite."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


@contextmanager
def background_checkpoints(
    engine: Engine, every_seconds: float = CHECKPOINT_EVERY_SECONDS
) -> Iterator[None]:
    """Checkpoint `engine`'s write-ahead log from another thread until the block ends, then
    once more; a no-op for anything but an SQLite file. A checkpoint that fails (the file
    gone, a disk error) is logged and ends the thread: commits checkpoint as before."""
    path = database_file(engine)
    if path is None:
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(
        target=_checkpoint_until, args=(path, stop, every_seconds), name="wal-checkpoint"
    )
    thread.daemon = True
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _checkpoint_until(path: Path, stop: threading.Event, every_seconds: float) -> None:
    try:
        # mode=rw: never create a database where there is none
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, check_same_thread=False)
    except sqlite3.Error:
        log.warning("background checkpoints: cannot open %s", path, exc_info=True)
        return
    try:
        while True:
            stopping = stop.wait(every_seconds)
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            if stopping:
                return
    except sqlite3.Error:
        log.warning("background checkpoints on %s stopped", path, exc_info=True)
    finally:
        conn.close()
