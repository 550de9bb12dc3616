"""Counting run history over a period: how many runs an organisation's automations (or some of
them) had, by status, without reading the runs themselves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.tables.runs import AutomationRun


def tally_runs(
    engine: Engine,
    org_id: int,
    *,
    automation_ids: list[int] | None,
    start: datetime | None,
    end: datetime,
) -> dict[str, int]:
    """Runs scheduled in [start, end) (start None: since the first), test runs left out,
    counted by status; `automation_ids` None: every automation of the organisation."""
    with Session(read_only(engine)) as s:
        stmt = select(AutomationRun.status, func.count()).where(
            AutomationRun.org_id == org_id,
            AutomationRun.triggered_by != "test",
            col(AutomationRun.scheduled_for) < end,
        )
        if start is not None:
            stmt = stmt.where(col(AutomationRun.scheduled_for) >= start)
        if automation_ids is not None:
            stmt = stmt.where(col(AutomationRun.automation_id).in_(automation_ids))
        rows = s.exec(stmt.group_by(col(AutomationRun.status))).all()
        return {str(status): int(n) for status, n in rows}
