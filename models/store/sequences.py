"""Nurture sequences: sequences and steps, enrolments, ending enrolments, and completion
analytics (claiming due steps and recording their outcomes: sequence_steps).

Enrolment statuses: pending (waiting for its next step), running (a step is being executed),
completed (all steps done), stopped (hired, rejected, replied, withdrawn, left the stage, removed),
failed (a step failed; the other enrolments go on).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.engine import read_only, session_scope
from models.errors import InvalidInput, NotFound

# running the steps lives in sequence_steps; callers reach it through this module too
from models.store.sequence_steps import ACTIVE as ACTIVE
from models.store.sequence_steps import STALE_RUNNING as STALE_RUNNING
from models.store.sequence_steps import DueStep as DueStep
from models.store.sequence_steps import claim_due_steps as claim_due_steps
from models.store.sequence_steps import record_step as record_step
from models.store.sequence_steps import release as release
from models.store.system_jobs import wake_sequence_job
from models.tables.demo_ats import AtsCandidate
from models.tables.sequences import (
    STEP_ACTIONS,
    Enrolment,
    EnrolmentStep,
    NurtureSequence,
    SequenceStep,
)

#: events that end enrolments, and the reason recorded
ENDING_EVENTS = {
    "candidate.hired": "hired",
    "candidate.rejected": "rejected",
    "candidate.replied": "replied",
    "candidate.withdrawn": "withdrawn",
}
#: stages whose arrival is that outcome, not a stage left behind (matched regardless of case)
CLOSING_STAGES = {"hired": "hired", "rejected": "rejected"}


def create_sequence(
    engine: Engine,
    org_id: int,
    name: str,
    steps: list[dict[str, Any]],
    *,
    now: datetime,
    automatic: bool = False,
    stage: str | None = None,
    keep_on_stage_change: bool = False,
) -> int:
    """Steps: [{"action": "send_email"|"create_task", "delay_seconds": N, "subject", "body"}]."""
    if not name.strip():
        raise InvalidInput("A sequence needs a name.")
    if not steps:
        raise InvalidInput("A sequence needs at least one step.")
    for i, step in enumerate(steps, start=1):
        if step.get("action") not in STEP_ACTIONS:
            raise InvalidInput(f"Step {i}: 'action' must be one of " + ", ".join(STEP_ACTIONS))
        delay = step.get("delay_seconds", 0)
        if not isinstance(delay, int) or delay < 0:
            raise InvalidInput(f"Step {i}: 'delay_seconds' must be a whole number, 0 or more")
        if not str(step.get("subject", "")).strip():
            raise InvalidInput(f"Step {i}: 'subject' is required")
    try:
        with session_scope(engine) as session:
            sequence = NurtureSequence(
                org_id=org_id,
                name=name.strip()[:200],
                automatic=automatic,
                stage=stage,
                keep_on_stage_change=keep_on_stage_change,
                created_at=now,
            )
            session.add(sequence)
            session.flush()
            session.add_all(
                SequenceStep(
                    sequence_id=sequence.id or 0,
                    position=i,
                    delay_seconds=step.get("delay_seconds", 0),
                    action_type=step["action"],
                    subject=str(step["subject"])[:300],
                    body=str(step.get("body", "")),
                )
                for i, step in enumerate(steps, start=1)
            )
            return sequence.id or 0
    except IntegrityError:
        raise InvalidInput(f"There is already a sequence named '{name}'.") from None


def list_sequences(engine: Engine, org_id: int) -> list[NurtureSequence]:
    with Session(read_only(engine)) as session:
        return list(
            session.exec(
                select(NurtureSequence)
                .where(NurtureSequence.org_id == org_id)
                .order_by(col(NurtureSequence.id))
            )
        )


def find_sequence(engine: Engine, org_id: int, name_or_id: str | int) -> NurtureSequence:
    with Session(read_only(engine)) as session:
        query = select(NurtureSequence).where(NurtureSequence.org_id == org_id)
        if isinstance(name_or_id, int) or str(name_or_id).isdigit():
            query = query.where(NurtureSequence.id == int(name_or_id))
        else:
            query = query.where(NurtureSequence.name == str(name_or_id))
        row = session.exec(query).first()
    if row is None:
        raise NotFound(f"No sequence '{name_or_id}' in your organisation.")
    return row


def _first_delay(session: Session, sequence_id: int) -> int:
    return int(
        session.exec(
            select(SequenceStep.delay_seconds).where(
                SequenceStep.sequence_id == sequence_id, SequenceStep.position == 1
            )
        ).first()
        or 0
    )


def enrol(
    engine: Engine,
    org_id: int,
    sequence_id: int,
    candidate_id: int,
    *,
    now: datetime,
    by: str = "manual",
) -> Enrolment:
    """Enrol a candidate; their first step is due after its delay. A candidate whose enrolment
    ended may be enrolled again (it restarts); one already enrolled is refused."""
    with session_scope(engine) as session:
        candidate = session.get(AtsCandidate, candidate_id)
        sequence = session.get(NurtureSequence, sequence_id)
        if candidate is None or candidate.org_id != org_id:
            raise NotFound(f"No candidate {candidate_id} in your organisation.")
        if sequence is None or sequence.org_id != org_id:
            raise NotFound(f"No sequence {sequence_id} in your organisation.")
        due = now + timedelta(seconds=_first_delay(session, sequence_id))
        row = session.exec(
            select(Enrolment).where(
                Enrolment.sequence_id == sequence_id, Enrolment.candidate_id == candidate_id
            )
        ).first()
        if row is not None and row.status in ACTIVE:
            raise InvalidInput(
                f"Candidate {candidate_id} is already enrolled in '{sequence.name}'."
            )
        if row is None:
            row = Enrolment(
                org_id=org_id,
                sequence_id=sequence_id,
                candidate_id=candidate_id,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        else:  # restart: the old step log goes, analytics count the new run
            for step in session.exec(
                select(EnrolmentStep).where(EnrolmentStep.enrolment_id == row.id)
            ):
                session.delete(step)
        row.status, row.next_step, row.next_step_at, row.enrolled_by = "pending", 1, due, by
        row.stop_reason = row.error = row.ended_at = None
        row.updated_at = now
        wake_sequence_job(session, org_id, due)
        session.flush()
        session.refresh(row)
        session.expunge(row)
        return row


def enrol_on_event(
    engine: Engine, org_id: int, event_type: str, payload: dict[str, Any], now: datetime
) -> int:
    """The Triggers area calls this for each canonical event. candidate.created enrols the
    candidate in every enabled automatic sequence (one failing enrolment does not stop the
    others); hired/rejected/replied/withdrawn end their enrolments; a stage change ends those
    of sequences bound to another stage. Returns how many enrolments were created or ended."""
    candidate_id = payload.get("candidate_id")
    if not isinstance(candidate_id, int):
        return 0
    if event_type == "candidate.created":
        created = 0
        with Session(read_only(engine)) as session:
            automatic = [
                sequence_id
                for sequence_id in session.exec(
                    select(NurtureSequence.id).where(
                        NurtureSequence.org_id == org_id,
                        col(NurtureSequence.automatic).is_(True),
                        col(NurtureSequence.enabled).is_(True),
                    )
                )
                if sequence_id is not None
            ]
        for sequence_id in automatic:
            try:
                enrol(engine, org_id, sequence_id, candidate_id, now=now, by="automatic")
                created += 1
            except (InvalidInput, NotFound):
                continue  # already enrolled, or the candidate is gone: nothing to do
        return created
    if event_type in ENDING_EVENTS:
        return end_enrolments(engine, org_id, candidate_id, ENDING_EVENTS[event_type], now=now)
    if event_type == "candidate.stage_changed":
        to_stage = payload.get("to_stage")
        closing = CLOSING_STAGES.get(str(to_stage or "").casefold())
        if closing is not None:
            return end_enrolments(engine, org_id, candidate_id, closing, now=now)
        return end_enrolments(
            engine,
            org_id,
            candidate_id,
            "left_stage",
            now=now,
            unless_stage=str(to_stage) if to_stage else None,
        )
    return 0


def end_enrolments(
    engine: Engine,
    org_id: int,
    candidate_id: int,
    reason: str,
    *,
    now: datetime,
    sequence_id: int | None = None,
    unless_stage: str | None = None,
) -> int:
    """Stop a candidate's active enrolments with `reason`. With `unless_stage` (a stage
    change), only sequences bound to another stage and not marked keep_on_stage_change."""
    # most events name a candidate with no active enrolment: a read answers them, and only
    # a candidate who has one costs a write transaction
    with Session(read_only(engine)) as session:
        active = session.exec(
            select(Enrolment.id).where(
                Enrolment.org_id == org_id,
                Enrolment.candidate_id == candidate_id,
                col(Enrolment.status).in_(ACTIVE),
            )
        ).first()
    if active is None:
        return 0
    with session_scope(engine) as session:
        query = (
            select(Enrolment, NurtureSequence)
            .join(NurtureSequence, col(NurtureSequence.id) == Enrolment.sequence_id)
            .where(
                Enrolment.org_id == org_id,
                Enrolment.candidate_id == candidate_id,
                col(Enrolment.status).in_(ACTIVE),
            )
        )
        if sequence_id is not None:
            query = query.where(Enrolment.sequence_id == sequence_id)
        ended = 0
        for row, sequence in session.exec(query).all():
            if reason == "left_stage" and (
                sequence.stage is None
                or sequence.keep_on_stage_change
                or sequence.stage == unless_stage
            ):
                continue
            row.status, row.stop_reason, row.ended_at, row.updated_at = (
                "stopped",
                reason,
                now,
                now,
            )
            ended += 1
        return ended


def remove_enrolment(
    engine: Engine, org_id: int, sequence_id: int, candidate_id: int, *, now: datetime
) -> None:
    if not end_enrolments(
        engine, org_id, candidate_id, "removed", now=now, sequence_id=sequence_id
    ):
        raise NotFound(f"Candidate {candidate_id} is not enrolled in sequence {sequence_id}.")


def analytics(engine: Engine, org_id: int) -> list[dict[str, Any]]:
    """Per sequence: enrolled, by status, stop reasons, and per step: how many enrolments
    reached it, completed it, failed it or were stopped waiting for it, with the completion and
    stop rates (of those that reached it; None before any did)."""
    with Session(read_only(engine)) as session:
        sequences = list_sequences(engine, org_id)
        enrolments = session.exec(
            select(
                Enrolment.sequence_id,
                Enrolment.status,
                Enrolment.stop_reason,
                Enrolment.next_step,
            ).where(Enrolment.org_id == org_id)
        ).all()
        steps = session.exec(
            select(EnrolmentStep.sequence_id, EnrolmentStep.position, EnrolmentStep.status)
            .join(Enrolment, col(Enrolment.id) == EnrolmentStep.enrolment_id)
            .where(Enrolment.org_id == org_id)
        ).all()
        step_count = Counter(
            session.exec(
                select(SequenceStep.sequence_id).where(
                    col(SequenceStep.sequence_id).in_([s.id for s in sequences])
                )
            )
        )
    result = []
    for sequence in sequences:
        mine = [(status, reason) for sid, status, reason, _ in enrolments if sid == sequence.id]
        waiting = [(status, step) for sid, status, _, step in enrolments if sid == sequence.id]
        statuses = Counter(status for status, _ in mine)
        per_step: dict[int, Counter[str]] = {}
        for sid, position, status in steps:
            if sid == sequence.id:
                per_step.setdefault(position, Counter())[status] += 1
        result.append(
            {
                "sequence_id": sequence.id,
                "name": sequence.name,
                "automatic": sequence.automatic,
                "enrolled": len(mine),
                **{
                    status: statuses.get(status, 0)
                    for status in ("pending", "running", "completed", "stopped", "failed")
                },
                "stopped_by_reason": dict(
                    sorted(
                        Counter(reason for status, reason in mine if status == "stopped").items()
                    )
                ),
                "steps": [
                    _step_stats(p, per_step.get(p, Counter()), waiting)
                    for p in range(1, step_count[sequence.id or 0] + 1)
                ],
            }
        )
    return result


def _step_stats(
    position: int, done: Counter[str], enrolments: list[tuple[str, int]]
) -> dict[str, Any]:
    """One step's counts and rates, from the step log (`done`) and each enrolment's (status,
    next step). An enrolment reached the step when the step ran for it (completed or failed),
    or when it stopped or is waiting with this step next."""
    here = [status for status, step in enrolments if step == position]
    stopped = sum(status == "stopped" for status in here)
    reached = done["completed"] + done["failed"] + sum(s in ("stopped", *ACTIVE) for s in here)

    def rate(n: int) -> float | None:
        return round(n / reached, 3) if reached else None

    return {
        "position": position,
        "reached": reached,
        "completed": done["completed"],
        "failed": done["failed"],
        "stopped": stopped,
        "completion_rate": rate(done["completed"]),
        "stop_rate": rate(stopped),
    }
