"""What skills read from an ATS: a small Protocol, and DemoAts over the demo tables in models.ats.

The interface returns plain frozen dataclasses, never ORM rows, so a Greenhouse or Lever adapter
can implement it later without a database. Results name candidates (reports need names); callers
must keep them out of run history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.ats import (
    CLOSED_STAGES,
    AtsActivity,
    AtsApplication,
    AtsCandidate,
    AtsJob,
    AtsStage,
)
from models.errors import NotFound
from skills.ats_more import DemoAtsMore

ACTIVE = "active"  # AtsApplication.status of an application still in the pipeline


@dataclass(frozen=True)
class StageMove:
    application_id: int
    candidate_id: int
    candidate_name: str
    from_stage: str | None
    to_stage: str
    job_title: str
    occurred_at: datetime


@dataclass(frozen=True)
class StaleCandidate:
    candidate_id: int
    application_id: int
    candidate_name: str
    job_title: str
    stage: str
    last_contact_at: datetime  # last_contacted_at, else created_at (never contacted)
    days_since_contact: int


@dataclass(frozen=True)
class JobInfo:
    id: int
    title: str
    department: str
    location: str
    status: str


@dataclass(frozen=True)
class CandidateInfo:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    location: str
    source: str
    owner_id: int | None
    timezone: str | None
    created_at: datetime
    last_contacted_at: datetime | None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AtsReader(Protocol):
    """Read access to one organisation's ATS. `owner_id=None` means the whole organisation."""

    def stage_counts(self, owner_id: int | None = None) -> dict[str, int]:
        """Active applications per open stage, in pipeline order (zero counts included).
        A candidate in two jobs counts once in each job's stage."""
        ...

    def stage_moves_since(
        self, since: datetime, owner_id: int | None = None, *, until: datetime | None = None
    ) -> list[StageMove]:
        """Stage changes with since < occurred_at <= until, oldest first."""
        ...

    def stale_candidates(
        self, days: int, now: datetime, owner_id: int | None = None
    ) -> list[StaleCandidate]:
        """Active applications whose candidate was last contacted `days` or more whole days
        before `now` (calendar days; business days come later), longest-waiting first."""
        ...

    def jobs(self) -> list[JobInfo]: ...

    def candidate(self, candidate_id: int) -> CandidateInfo:
        """One candidate of this organisation; NotFound otherwise."""
        ...


def display_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


