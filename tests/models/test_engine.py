"""Engine factory: SQLite pragmas, URL normalisation, and both stores answering."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from assistant.app import build_context
from models.engine import (
    SQLITE_CACHE_MB,
    SQLITE_MMAP_MB,
    WriteInReadOnly,
    is_postgres,
    make_engine,
    normalise_url,
    read_only,
)
from models.migrate import upgrade
from models.settings import load_settings


def test_sqlite_uses_wal_and_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_sqlite_connections_get_the_default_cache_and_memory_map(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        got = {
            name: connection.execute(text(f"PRAGMA {name}")).scalar_one()
            for name in ("cache_size", "mmap_size", "temp_store")
        }
    # a negative cache_size is in KiB; temp_store 2 is memory
    assert got == {
        "cache_size": -SQLITE_CACHE_MB * 1024,
        "mmap_size": SQLITE_MMAP_MB * 1024 * 1024,
        "temp_store": 2,
    }


def test_sqlite_cache_and_memory_map_follow_the_settings(tmp_path: Path) -> None:
    """SKILLTICK_SQLITE_CACHE_MB and SKILLTICK_SQLITE_MMAP_MB reach every connection of the
    service's engine; 0 turns the memory map off."""
    env = {"SKILLTICK_SQLITE_CACHE_MB": "8", "SKILLTICK_SQLITE_MMAP_MB": "0"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        settings = load_settings(database_url=f"sqlite:///{tmp_path}/tuned.db")
    engine = build_context(settings).engine
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA cache_size")).scalar_one() == -8 * 1024
            assert connection.execute(text("PRAGMA mmap_size")).scalar_one() == 0
    finally:
        engine.dispose()


def test_negative_sqlite_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="megabytes"):
        make_engine("sqlite://", sqlite_cache_mb=-1)
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        load_settings(sqlite_mmap_mb=-5)


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
