"""Store API for triggers: the event inbox (write before acknowledging, deduplicate, claim under
a lease, finish, list). ATS connections: models.store.ats_connections; matching and run
creation: models.store.event_runs; polling and the demo ATS: models.store.polls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from models.engine import read_only
from models.errors import NotFound

# the connections live in ats_connections; callers reach them through this module too
from models.store.ats_connections import add_connection as add_connection
from models.store.ats_connections import connection_by_key as connection_by_key
from models.store.ats_connections import connections as connections
from models.store.ats_connections import demo_connection_id as demo_connection_id
from models.store.ats_connections import list_connections as list_connections
from models.store.retention import delete_in_batches
from models.store.single_writer import write
from models.tables import table_of
from models.tables.automations import Automation
from models.tables.events import AtsConnection, EventInbox
from models.tables.runs import AutomationRun

inbox = table_of(EventInbox)
runs = table_of(AutomationRun)
automations = table_of(Automation)


def _for_update(stmt: Any, conn: Connection) -> Any:
    return stmt.with_for_update(skip_locked=True) if conn.dialect.name == "postgresql" else stmt


def insert_ignoring_conflict(conn: Connection, table: Any, index_elements: list[str]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for this dialect (a conflict inserts nothing)."""
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=index_elements)


# --- the inbox -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ingested:
    event_id: int
    duplicate_of: int | None = None


def insert_event(
    conn: Connection,
    *,
    org_id: int,
    connection_id: int,
    provider: str,
    provider_type: str,
    event_type: str | None,
    data: dict[str, Any],
    dedupe_key: str,
    now: datetime,
    raw_body: str | None = None,
    body_sha256: str = "",
    chain_depth: int = 0,
) -> int | None:
    """Insert one event inside `conn`'s transaction; None if (connection, dedupe_key) exists."""
    known = event_type is not None
    stmt = insert_ignoring_conflict(conn, inbox, ["connection_id", "dedupe_key"]).returning(
        inbox.c.id
    )
    row = conn.execute(
        stmt,
        {
            "org_id": org_id,
            "connection_id": connection_id,
            "provider": provider,
            "provider_type": provider_type[:80],
            "event_type": event_type,
            "dedupe_key": dedupe_key[:200],
            "status": "received" if known else "unmatched",
            "raw_body": raw_body if known else None,
            "body_sha256": body_sha256,
            "data": data,
            "chain_depth": chain_depth,
            "runs_started": 0,
            "received_at": now,
            "processed_at": None if known else now,
            "error": None if known else f"No canonical event for '{provider_type[:60]}'.",
        },
    ).first()
    return int(row.id) if row is not None else None


def ingest(
    engine: Engine,
    *,
    connection: AtsConnection,
    provider_type: str,
    event_type: str | None,
    data: dict[str, Any],
    dedupe_key: str,
    raw_body: str,
    body_sha256: str,
    now: datetime,
) -> Ingested:
    """Store a verified delivery before it is acknowledged. A replay (same dedupe key) is kept
    as a `duplicate` row pointing at the original, and is not processed again."""

    def store(conn: Connection) -> Ingested:
        event_id = insert_event(
            conn,
            org_id=connection.org_id,
            connection_id=connection.id or 0,
            provider=connection.provider,
            provider_type=provider_type,
            event_type=event_type,
            data=data,
            dedupe_key=dedupe_key,
            now=now,
            raw_body=raw_body,
            body_sha256=body_sha256,
        )
        if event_id is not None:
            return Ingested(event_id)
        original = conn.execute(
            select(inbox.c.id).where(
                inbox.c.connection_id == connection.id, inbox.c.dedupe_key == dedupe_key[:200]
            )
        ).scalar_one()
        duplicate = conn.execute(
            insert(inbox).returning(inbox.c.id),
            {
                "org_id": connection.org_id,
                "connection_id": connection.id,
                "provider": connection.provider,
                "provider_type": provider_type[:80],
                "event_type": event_type,
                "dedupe_key": None,
                "status": "duplicate",
                "body_sha256": body_sha256,
                "data": data,
                "chain_depth": 0,
                "runs_started": 0,
                "duplicate_of": original,
                "received_at": now,
                "processed_at": now,
            },
        ).scalar_one()
        return Ingested(int(duplicate), duplicate_of=int(original))

    # on SQLite through the one writer: concurrent deliveries never queue in the busy handler
    return write(engine, store)


