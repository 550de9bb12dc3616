"""Store API for the one-off runs of relative schedules ("an hour before the interview"): one
run per (automation, subject), moved when the subject's time moves and cancelled with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.engine import read_only
from models.store.event_runs import in_free_slot, occurrences, queue_event_run, runs
from models.tables.events import RelativeOccurrence


def _move_pending_run(engine: Engine, run_id: int, fires_at: datetime) -> bool:
    def write(when: datetime) -> int:
        with engine.begin() as conn:
            return int(
                conn.execute(
                    update(runs)
                    .where(runs.c.id == run_id, runs.c.status == "pending")
                    .values(scheduled_for=when, not_before=when)
                ).rowcount
                or 0
            )

    return in_free_slot(write, fires_at) > 0


def schedule_relative(
    engine: Engine,
    *,
    org_id: int,
    automation_id: int,
    subject_ref: str,
    event_id: int,
    fires_at: datetime,
    chain_depth: int,
    trigger_data: dict[str, Any],
    now: datetime,
) -> int | None:
    """Create or move the one-off run of (automation, subject). A run that already went and
    whose new time is past is left alone; returns the id of a newly queued run, if any."""
    with read_only(engine).connect() as conn:
        found = conn.execute(
            select(occurrences).where(
                occurrences.c.automation_id == automation_id,
                occurrences.c.subject_ref == subject_ref,
            )
        ).first()
    if found is not None and found.run_id is not None:
        if _move_pending_run(engine, found.run_id, fires_at):
            _save_occurrence(
                engine, found.id, run_id=found.run_id, fires_at=fires_at, event_id=event_id, now=now
            )
            return None
        if fires_at <= now:
            return None
    run_id = queue_event_run(
        engine,
        automation_id=automation_id,
        org_id=org_id,
        event_id=event_id,
        chain_depth=chain_depth,
        trigger_data=trigger_data,
        scheduled_for=fires_at,
        now=now,
    )
    if found is not None:
        _save_occurrence(
            engine, found.id, run_id=run_id, fires_at=fires_at, event_id=event_id, now=now
        )
    else:
        with engine.begin() as conn:
            conn.execute(
                insert(occurrences),
                {
                    "org_id": org_id,
                    "automation_id": automation_id,
                    "subject_ref": subject_ref,
                    "run_id": run_id,
                    "fires_at": fires_at,
                    "status": "scheduled",
                    "event_id": event_id,
                    "created_at": now,
                    "updated_at": now,
                },
            )
    return run_id


def _save_occurrence(
    engine: Engine,
    occurrence_id: int,
    *,
    run_id: int,
    fires_at: datetime,
    event_id: int,
    now: datetime,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(occurrences)
            .where(occurrences.c.id == occurrence_id)
            .values(
                run_id=run_id,
                fires_at=fires_at,
                status="scheduled",
                event_id=event_id,
                updated_at=now,
            )
        )


def cancel_relative(
    engine: Engine,
    *,
    org_id: int,
    subject_ref: str,
    now: datetime,
    reason: str = "interview_cancelled",
) -> int:
    """Cancel every scheduled occurrence of the subject: its pending run is recorded as skipped
    with `reason`. Returns how many runs were cancelled."""
    with engine.begin() as conn:
        found = conn.execute(
            select(occurrences.c.id, occurrences.c.run_id).where(
                occurrences.c.org_id == org_id,
                occurrences.c.subject_ref == subject_ref,
                occurrences.c.status == "scheduled",
            )
        ).all()
        run_ids = [r.run_id for r in found if r.run_id is not None]
        cancelled = 0
        if run_ids:
            cancelled = int(
                conn.execute(
                    update(runs)
                    .where(runs.c.id.in_(run_ids), runs.c.status == "pending")
                    .values(status="skipped", skipped_reason=reason, completed_at=now)
                ).rowcount
                or 0
            )
        if found:
            conn.execute(
                update(occurrences)
                .where(occurrences.c.id.in_([r.id for r in found]))
                .values(status="cancelled", updated_at=now)
            )
    return cancelled


def relative_occurrences(engine: Engine, org_id: int, subject_ref: str) -> list[RelativeOccurrence]:
    with Session(read_only(engine), expire_on_commit=False) as s:
        return list(
            s.scalars(
                select(RelativeOccurrence)
                .where(
                    col(RelativeOccurrence.org_id) == org_id,
                    col(RelativeOccurrence.subject_ref) == subject_ref,
                )
                .order_by(col(RelativeOccurrence.id))
            )
        )
