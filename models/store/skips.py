"""Store API for the occurrences automations skip (models.skip_list): dropping those the
schedule has moved past, so a row's skips hold only what is still ahead (and a row whose skips
are all passed is NULL again, due alike with the rest in the tick's groups)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from models.engine import read_only
from models.skip_list import read_skips, write_skips
from models.tables.automations import Automation


def drop_passed_skips(engine: Engine, now: datetime) -> int:
    """Drop the skips of occurrences already behind each automation: before its next run when
    it is active (the tick has planned those), else before `now`. Returns how many rows
    changed; a row changed meanwhile by someone else keeps their change."""
    with read_only(engine).connect() as conn:
        rows = conn.execute(
            select(
                Automation.id, Automation.skips, Automation.enabled, Automation.next_run_at
            ).where(col(Automation.skips).is_not(None))
        ).all()
    passed: list[tuple[int, str, str | None]] = []  # id, skips as read, skips kept
    for automation_id, stored, enabled, next_run_at in rows:
        cutoff = next_run_at if enabled and next_run_at is not None else now
        skips = read_skips(stored)
        kept = {t: asked for t, asked in skips.items() if t >= cutoff}
        if len(kept) < len(skips):
            passed.append((automation_id, stored, write_skips(kept)))
    if not passed:  # the common case stays a read: no write lock
        return 0
    changed = 0
    with engine.begin() as conn:
        for automation_id, stored, kept_text in passed:
            done = conn.execute(
                update(Automation)
                .where(col(Automation.id) == automation_id, col(Automation.skips) == stored)
                .values(skips=kept_text)
            )
            changed += done.rowcount
    return changed
