"""Store API for an organisation's holiday calendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.engine import read_only, session_scope
from models.errors import InvalidInput, NotFound
from models.tables.calendars import Holiday


def list_holidays(engine: Engine, org_id: int) -> list[Holiday]:
    with Session(read_only(engine)) as session:
        return list(
            session.exec(select(Holiday).where(Holiday.org_id == org_id).order_by(col(Holiday.day)))
        )


def holiday_days(engine: Engine, org_id: int) -> frozenset[date]:
    with Session(read_only(engine)) as session:
        return frozenset(session.exec(select(col(Holiday.day)).where(Holiday.org_id == org_id)))


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
        row = session.exec(
            select(Holiday).where(Holiday.org_id == org_id, Holiday.day == day)
        ).first()
        if row is None:
            raise NotFound(f"{day.isoformat()} is not a holiday in your calendar.")
        session.delete(row)