class DemoAts(DemoAtsMore):
    """AtsReader over the demo tables, scoped to one organisation (DemoAtsMore adds
    interviews, tasks, offers, placements and the workflow writes)."""

    def __init__(self, engine: Engine, org_id: int) -> None:
        self._engine = engine
        self.org_id = org_id

    def _open_stages(self, session: Session) -> list[str]:
        rows = session.execute(
            select(AtsStage.name)
            .where(AtsStage.org_id == self.org_id)
            .order_by(AtsStage.position, AtsStage.id)
        )
        return [name for (name,) in rows if name not in CLOSED_STAGES]

    def stage_counts(self, owner_id: int | None = None) -> dict[str, int]:
        query = (
            select(AtsApplication.stage, func.count(AtsApplication.id))
            .join(AtsCandidate, AtsCandidate.id == AtsApplication.candidate_id)
            .where(AtsApplication.org_id == self.org_id, AtsApplication.status == ACTIVE)
            .group_by(AtsApplication.stage)
        )
        if owner_id is not None:
            query = query.where(AtsCandidate.owner_id == owner_id)
        with Session(self._engine) as session:
            counted: dict[str, int] = dict(session.execute(query).tuples().all())
            ordered = {stage: counted.pop(stage, 0) for stage in self._open_stages(session)}
        # stages the organisation has since deleted still hold people: show them last
        ordered.update(sorted(counted.items()))
        return ordered

    def stage_moves_since(
        self, since: datetime, owner_id: int | None = None, *, until: datetime | None = None
    ) -> list[StageMove]:
        query = (
            select(
                AtsActivity.id,
                AtsActivity.application_id,
                AtsActivity.candidate_id,
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsActivity.from_stage,
                AtsActivity.to_stage,
                AtsJob.title,
                AtsActivity.occurred_at,
            )
            .join(AtsCandidate, AtsCandidate.id == AtsActivity.candidate_id)
            .join(AtsApplication, AtsApplication.id == AtsActivity.application_id)
            .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            .where(
                AtsActivity.org_id == self.org_id,
                AtsActivity.kind == "stage_change",
                AtsActivity.occurred_at > since,
            )
            .order_by(AtsActivity.occurred_at, AtsActivity.id)
        )
        if until is not None:
            query = query.where(AtsActivity.occurred_at <= until)
        if owner_id is not None:
            query = query.where(AtsCandidate.owner_id == owner_id)
        with Session(self._engine) as session:
            return [
                StageMove(
                    application_id=row.application_id,
                    candidate_id=row.candidate_id,
                    candidate_name=display_name(row.first_name, row.last_name),
                    from_stage=row.from_stage,
                    to_stage=row.to_stage or "",
                    job_title=row.title,
                    occurred_at=row.occurred_at,
                )
                for row in session.execute(query)
            ]

    def stale_candidates(
        self, days: int, now: datetime, owner_id: int | None = None
    ) -> list[StaleCandidate]:
        cutoff = now - timedelta(days=days)
        query = (
            select(
                AtsCandidate.id,
                AtsApplication.id.label("application_id"),
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsCandidate.created_at,
                AtsCandidate.last_contacted_at,
                AtsJob.title,
                AtsApplication.stage,
            )
            .join(AtsApplication, AtsApplication.candidate_id == AtsCandidate.id)
            .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            .where(
                AtsCandidate.org_id == self.org_id,
                AtsApplication.status == ACTIVE,
                # the last contact is last_contacted_at, else created_at (never contacted);
                # spelled out rather than coalesce() so each side keeps its UTC column type
                (AtsCandidate.last_contacted_at <= cutoff)  # type: ignore[operator]
                | (
                    AtsCandidate.last_contacted_at.is_(None)  # type: ignore[union-attr]
                    & (AtsCandidate.created_at <= cutoff)
                ),
            )
        )
        if owner_id is not None:
            query = query.where(AtsCandidate.owner_id == owner_id)
        with Session(self._engine) as session:
            stale = []
            for row in session.execute(query):
                contact = row.last_contacted_at or row.created_at
                stale.append(
                    StaleCandidate(
                        candidate_id=row.id,
                        application_id=row.application_id,
                        candidate_name=display_name(row.first_name, row.last_name),
                        job_title=row.title,
                        stage=row.stage,
                        last_contact_at=contact,
                        days_since_contact=(now - contact).days,
                    )
                )
        stale.sort(key=lambda s: (-s.days_since_contact, s.candidate_name, s.application_id))
        return stale

    def jobs(self) -> list[JobInfo]:
        query = select(AtsJob).where(AtsJob.org_id == self.org_id).order_by(AtsJob.id)
        with Session(self._engine) as session:
            return [
                JobInfo(
                    id=job.id or 0,
                    title=job.title,
                    department=job.department,
                    location=job.location,
                    status=job.status,
                )
                for job in session.scalars(query)
            ]

    def candidate(self, candidate_id: int) -> CandidateInfo:
        with Session(self._engine) as session:
            row = session.get(AtsCandidate, candidate_id)
            if row is None or row.org_id != self.org_id:
                raise NotFound(f"No candidate {candidate_id} in this organisation")
            return CandidateInfo(
                id=candidate_id,
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                phone=row.phone,
                location=row.location,
                source=row.source,
                owner_id=row.owner_id,
                timezone=row.timezone,
                created_at=row.created_at,
                last_contacted_at=row.last_contacted_at,
            )
