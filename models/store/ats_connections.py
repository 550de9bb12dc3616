"""ATS connections: registering one (its random key names it in the webhook URL), finding
them, and the organisation's demo-ATS connection."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from models.engine import read_only
from models.errors import InvalidInput
from models.tables import table_of
from models.tables.events import PROVIDERS, AtsConnection

connections = table_of(AtsConnection)


def add_connection(
    engine: Engine,
    *,
    org_id: int,
    provider: str,
    secret: str,
    now: datetime,
    name: str = "",
    poll_interval_minutes: int | None = None,
) -> AtsConnection:
    """Register a connection; its random key names it in the webhook URL."""
    if provider not in PROVIDERS:
        raise InvalidInput(
            f"Unknown ATS provider '{provider}'. Use one of: {', '.join(PROVIDERS)}."
        )
    if provider != "demo" and len(secret) < 8:
        raise InvalidInput(
            "The signing secret must be at least 8 characters: copy it from "
            "the ATS's webhook settings."
        )
    if poll_interval_minutes is not None and poll_interval_minutes < 1:
        raise InvalidInput("Poll every 1 minute or more.")
    if provider == "demo":
        # one demo ATS per organisation, so one connection: demo moves and demo polls record
        # their events on it and deduplicate each other
        with Session(engine, expire_on_commit=False) as s:
            existing = s.scalars(
                select(AtsConnection)
                .where(col(AtsConnection.org_id) == org_id, col(AtsConnection.provider) == "demo")
                .order_by(col(AtsConnection.id))
            ).first()
            if existing is not None:
                existing.poll_interval_minutes = poll_interval_minutes
                existing.next_poll_at = now if poll_interval_minutes else None
                existing.enabled = True
                s.add(existing)
                s.commit()
                return existing
    connection = AtsConnection(
        org_id=org_id,
        provider=provider,
        name=name or provider,
        key=f"c{secrets.token_hex(12)}",
        secret=secret,
        poll_interval_minutes=poll_interval_minutes,
        next_poll_at=now if poll_interval_minutes else None,
        created_at=now,
    )
    with Session(engine, expire_on_commit=False) as s:
        s.add(connection)
        s.commit()
        return connection


def connection_by_key(engine: Engine, key: str) -> AtsConnection | None:
    # on every webhook: a read that must not queue behind the inbox writes
    with Session(read_only(engine), expire_on_commit=False) as s:
        return s.scalars(select(AtsConnection).where(col(AtsConnection.key) == key)).first()


def list_connections(engine: Engine, org_id: int) -> list[AtsConnection]:
    with Session(read_only(engine), expire_on_commit=False) as s:
        return list(
            s.scalars(
                select(AtsConnection)
                .where(col(AtsConnection.org_id) == org_id)
                .order_by(col(AtsConnection.id))
            )
        )


def demo_connection_id(conn: Connection, org_id: int, now: datetime) -> int:
    """The organisation's demo-ATS connection (created on first use), inside `conn`'s
    transaction: demo changes and demo polls share it, so they deduplicate each other."""
    found = conn.execute(
        select(connections.c.id)
        .where(connections.c.org_id == org_id, connections.c.provider == "demo")
        .order_by(connections.c.id)
    ).first()
    if found is not None:
        return int(found.id)
    return int(
        conn.execute(
            insert(connections).returning(connections.c.id),
            {
                "org_id": org_id,
                "provider": "demo",
                "name": "demo",
                "key": f"c{secrets.token_hex(12)}",
                "secret": "",
                "enabled": True,
                "created_at": now,
            },
        ).scalar_one()
    )
