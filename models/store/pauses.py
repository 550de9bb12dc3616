"""Store API for pauses with an end: which automations are due to resume, resuming them (with a
notice for their owner, in the same transaction) and when the next pause ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.tables.audit import AuditEntry
from models.tables.automations import Automation
from models.tables.runs import Notice


def _paused_until_due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        col(Automation.enabled).is_(False),
        col(Automation.status) == "paused",
        col(Automation.paused_until).is_not(None),
        col(Automation.paused_until) <= now,
    ]


def end_due_pauses(
    engine: Engine, now: datetime, notice_text: Callable[[Automation], str]
) -> list[Automation]:
    """Resume every automation whose pause ended by `now`, as if resumed by hand at the end of
    the pause. `next_run_at` stays where the pause left it, so the missed-run policy decides
    what the paused time owes. Each resumed automation gets one owner notice; any number of
    workers may call this at once (a row is resumed by whichever update matches it first)."""
    # the common case (no pause has ended) stays a read: no write lock for every tick
    with read_only(engine).connect() as conn:
        if (
            conn.execute(select(Automation.id).where(*_paused_until_due(now)).limit(1)).first()
            is None
        ):
            return []
    with Session(engine, expire_on_commit=False) as s:
        due = list(s.exec(select(Automation).where(*_paused_until_due(now))))
        resumed: list[Automation] = []
        for auto in due:
            text = notice_text(auto)[:1000]  # before the update empties paused_until
            changed = s.exec(
                update(Automation)
                .where(col(Automation.id) == auto.id, *_paused_until_due(now))
                .values(
                    enabled=True,
                    status="idle",
                    paused_until=None,
                    paused_reason=None,
                    consecutive_failures=0,
                    updated_at=now,
                )
            ).rowcount
            if not changed:
                continue
            s.add(
                Notice(
                    org_id=auto.org_id,
                    automation_id=auto.id or 0,
                    kind="resumed",
                    text=text,
                    created_at=now,
                )
            )
            s.add(
                AuditEntry(
                    org_id=auto.org_id,
                    actor_user_id=None,
                    action="resume",
                    automation_id=auto.id,
                    owner_user_id=auto.owner_id,
                    at=now,
                    changes={"enabled": {"old": False, "new": True}, "pause_ended": True},
                )
            )
            resumed.append(auto)
        s.commit()
        return resumed


def next_pause_end(engine: Engine) -> datetime | None:
    """The earliest end of a pause still in force (a sleeping worker wakes for it)."""
    with read_only(engine).connect() as conn:
        value = conn.execute(
            select(func.min(Automation.paused_until)).where(
                col(Automation.enabled).is_(False), col(Automation.status) == "paused"
            )
        ).scalar_one_or_none()
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
