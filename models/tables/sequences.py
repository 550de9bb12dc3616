"""Nurture sequences: the sequence, its steps with delays, enrolments of candidates and the
outcome of each step.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

ENROLMENT_STATUSES = ("pending", "running", "completed", "stopped", "failed")


#: why an enrolment ended early (hire, rejection, reply, withdrawal, stage left)
STOP_REASONS = ("hired", "rejected", "replied", "withdrawn", "left_stage", "removed")


STEP_ACTIONS = ("send_email", "create_task")


class NurtureSequence(SQLModel, table=True):
    __tablename__ = "sequences"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_sequences_name"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    name: str = Field(max_length=200)
    # enrol every new candidate (candidate.created) automatically
    automatic: bool = Field(default=False)
    # the stage the sequence belongs to; leaving it ends the enrolment (unless keep_on_stage_change)
    stage: str | None = Field(default=None, max_length=60)
    keep_on_stage_change: bool = Field(default=False)
    enabled: bool = Field(default=True)
    created_at: datetime


class SequenceStep(SQLModel, table=True):
    __tablename__ = "sequence_steps"
    __table_args__ = (UniqueConstraint("sequence_id", "position", name="uq_sequence_steps_pos"),)

    id: int | None = Field(default=None, primary_key=True)
    sequence_id: int = Field(foreign_key="sequences.id", index=True)
    position: int  # 1, 2, 3 ... executed in order
    delay_seconds: int = Field(default=0)  # after enrolment (step 1) or the previous step
    action_type: str = Field(max_length=20)  # STEP_ACTIONS
    subject: str = Field(default="", max_length=300)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    config: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )


class Enrolment(SQLModel, table=True):
    """One candidate in one sequence."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("sequence_id", "candidate_id", name="uq_enrolments_candidate"),
        # the per-minute scan: pending enrolments by due time
        Index("ix_enrolments_due", "org_id", "status", "next_step_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    sequence_id: int = Field(foreign_key="sequences.id", index=True)
    candidate_id: int = Field(foreign_key="ats_candidates.id", index=True)
    status: str = Field(default="pending", max_length=10)  # ENROLMENT_STATUSES
    next_step: int = Field(default=1)  # position of the next step to run
    next_step_at: datetime | None = None
    enrolled_by: str = Field(default="manual", max_length=10)  # automatic|manual
    stop_reason: str | None = Field(default=None, max_length=20)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None


class EnrolmentStep(SQLModel, table=True):
    """What happened at one step of one enrolment (analytics per sequence and step)."""

    __tablename__ = "enrolment_steps"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "position", name="uq_enrolment_steps_pos"),
        Index("ix_enrolment_steps_sequence", "sequence_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolments.id")
    sequence_id: int = Field(foreign_key="sequences.id")
    position: int
    status: str = Field(max_length=10)  # completed|failed
    error: str | None = Field(default=None, max_length=500)
    run_id: int | None = Field(default=None)
    at: datetime
