"""The records the hiring reports read (open-roles-report, hiring-metrics): open jobs with
where their applicants are, hires, offers made and stage histories. Ids, stages and times only:
no candidate's name or contact details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

OPEN_JOB = "open"  # AtsJob.status of a job still hiring (the mirrors map theirs to it)
HIRED = "hired"  # AtsApplication.status of a hire


@dataclass(frozen=True, slots=True)
class JobPipeline:
    """An open job and where its applicants are."""

    id: int
    title: str
    department: str
    location: str
    hiring_manager_id: int | None
    recruiter_id: int | None
    opened_at: datetime  # the job's creation in the ATS
    by_stage: tuple[tuple[str, int], ...]  # active applications per stage, by stage name
    applicants: int  # every application to it, whatever became of it
    last_moved_at: datetime | None  # its latest application or stage change (hires included)


@dataclass(frozen=True, slots=True)
class HireInfo:
    """A hired application: applied_at to hired_at (when it entered its hired stage)."""

    application_id: int
    job_id: int
    applied_at: datetime
    hired_at: datetime


@dataclass(frozen=True, slots=True)
class OfferMade:
    id: int
    application_id: int
    job_id: int
    status: str  # extended | accepted | declined | expired
    made_at: datetime
    accepted_at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryMove:
    """One stage change of an application, with what a time in stage is counted from."""

    application_id: int
    job_id: int
    applied_at: datetime
    from_stage: str | None  # None: the application arrived in to_stage
    to_stage: str
    occurred_at: datetime
