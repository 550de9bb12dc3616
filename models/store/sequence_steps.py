"""Running nurture sequences: claiming the enrolments whose next step is due, putting them back
untouched, and recording each step's outcome (the next step after its delay, or completed; a
failed step fails its enrolment only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from models.engine import session_scope
from models.tables.sequences import Enrolment, EnrolmentStep, NurtureSequence, SequenceStep

#: enrolment statuses that still have a step to run
ACTIVE = ("pending", "running")
#: a `running` enrolment older than this lost its worker: it is due again
STALE_RUNNING = timedelta(minutes=10)


@dataclass(frozen=True)
class DueStep:
    enrolment_id: int
    sequence_id: int
    sequence_name: str
    candidate_id: int
    position: int
    action_type: str
    subject: str
    body: str
    is_last: bool


def claim_due_steps(engine: Engine, org_id: int, now: datetime, limit: int = 500) -> list[DueStep]:
    """Pending enrolments whose next step is due, marked running so a second worker skips them
    (a running one whose worker died is due again after STALE_RUNNING)."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(Enrolment, NurtureSequence, SequenceStep)
            .join(NurtureSequence, col(NurtureSequence.id) == Enrolment.sequence_id)
            .join(
                SequenceStep,
                (col(SequenceStep.sequence_id) == Enrolment.sequence_id)
                & (col(SequenceStep.position) == Enrolment.next_step),
            )
            .where(
                Enrolment.org_id == org_id,
                col(NurtureSequence.enabled).is_(True),
                col(Enrolment.next_step_at) <= now,
                (col(Enrolment.status) == "pending")
                | (
                    (col(Enrolment.status) == "running")
                    & (col(Enrolment.updated_at) < now - STALE_RUNNING)
                ),
            )
            .order_by(col(Enrolment.next_step_at), col(Enrolment.id))
            .limit(limit)
            .with_for_update(skip_locked=True, of=Enrolment)
        ).all()
        last = dict(
            session.exec(
                select(SequenceStep.sequence_id, SequenceStep.position)
                .where(col(SequenceStep.sequence_id).in_({s.id for _, s, _ in rows}))
                .order_by(col(SequenceStep.position))
            ).all()
        )
        due = []
        for enrolment, sequence, step in rows:
            enrolment.status, enrolment.updated_at = "running", now
            due.append(
                DueStep(
                    enrolment.id or 0,
                    sequence.id or 0,
                    sequence.name,
                    enrolment.candidate_id,
                    step.position,
                    step.action_type,
                    step.subject,
                    step.body,
                    step.position == last[step.sequence_id],
                )
            )
        return due


def release(engine: Engine, enrolment_ids: list[int], now: datetime) -> None:
    """Put claimed enrolments back untouched (quiet hours: the step waits)."""
    if enrolment_ids:
        with session_scope(engine) as session:
            session.execute(
                update(Enrolment)
                .where(col(Enrolment.id).in_(enrolment_ids), col(Enrolment.status) == "running")
                .values(status="pending", updated_at=now)
            )


def record_step(
    engine: Engine,
    enrolment_id: int,
    position: int,
    *,
    ok: bool,
    error: str | None,
    now: datetime,
    run_id: int | None = None,
) -> None:
    """Log a step's outcome and advance: the next step after its delay, or completed; a failed
    step fails this enrolment only."""
    with session_scope(engine) as session:
        row = session.get(Enrolment, enrolment_id)
        if row is None or row.status not in ACTIVE or row.next_step != position:
            return  # ended meanwhile (hired, removed), or already recorded by a rescuer
        session.add(
            EnrolmentStep(
                enrolment_id=enrolment_id,
                sequence_id=row.sequence_id,
                position=position,
                status="completed" if ok else "failed",
                error=(error or None) and error[:500],
                run_id=run_id,
                at=now,
            )
        )
        row.updated_at = now
        if not ok:
            row.status, row.error, row.ended_at = "failed", (error or "failed")[:500], now
            return
        delay = session.exec(
            select(SequenceStep.delay_seconds).where(
                SequenceStep.sequence_id == row.sequence_id, SequenceStep.position == position + 1
            )
        ).first()
        if delay is None:
            row.status, row.ended_at, row.next_step_at = "completed", now, None
        else:
            row.status, row.next_step = "pending", position + 1
            row.next_step_at = now + timedelta(seconds=delay)
