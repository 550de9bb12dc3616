"""Store API for the skills' own tables: holiday calendars, the in-app inbox and run deferrals.
Sequences and enrolments are in models.sequences_store."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.engine import session_scope
from models.errors import InvalidInput, NotFound
from models.skilldata import Holiday, InboxMessage
from models.tables import AutomationRun, User

# --- holidays ----------------------------------------------------------------------------------


def list_holidays(engine: Engine, org_id: int) -> list[Holiday]:
    with Session(engine) as session:
        return list(session.scalars(
            select(Holiday).where(Holiday.org_id == org_id).order_by(Holiday.day)
        ))


def holiday_days(engine: Engine, org_id: int) -> frozenset[date]:
    with Session(engine) as session:
        return frozenset(session.scalars(select(Holiday.day).where(Holiday.org_id == org_id)))


def add_holiday(engine: Engine, org_id: int, day: date, name: str = "") -> Holiday:
    """Add a day off to the organisation's calendar; the same day twice is refused."""
    try:
        with session_scope(engine) as session:
            row = Holiday(org_id=org_id, day=day, name=name.strip()[:100])
            session.add(row)
            session.flush()
            session.refresh(row)
            session.expunge(row)
            return row
    except IntegrityError:
        raise InvalidInput(f"{day.isoformat()} is already a holiday.") from None


def remove_holiday(engine: Engine, org_id: int, day: date) -> None:
    with session_scope(engine) as session:
        row = session.scalar(select(Holiday).where(Holiday.org_id == org_id, Holiday.day == day))
        if row is None:
            raise NotFound(f"{day.isoformat()} is not a holiday in your calendar.")
        session.delete(row)


# --- in-app inbox ------------------------------------------------------------------------------


def add_inbox_message(
    engine: Engine, *, org_id: int, user_email: str, message_key: str, subject: str, text: str,
    html: str | None, now: datetime,
) -> int:
    """Store a message for the organisation's user with this email; the same message key twice
    stores it once (a resend after an unknown outcome). NotFound when no such user."""
    with session_scope(engine) as session:
        user_id = session.scalar(
            select(User.id).where(User.org_id == org_id,
                                  func.lower(User.email) == user_email.strip().lower())
        )
        if user_id is None:
            raise NotFound("the in-app recipient is not a user of this organisation")
        existing = session.scalar(
            select(InboxMessage.id).where(InboxMessage.message_key == message_key)
        )
        if existing is not None:
            return existing
        row = InboxMessage(org_id=org_id, user_id=user_id, message_key=message_key[:200],
                           subject=subject[:300], text=text, html=html, created_at=now)
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
    with Session(engine) as session:
        return list(session.scalars(query))


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


# --- run deferrals (quiet hours) -------------------------------------------------------------

DEFERRED = "quiet_hours"


def deferrals_of(engine: Engine, automation_id: int, scheduled_for: datetime) -> int:
    """How many attempts of this occurrence were deferred for quiet hours: they are not failed
    attempts, so they do not use up its retries."""
    with Session(engine) as session:
        return int(session.scalar(
            select(func.count()).select_from(AutomationRun).where(
                AutomationRun.automation_id == automation_id,
                AutomationRun.scheduled_for == scheduled_for,
                AutomationRun.skipped_reason == DEFERRED,
            )
        ) or 0)
