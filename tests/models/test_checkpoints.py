"""Background WAL checkpoints: while the block runs, what is committed reaches the database file
itself (not only its write-ahead log) without any commit doing the copying; the thread ends
with the block; nothing happens for PostgreSQL, and no database file is ever created."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from models.engine import make_engine
from models.migrate import upgrade
from models.store.checkpoints import background_checkpoints, database_file

BEAT = "INSERT INTO worker_beats VALUES (:w, '2026-03-02 09:00:00', '{}')"


def _beats_in_database_file(path: Path) -> int:
    """Rows the database file holds by itself: `immutable` reads it without its WAL."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM worker_beats").fetchone()[0])
    finally:
        conn.close()


def _no_automatic_checkpoints(engine: Engine) -> None:
    # only the background thread may copy the log back: a commit never does here
    @event.listens_for(engine, "connect")
    def _off(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")  # type: ignore[attr-defined]


def _write_beats(engine: Engine, first: int, count: int) -> None:
    for i in range(first, first + count):
        with engine.begin() as conn:
            conn.execute(text(BEAT), {"w": f"w{i}"})


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "wal-checkpoint"]


def test_commits_reach_the_database_file_while_the_block_runs(tmp_path: Path) -> None:
    path = tmp_path / "skilltick.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    _no_automatic_checkpoints(engine)
    try:
        _write_beats(engine, 0, 5)
        # without the thread the rows live in the log only
        assert _beats_in_database_file(path) == 0
        with background_checkpoints(engine, every_seconds=0.005):
            assert len(_checkpoint_threads()) == 1
            _write_beats(engine, 5, 5)
            deadline = time.monotonic() + 10
            while _beats_in_database_file(path) < 10 and time.monotonic() < deadline:
                time.sleep(0.01)
            # copied while the block still runs, by the thread
            assert _beats_in_database_file(path) == 10
            _write_beats(engine, 10, 3)
        # and once more as it ends; the thread is gone
        assert _beats_in_database_file(path) == 13
        assert _checkpoint_threads() == []
    finally:
        engine.dispose()


def test_a_missing_database_file_is_never_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with background_checkpoints(engine, every_seconds=0.001):
            time.sleep(0.02)
        assert not path.exists()
        assert _checkpoint_threads() == []
    finally:
        engine.dispose()


def test_only_an_sqlite_file_gets_a_thread(engine: Engine) -> None:
    expected = 1 if engine.dialect.name == "sqlite" else 0
    assert (database_file(engine) is not None) == bool(expected)
    with background_checkpoints(engine):
        assert len(_checkpoint_threads()) == expected
        with engine.begin() as conn:
            conn.execute(text(BEAT), {"w": "w"})
    assert _checkpoint_threads() == []
    assert database_file(make_engine("sqlite://")) is None


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_databases_have_no_file(url: str) -> None:
    engine = make_engine(url)
    try:
        assert database_file(engine) is None
        with background_checkpoints(engine):
            assert _checkpoint_threads() == []
    finally:
        engine.dispose()
