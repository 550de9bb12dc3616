"""Retention: delete full outputs past their TTL, run history and processed ATS events past
the retention period, and expired drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.tables.deliveries import Delivery, OutboxMessage
from models.tables.runs import AutomationRun, RunAction, RunTarget


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


@dataclass(frozen=True, slots=True)
class PruneReport:
    outputs_cleared: int
    runs_deleted: int
    outbox_deleted: int


def prune(engine: Engine, *, now: datetime, retention_days: int) -> PruneReport:
    """Delete full outputs past their TTL, and finished runs (with their rows) and outbox mail
    older than the retention period. Queued and running runs are never touched."""

    cutoff = now - timedelta(days=retention_days)
    with _session(engine) as s:
        cleared = s.exec(
            update(AutomationRun)
            .where(
                col(AutomationRun.output_expires_at).is_not(None),
                col(AutomationRun.output_expires_at) <= now,
            )
            .values(output=None, output_expires_at=None)
        ).rowcount
        old = list(
            s.exec(
                select(AutomationRun.id).where(
                    col(AutomationRun.created_at) < cutoff,
                    col(AutomationRun.status).notin_(("pending", "running")),
                )
            )
        )
        for start in range(0, len(old), 500):
            chunk = old[start : start + 500]
            s.exec(update(Delivery).where(col(Delivery.run_id).in_(chunk)).values(run_id=None))
            s.exec(delete(RunTarget).where(col(RunTarget.run_id).in_(chunk)))
            s.exec(delete(RunAction).where(col(RunAction.run_id).in_(chunk)))
            s.exec(delete(AutomationRun).where(col(AutomationRun.id).in_(chunk)))
        outbox = s.exec(
            delete(OutboxMessage).where(col(OutboxMessage.created_at) < cutoff)
        ).rowcount
        s.exec(delete(Delivery).where(col(Delivery.created_at) < cutoff))
        s.commit()
        return PruneReport(int(cleared or 0), len(old), int(outbox or 0))
