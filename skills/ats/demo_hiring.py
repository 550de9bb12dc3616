"""The demo ATS's reads for the hiring reports: open jobs' pipelines, hires, offers made and
the stage histories of applications that moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from models.tables.demo_ats import AtsActivity, AtsApplication, AtsJob, AtsOffer
from skills.ats.hiring_records import (
    HIRED,
    OPEN_JOB,
    HireInfo,
    HistoryMove,
    JobPipeline,
    OfferMade,
)
from skills.ats.records import ACTIVE


@dataclass(frozen=True)
class HiringQueries:
    """Open jobs, hires, offers and stage histories of one organisation."""

    engine: Engine
    org_id: int

    def job_pipelines(self) -> list[JobPipeline]:
        jobs = (
            select(
                col(AtsJob.id),
                col(AtsJob.title),
                col(AtsJob.department),
                col(AtsJob.location),
                col(AtsJob.hiring_manager_id),
                col(AtsJob.recruiter_id),
                col(AtsJob.created_at),
            )
            .where(col(AtsJob.org_id) == self.org_id, col(AtsJob.status) == OPEN_JOB)
            .order_by(col(AtsJob.id))
        )
        # one row per job, stage and status: counts and the latest movement of each
        groups = (
            select(
                col(AtsApplication.job_id),
                col(AtsApplication.stage),
                col(AtsApplication.status),
                func.count(),
                func.max(col(AtsApplication.stage_changed_at)),
            )
            .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            .where(col(AtsApplication.org_id) == self.org_id, col(AtsJob.status) == OPEN_JOB)
            .group_by(
                col(AtsApplication.job_id), col(AtsApplication.stage), col(AtsApplication.status)
            )
        )
        stages: dict[int, dict[str, int]] = {}
        applicants: dict[int, int] = {}
        moved: dict[int, datetime] = {}
        with self.engine.connect() as connection:
            job_rows = connection.execute(jobs).all()
            for job_id, stage, status, n, latest in connection.execute(groups):
                applicants[job_id] = applicants.get(job_id, 0) + n
                if status == ACTIVE:
                    stages.setdefault(job_id, {})[stage] = n
                if latest is not None and (job_id not in moved or latest > moved[job_id]):
                    moved[job_id] = latest
        return [
            JobPipeline(
                id=job_id or 0,
                title=title,
                department=department,
                location=location,
                hiring_manager_id=manager,
                recruiter_id=recruiter,
                opened_at=created,
                by_stage=tuple(sorted(stages.get(job_id or 0, {}).items())),
                applicants=applicants.get(job_id or 0, 0),
                last_moved_at=moved.get(job_id or 0),
            )
            for job_id, title, department, location, manager, recruiter, created in job_rows
        ]

    def hires_between(self, start: datetime, end: datetime) -> list[HireInfo]:
        changed = col(AtsApplication.stage_changed_at)
        query = (
            select(
                col(AtsApplication.id),
                col(AtsApplication.job_id),
                col(AtsApplication.applied_at),
                changed,
            )
            .where(
                col(AtsApplication.org_id) == self.org_id,
                col(AtsApplication.status) == HIRED,
                changed > start,
                changed <= end,
            )
            .order_by(changed, col(AtsApplication.id))
        )
        with self.engine.connect() as connection:
            return [
                HireInfo(app_id or 0, job_id, applied, hired)
                for app_id, job_id, applied, hired in connection.execute(query)
            ]

    def offers_made_between(self, start: datetime, end: datetime) -> list[OfferMade]:
        made = col(AtsOffer.created_at)
        query = (
            select(
                col(AtsOffer.id),
                col(AtsOffer.application_id),
                col(AtsApplication.job_id),
                col(AtsOffer.status),
                made,
                col(AtsOffer.accepted_at),
            )
            .join(AtsApplication, col(AtsApplication.id) == col(AtsOffer.application_id))
            .where(col(AtsOffer.org_id) == self.org_id, made > start, made <= end)
            .order_by(made, col(AtsOffer.id))
        )
        with self.engine.connect() as connection:
            return [
                OfferMade(offer_id or 0, app_id, job_id, status, made_at, accepted)
                for offer_id, app_id, job_id, status, made_at, accepted in connection.execute(query)
            ]

    def stage_histories(self, start: datetime, end: datetime) -> list[HistoryMove]:
        moved = (
            select(col(AtsActivity.application_id))
            .where(
                col(AtsActivity.org_id) == self.org_id,
                col(AtsActivity.kind) == "stage_change",
                col(AtsActivity.occurred_at) > start,
                col(AtsActivity.occurred_at) <= end,
                col(AtsActivity.application_id).is_not(None),
            )
            .distinct()
        )
        query = (
            select(
                col(AtsActivity.application_id),
                col(AtsApplication.job_id),
                col(AtsApplication.applied_at),
                col(AtsActivity.from_stage),
                col(AtsActivity.to_stage),
                col(AtsActivity.occurred_at),
            )
            .join(AtsApplication, col(AtsApplication.id) == col(AtsActivity.application_id))
            .where(
                col(AtsActivity.org_id) == self.org_id,
                col(AtsActivity.kind) == "stage_change",
                col(AtsActivity.occurred_at) <= end,
                col(AtsActivity.application_id).in_(moved.scalar_subquery()),
            )
            .order_by(col(AtsActivity.occurred_at), col(AtsActivity.id))
        )
        with self.engine.connect() as connection:
            return [
                HistoryMove(app_id or 0, job_id, applied, before, after or "", at)
                for app_id, job_id, applied, before, after, at in connection.execute(query)
            ]
