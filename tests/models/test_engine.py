"""Engine factory: SQLite pragmas, URL normalisation, and both stores answering."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from models.engine import is_postgres, make_engine, normalise_url


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
