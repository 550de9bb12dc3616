"""Store API for owner notices waiting to be sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.tables.automations import Automation
from models.tables.runs import Notice


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def unsent_notices(engine: Engine) -> dict[int, list[Notice]]:
    """Unsent notices grouped by automation, oldest first."""
    with _session(read_only(engine)) as s:
        grouped: dict[int, list[Notice]] = {}
        for notice in s.exec(
            select(Notice).where(col(Notice.sent_at).is_(None)).order_by(col(Notice.id))
        ):
            grouped.setdefault(notice.automation_id, []).append(notice)
        return grouped


def mark_notices_sent(
    engine: Engine, automation_id: int, notice_ids: list[int], now: datetime
) -> None:
    with _session(engine) as s:
        s.exec(update(Notice).where(col(Notice.id).in_(notice_ids)).values(sent_at=now))
        s.exec(
            update(Automation)
            .where(col(Automation.id) == automation_id)
            .values(last_failure_notice_at=now)
        )
        s.commit()
