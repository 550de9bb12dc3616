"""Store API for the audit log: an entry written in the caller's transaction (so a change that
fails writes none) or on its own, a page of entries newest first with the actor's name, and
pruning past the retention period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, or_
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.tables import table_of
from models.tables.audit import AuditEntry
from models.tables.automations import Automation
from models.tables.orgs import User


@dataclass(frozen=True, slots=True)
class AuditRow:
    """An entry with its actor's name and address (None for the service itself, and for a
    user since removed: `actor_user_id` is then kept), and its automation's name now (None for
    one since deleted, or no automation)."""

    entry: AuditEntry
    actor_name: str | None
    actor_email: str | None
    automation_name: str | None = None


def add_entry(s: Session, entry: AuditEntry | None) -> None:
    """Add `entry` to the caller's session: it commits, or rolls back, with the change."""
    if entry is not None:
        s.add(entry)


def count_since(
    engine: Engine, org_id: int, user_id: int, actions: Iterable[str], since: datetime
) -> int:
    """How many entries of `actions` the user made since `since` (a per-person rate)."""
    with Session(read_only(engine)) as s:
        return int(
            s.exec(
                select(func.count()).where(
                    col(AuditEntry.at) >= since,
                    col(AuditEntry.org_id) == org_id,
                    col(AuditEntry.actor_user_id) == user_id,
                    col(AuditEntry.action).in_(list(actions)),
                )
            ).one()
        )


def record(engine: Engine, entry: AuditEntry) -> None:
    """Write one entry on its own (a change whose store call keeps its own transaction)."""
    with Session(engine) as s:
        s.add(entry)
        s.commit()


def add_rows(conn: Connection, entries: Iterable[AuditEntry]) -> None:
    """Entries written on a bare connection, in that connection's transaction."""
    values = [e.model_dump(exclude={"id"}) for e in entries]
    if values:
        conn.execute(insert(table_of(AuditEntry)), values)


def list_entries(
    engine: Engine,
    org_id: int,
    *,
    automation_id: int | None = None,
    readable_by: int | None = None,
    cursor: int | None = None,
    limit: int = 50,
) -> list[AuditRow]:
    """The organisation's entries, newest first, those with id below `cursor`. `readable_by`:
    only entries on that user's automations or made by them (a member's view)."""
    with Session(read_only(engine)) as s:
        stmt = (
            select(AuditEntry, User.name, User.email, Automation.name)
            .outerjoin(User, col(User.id) == AuditEntry.actor_user_id)
            .outerjoin(Automation, col(Automation.id) == AuditEntry.automation_id)
            .where(AuditEntry.org_id == org_id)
        )
        if automation_id is not None:
            stmt = stmt.where(AuditEntry.automation_id == automation_id)
        if readable_by is not None:
            stmt = stmt.where(
                or_(
                    col(AuditEntry.owner_user_id) == readable_by,
                    col(AuditEntry.actor_user_id) == readable_by,
                )
            )
        if cursor is not None:
            stmt = stmt.where(col(AuditEntry.id) < cursor)
        stmt = stmt.order_by(col(AuditEntry.id).desc()).limit(limit)
        return [AuditRow(*row) for row in s.exec(stmt)]


def prune_audit(engine: Engine, *, before: datetime) -> int:
    """Delete entries older than `before`; returns how many."""
    with Session(engine) as s:
        count = s.exec(delete(AuditEntry).where(col(AuditEntry.at) < before)).rowcount
        s.commit()
        return int(count or 0)
