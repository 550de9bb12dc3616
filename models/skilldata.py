"""Tables for the recruiting skills (issue: Skills).

- The demo ATS beyond models.ats: interviews, tasks, offers, placements (same conventions: they
  hold PII by nature and nothing here is copied into run history).
- Nurture sequences (seed 002): sequences, their ordered steps, enrolments and a per-step log for
  completion analytics.
- Each organisation's holiday calendar (business-day SLAs) and the in-app inbox.

Datetimes are aware UTC; JSON columns hold ids, names of stages and small configuration only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

ENROLMENT_STATUSES = ("pending", "running", "completed", "stopped", "failed")
#: why an enrolment ended early (product.md: hire, rejection, reply, withdrawal, stage left)
STOP_REASONS = ("hired", "rejected", "replied", "withdrawn", "left_stage", "removed")
STEP_ACTIONS = ("send_email", "create_task")


class AtsInterview(SQLModel, table=True):
    __tablename__ = "ats_interviews"
    __table_args__ = (Index("ix_ats_interviews_org_start", "org_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    candidate_id: int = Field(foreign_key="ats_candidates.id", index=True)
    application_id: int = Field(foreign_key="ats_applications.id")
    interviewer_id: int | None = Field(default=None, foreign_key="users.id")
    kind: str = Field(default="video", max_length=30)  # phone|video|onsite|panel
    starts_at: datetime
    ends_at: datetime
    status: str = Field(default="scheduled", max_length=20)  # scheduled|completed|cancelled
    scorecard_submitted_at: datetime | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime


class AtsTask(SQLModel, table=True):
    """A to-do for a recruiter (follow-ups, workflow create_task, sequence steps)."""

    __tablename__ = "ats_tasks"
    __table_args__ = (
        Index("ix_ats_tasks_org_due", "org_id", "status", "due_at"),
        # a task created by an automation is created once per occurrence and action
        UniqueConstraint("org_id", "source_key", name="uq_ats_tasks_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    owner_id: int | None = Field(default=None, foreign_key="users.id")
    candidate_id: int | None = Field(default=None, foreign_key="ats_candidates.id")
    application_id: int | None = Field(default=None, foreign_key="ats_applications.id")
    title: str = Field(max_length=300)
    kind: str = Field(default="follow_up", max_length=30)
    due_at: datetime
    status: str = Field(default="open", max_length=10)  # open|done
    source_key: str | None = Field(default=None, max_length=120)
    created_at: datetime
    completed_at: datetime | None = None


class AtsOffer(SQLModel, table=True):
    __tablename__ = "ats_offers"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    candidate_id: int = Field(foreign_key="ats_candidates.id")
    application_id: int = Field(foreign_key="ats_applications.id")
    status: str = Field(default="extended", max_length=20)  # extended|accepted|declined|expired
    start_date: date | None = None
    expires_at: datetime | None = None
    accepted_at: datetime | None = None
    created_at: datetime


class AtsPlacement(SQLModel, table=True):
    """A hire; contract placements have an end date that renewal reminders watch."""

    __tablename__ = "ats_placements"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    candidate_id: int = Field(foreign_key="ats_candidates.id")
    application_id: int = Field(foreign_key="ats_applications.id")
    kind: str = Field(default="permanent", max_length=20)  # permanent|contract
    starts_on: date
    ends_on: date | None = None
    created_at: datetime


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
    """One candidate in one sequence (seed 002's pipeline run)."""

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


class Holiday(SQLModel, table=True):
    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("org_id", "day", name="uq_holidays_day"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    day: date
    name: str = Field(default="", max_length=100)


class InboxMessage(SQLModel, table=True):
    """The in-app channel: a message for one user, read in the dashboard, CLI or chat."""

    __tablename__ = "inbox_messages"
    __table_args__ = (
        # the delivery's Message-ID: a resend after an unknown outcome stores nothing twice
        UniqueConstraint("message_key", name="uq_inbox_messages_key"),
        Index("ix_inbox_messages_user", "org_id", "user_id", "read_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    user_id: int = Field(foreign_key="users.id")
    message_key: str = Field(max_length=200)
    subject: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    read_at: datetime | None = None
