"""The demo ATS in the product's own database: stages, jobs, candidates, applications,
activities, interviews, tasks, offers and placements. Candidate rows hold PII by nature:
nothing here may be copied into run history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlalchemy import Column as SAColumn
from sqlmodel import Field, SQLModel

DEFAULT_STAGES = ("Applied", "Screen", "Interview", "Offer", "Hired", "Rejected")


CLOSED_STAGES = ("Hired", "Rejected")


class AtsStage(SQLModel, table=True):
    __tablename__ = "ats_stages"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_ats_stages_name"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    name: str = Field(max_length=60)
    position: int = 0


class AtsJob(SQLModel, table=True):
    __tablename__ = "ats_jobs"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    title: str = Field(max_length=200)
    department: str = Field(default="", max_length=100)
    location: str = Field(default="", max_length=100)
    status: str = Field(default="open", max_length=20)
    hiring_manager_id: int | None = Field(default=None, foreign_key="users.id")
    recruiter_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime


class AtsCandidate(SQLModel, table=True):
    __tablename__ = "ats_candidates"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str = Field(max_length=320)
    phone: str = Field(default="", max_length=40)
    location: str = Field(default="", max_length=100)
    source: str = Field(default="", max_length=60)
    headline: str = Field(default="", max_length=300)
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    timezone: str | None = Field(default=None, max_length=64)
    created_at: datetime
    last_contacted_at: datetime | None = None


class AtsApplication(SQLModel, table=True):
    __tablename__ = "ats_applications"
    __table_args__ = (
        Index("ix_ats_applications_org_stage", "org_id", "stage"),
        # new applicants in a window (new-candidate-alert)
        Index("ix_ats_applications_org_applied", "org_id", "applied_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    candidate_id: int = Field(foreign_key="ats_candidates.id", index=True)
    job_id: int = Field(foreign_key="ats_jobs.id", index=True)
    stage: str = Field(max_length=60)
    status: str = Field(default="active", max_length=20)  # active|hired|rejected|withdrawn
    priority: str = Field(default="normal", max_length=10)
    applied_at: datetime
    stage_changed_at: datetime


class AtsActivity(SQLModel, table=True):
    """Something that happened to a candidate: sourced, emailed, called, stage change, note."""

    __tablename__ = "ats_activities"
    __table_args__ = (
        Index("ix_ats_activities_org_time", "org_id", "occurred_at"),
        # one kind in a window: stage moves (pipeline report), sourced (sourcing recap); holds
        # what counting stage moves reads, so the count never visits the table
        Index(
            "ix_ats_activities_org_kind_time",
            "org_id",
            "kind",
            "occurred_at",
            "from_stage",
            "to_stage",
            "application_id",
        ),
        # one candidate's history (interview briefing)
        Index("ix_ats_activities_candidate_time", "candidate_id", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    candidate_id: int = Field(foreign_key="ats_candidates.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="ats_applications.id")
    user_id: int | None = Field(default=None, foreign_key="users.id")
    kind: str = Field(max_length=30)  # sourced|email|call|stage_change|note|reply
    from_stage: str | None = Field(default=None, max_length=60)
    to_stage: str | None = Field(default=None, max_length=60)
    body: str | None = Field(default=None, sa_column=SAColumn(Text, nullable=True))
    occurred_at: datetime


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
