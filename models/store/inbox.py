"""Store API for the in-app inbox: add a message, list, read, mark unread or all read, and
count the unread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only, session_scope
from models.errors import NotFound
from models.tables.deliveries import InboxMessage
from models.tables.orgs import User


def add_inbox_message(
    engine: Engine,
    *,
    org_id: int,
    user_email: str,
    message_key: str,
    subject: str,
    text: str,
    html: str | None,
    now: datetime,
) -> int:
    """Store a message for the organisation's user with this email; the same message key twice
    stores it once (a resend after an unknown outcome). NotFound when no such user."""
    with session_scope(engine) as session:
        user_id = session.exec(
            select(User.id).where(
                User.org_id == org_id, func.lower(User.email) == user_email.strip().lower()
            )
        ).first()
        if user_id is None:
            raise NotFound("the in-app recipient is not a user of this organisation")
        existing = session.exec(
            select(InboxMessage.id).where(InboxMessage.message_key == message_key)
        ).first()
        if existing is not None:
            return existing
        row = InboxMessage(
            org_id=org_id,
            user_id=user_id,
            message_key=message_key[:200],
            subject=subject[:300],
            text=text,
            html=html,
            created_at=now,
        )
        session.add(row)
        session.flush()
        return row.id or 0


def list_inbox(
    engine: Engine, org_id: int, user_id: int, *, unread_only: bool = False, limit: int = 50
) -> list[InboxMessage]:
    """Newest first."""
    query = (
        select(InboxMessage)
        .where(InboxMessage.org_id == org_id, InboxMessage.user_id == user_id)
        .order_by(col(InboxMessage.id).desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(col(InboxMessage.read_at).is_(None))
    with Session(read_only(engine)) as session:
        return list(session.exec(query))


def read_inbox_message(
    engine: Engine, org_id: int, user_id: int, message_id: int, now: datetime
) -> InboxMessage:
    """One message of this user, marked read (the first read time is kept)."""
    with session_scope(engine) as session:
        row = session.get(InboxMessage, message_id)
        if row is None or row.org_id != org_id or row.user_id != user_id:
            raise NotFound(f"No message {message_id} in your inbox.")
        if row.read_at is None:
            row.read_at = now
        session.flush()
        session.refresh(row)
        session.expunge(row)
        return row


def mark_inbox_unread(engine: Engine, org_id: int, user_id: int, message_id: int) -> None:
    """One message of this user back to unread."""
    with session_scope(engine) as session:
        row = session.get(InboxMessage, message_id)
        if row is None or row.org_id != org_id or row.user_id != user_id:
            raise NotFound(f"No message {message_id} in your inbox.")
        row.read_at = None


def mark_inbox_read(engine: Engine, org_id: int, user_id: int, now: datetime) -> int:
    """Every unread message of this user marked read; how many were."""
    with session_scope(engine) as session:
        result = session.exec(
            update(InboxMessage)
            .where(
                col(InboxMessage.org_id) == org_id,
                col(InboxMessage.user_id) == user_id,
                col(InboxMessage.read_at).is_(None),
            )
            .values(read_at=now)
        )
        return int(result.rowcount or 0)


def count_unread_inbox(engine: Engine, org_id: int, user_id: int) -> int:
    """How many messages of this user are unread."""
    query = select(func.count()).where(
        InboxMessage.org_id == org_id,
        InboxMessage.user_id == user_id,
        col(InboxMessage.read_at).is_(None),
    )
    with Session(read_only(engine)) as session:
        return int(session.exec(query).one())
