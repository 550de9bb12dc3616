"""Whether the store can take writes now: the one check behind /healthz, /status and the
worker's decision to claim. A committed write proves it (SQLite never writes a rolled-back
transaction to its file); for a SQLite file, the file must also still be the one opened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlmodel import Session, col

from models.engine import file_fault
from models.errors import StoreUnavailable
from models.tables.runs import StoreProbe

# PostgreSQL SQLSTATEs that mean "the database cannot take writes now", not "bad request":
# read-only transaction, connection exceptions, insufficient resources (disk full), operator
# intervention (shutting down)
_UNAVAILABLE_STATES = ("25006", "08", "53", "57")
# SQLite's words for the same (its errors carry no SQLSTATE)
_SQLITE_FAULTS = (
    "readonly database",
    "disk i/o error",
    "unable to open database",
    "database disk image is malformed",
    "database or disk is full",
    "file is not a database",
    "database is locked",
    "no such table",
)


def store_fault(engine: Engine, now: datetime) -> str | None:
    """What keeps the store from taking writes, in words; None when a write just worked."""
    problem = file_fault(engine)
    if problem is not None:
        return problem
    try:
        with Session(engine) as s:
            done = s.exec(update(StoreProbe).where(col(StoreProbe.id) == 1).values(checked_at=now))
            if not done.rowcount:
                s.add(StoreProbe(id=1, checked_at=now))
            s.commit()
    except StoreUnavailable as exc:
        return exc.message
    except SQLAlchemyError as exc:
        return f"The database refused a write: {_reason(exc)}."
    return None


def unavailable(exc: BaseException) -> StoreUnavailable | None:
    """The StoreUnavailable a database error amounts to (an unreachable, read-only or broken
    store), or None for an error that is the request's own (a constraint, a bad value)."""
    if isinstance(exc, StoreUnavailable):
        return exc
    if not isinstance(exc, DBAPIError):
        return None
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    sqlite_fault = type(exc.orig).__module__.startswith("sqlite3") and any(
        words in str(exc.orig).lower() for words in _SQLITE_FAULTS
    )
    if exc.connection_invalidated or state.startswith(_UNAVAILABLE_STATES) or sqlite_fault:
        return StoreUnavailable(f"The database cannot take this request: {_reason(exc)}.")
    return None


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