def record_rejected(
    engine: Engine, *, connection: AtsConnection, error: str, body_sha256: str, now: datetime
) -> int:
    """A delivery that failed its signature check: kept as a `rejected` row without its body
    (it is unauthenticated and may be anyone's bytes)."""

    def store(conn: Connection) -> int:
        return int(
            conn.execute(
                insert(inbox).returning(inbox.c.id),
                {
                    "org_id": connection.org_id,
                    "connection_id": connection.id,
                    "provider": connection.provider,
                    "provider_type": "",
                    "status": "rejected",
                    "body_sha256": body_sha256,
                    "data": {},
                    "chain_depth": 0,
                    "runs_started": 0,
                    "error": error[:500],
                    "received_at": now,
                    "processed_at": now,
                },
            ).scalar_one()
        )

    return write(engine, store)


@dataclass(frozen=True, slots=True)
class InboxEvent:
    id: int
    org_id: int
    connection_id: int
    provider: str
    event_type: str
    data: dict[str, Any]
    chain_depth: int
    received_at: datetime


def claim_received(
    engine: Engine, *, now: datetime, worker_id: str, lease_seconds: int, limit: int
) -> list[InboxEvent]:
    """Lease received events (oldest first) to this worker; a worker that dies lets its lease
    expire and another processes them (at-least-once)."""
    with engine.begin() as conn:
        rows = conn.execute(
            _for_update(
                select(
                    inbox.c.id,
                    inbox.c.org_id,
                    inbox.c.connection_id,
                    inbox.c.provider,
                    inbox.c.event_type,
                    inbox.c.data,
                    inbox.c.chain_depth,
                    inbox.c.received_at,
                )
                .where(
                    inbox.c.status == "received",
                    or_(inbox.c.lease_expires_at.is_(None), inbox.c.lease_expires_at < now),
                )
                .order_by(inbox.c.id)
                .limit(limit),
                conn,
            )
        ).all()
        if rows:
            conn.execute(
                update(inbox)
                .where(inbox.c.id.in_([r.id for r in rows]))
                .values(
                    lease_owner=worker_id, lease_expires_at=now + timedelta(seconds=lease_seconds)
                )
            )
    return [
        InboxEvent(
            r.id,
            r.org_id,
            r.connection_id,
            r.provider,
            r.event_type,
            r.data or {},
            r.chain_depth,
            r.received_at,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Finished:
    """One processed event: how many runs it started, and what went wrong, if anything."""

    event_id: int
    runs_started: int
    error: str | None = None


def finish_event(
    engine: Engine, event_id: int, *, runs_started: int, now: datetime, error: str | None = None
) -> None:
    """Mark an event processed. Its raw body (which names people) is dropped: the canonical,
    PII-free data stays."""
    finish_events(engine, [Finished(event_id, runs_started, error)], now=now)


def finish_events(engine: Engine, finished: list[Finished], *, now: datetime) -> None:
    """finish_event for a batch of events, in one transaction."""
    if not finished:
        return
    with engine.begin() as conn:
        conn.execute(
            update(inbox)
            .where(inbox.c.id == bindparam("finished_id"))
            .values(
                status="processed",
                runs_started=bindparam("finished_runs"),
                processed_at=now,
                raw_body=None,
                error=bindparam("finished_error"),
                lease_owner=None,
                lease_expires_at=None,
            ),
            [
                {
                    "finished_id": f.event_id,
                    "finished_runs": f.runs_started,
                    "finished_error": f.error[:500] if f.error else None,
                }
                for f in finished
            ],
        )


def get_event(engine: Engine, event_id: int) -> EventInbox:
    with Session(read_only(engine), expire_on_commit=False) as s:
        event = s.get(EventInbox, event_id)
        if event is None:
            raise NotFound(f"No event #{event_id}.")
        return event


def list_events(
    engine: Engine,
    org_id: int,
    *,
    owner_id: int | None = None,
    limit: int = 20,
    before_id: int | None = None,
) -> list[EventInbox]:
    """Newest first. With owner_id: only events that started a run of that user's
    automations."""
    stmt = select(EventInbox).where(col(EventInbox.org_id) == org_id)
    if owner_id is not None:
        stmt = stmt.where(
            exists().where(
                and_(
                    runs.c.event_id == inbox.c.id,
                    runs.c.automation_id == automations.c.id,
                    automations.c.owner_id == owner_id,
                )
            )
        )
    if before_id is not None:
        stmt = stmt.where(col(EventInbox.id) < before_id)
    with Session(read_only(engine), expire_on_commit=False) as s:
        return list(s.scalars(stmt.order_by(col(EventInbox.id).desc()).limit(limit)))


def prune_inbox(engine: Engine, *, before: datetime) -> int:
    """Delete finished inbox rows received before `before` (retention); events still waiting
    to be processed are kept whatever their age."""
    # found by reads and deleted in short batches: no scan of the inbox holds the write lock
    finished = (inbox.c.received_at < before) & (inbox.c.status != "received")
    return delete_in_batches(engine, inbox, finished)
