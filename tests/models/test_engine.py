"""Engine factory: SQLite pragmas, URL normalisation, and both stores answering."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from models.engine import WriteInReadOnly, is_postgres, make_engine, normalise_url, read_only
from models.migrate import upgrade


def test_sqlite_uses_wal_and_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_postgres_urls_use_psycopg() -> None:
    expected = "postgresql+psycopg://u:p@db.example:5432/app"
    assert normalise_url("postgres://u:p@db.example:5432/app") == expected
    assert normalise_url("postgresql://u:p@db.example:5432/app") == expected
    assert normalise_url(expected) == expected
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_postgres_scheme_engine_uses_psycopg() -> None:
    # creating the engine does not connect, so no server is needed here
    engine = make_engine("postgres://u@127.0.0.1:1/app")
    try:
        assert engine.dialect.name == "postgresql"
        assert engine.dialect.driver == "psycopg"
        assert is_postgres(engine)
    finally:
        engine.dispose()


def test_store_answers(engine: Engine, db_url: str) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
    assert is_postgres(engine) == db_url.startswith("postgresql")


def test_sqlite_reads_marked_read_only_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """A webhook's connection lookup or the worker's wake-up check must not queue behind an
    inbox write: read-only transactions start deferred and read alongside the writer (WAL),
    while ordinary ones still wait for the write lock."""
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=200)
    upgrade(engine)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO worker_beats VALUES ('w', '2026-03-02 09:00:00', '{}')")
        with read_only(engine).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM worker_beats")).scalar_one() == 0
        with pytest.raises(OperationalError, match="locked"), engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM worker_beats"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        engine.dispose()


def test_a_write_through_a_read_only_engine_fails_and_leaves_the_connection_usable(
    tmp_path: Path,
) -> None:
    """A read path that writes by mistake fails at once, naming the statement, instead of
    quietly waiting for the write lock; ordinary writes on the same pool still work."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ro.db'}")
    upgrade(engine)
    try:
        beat = "INSERT INTO worker_beats VALUES ('w', '2026-03-02 09:00:00', '{}')"
        with pytest.raises(WriteInReadOnly, match="INSERT INTO worker_beats"):
            with read_only(engine).begin() as conn:
                conn.execute(text(beat))
        with engine.begin() as conn:
            conn.execute(text(beat))
        with read_only(engine).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM worker_beats")).scalar_one() == 1
    finally:
        engine.dispose()
