"""What skills read from an ATS: a small Protocol, and DemoAts over the demo tables in models.ats.

The interface returns plain frozen dataclasses, never ORM rows, so a Greenhouse or Lever adapter
can implement it later without a database. Results name candidates (reports need names); callers
must keep them out of run history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any, Protocol, TypeVar

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
from skills.ats_reports import DemoAtsReports

ACTIVE = "active"  # AtsApplication.status of an application still in the pipeline
_MOVE_COLUMNS: list[Any] = [
    AtsActivity.id, AtsActivity.application_id, AtsActivity.candidate_id, AtsCandidate.first_name,
    AtsCandidate.last_name, AtsActivity.from_stage, AtsActivity.to_stage, AtsJob.title,
    AtsActivity.occurred_at,
]


@dataclass(frozen=True, slots=True)
class StageMove:
    application_id: int
    candidate_id: int
    candidate_name: str
    from_stage: str | None
    to_stage: str
    job_title: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class StaleCandidate:
    candidate_id: int
    application_id: int
    candidate_name: str
    job_title: str
    stage: str
    last_contact_at: datetime  # last_contacted_at, else created_at (never contacted)
    days_since_contact: int


@dataclass(frozen=True, slots=True)
class OwnedStale(StaleCandidate):
    owner_id: int | None = None  # the candidate's


_Stale = TypeVar("_Stale", bound=StaleCandidate)


def longest_waiting_first(
    stale: list[_Stale], waited: Callable[[_Stale], int] = attrgetter("days_since_contact")
) -> list[_Stale]:
    """Sorted by days waited (most first; days_since_contact unless told), then name, then
    application: stable sorts on one field each, so sorting thousands makes no key tuples."""
    stale.sort(key=attrgetter("application_id"))
    stale.sort(key=attrgetter("candidate_name"))
    stale.sort(key=waited, reverse=True)
    return stale


@dataclass(frozen=True, slots=True)
class JobInfo:
    id: int
    title: str
    department: str
    location: str
    status: str


@dataclass(frozen=True, slots=True)
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


class DemoAts(DemoAtsReports):
    """AtsReader over the demo tables, scoped to one organisation (DemoAtsMore adds
    interviews, tasks, offers, placements and the workflow writes; DemoAtsReports, over it,
    the report-sized reads)."""

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
            .where(AtsApplication.org_id == self.org_id, AtsApplication.status == ACTIVE)
            .group_by(AtsApplication.stage)
        )
        if owner_id is not None:  # applications always have their candidate (a foreign key)
            query = query.join(
                AtsCandidate, AtsCandidate.id == AtsApplication.candidate_id
            ).where(AtsCandidate.owner_id == owner_id)
        with Session(self._engine) as session:
            counted: dict[str, int] = dict(session.execute(query).tuples().all())
            ordered = {stage: counted.pop(stage, 0) for stage in self._open_stages(session)}
        # stages the organisation has since deleted still hold people: show them last
        ordered.update(sorted(counted.items()))
        return ordered

    def _moves_query(
        self, columns: list[Any], since: datetime, owner_id: int | None, until: datetime | None,
        *, named: bool = True,
    ) -> Any:
        """Stage changes of applications; `named=False` when no candidate or job column is
        read (foreign keys guarantee the joined rows, so only the owner filter needs one)."""
        query = select(*columns).where(
            AtsActivity.org_id == self.org_id,
            AtsActivity.kind == "stage_change",
            AtsActivity.occurred_at > since,
        )
        if named:
            query = (
                query.join(AtsCandidate, AtsCandidate.id == AtsActivity.candidate_id)
                .join(AtsApplication, AtsApplication.id == AtsActivity.application_id)
                .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            )
        else:
            query = query.where(AtsActivity.application_id.is_not(None))  # type: ignore[union-attr]
            if owner_id is not None:
                query = query.join(AtsCandidate, AtsCandidate.id == AtsActivity.candidate_id)
        if until is not None:
            query = query.where(AtsActivity.occurred_at <= until)
        if owner_id is not None:
            query = query.where(AtsCandidate.owner_id == owner_id)
        return query

    def _stage_moves(self, query: Any) -> list[StageMove]:
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

    def stage_moves_since(
        self, since: datetime, owner_id: int | None = None, *, until: datetime | None = None
    ) -> list[StageMove]:
        query = self._moves_query(_MOVE_COLUMNS, since, owner_id, until)
        return self._stage_moves(query.order_by(AtsActivity.occurred_at, AtsActivity.id))

    def latest_stage_moves(
        self, since: datetime, owner_id: int | None = None, *, until: datetime | None = None,
        limit: int = 50,
    ) -> list[StageMove]:
        """The newest `limit` of stage_moves_since(since, owner_id, until=until), newest first."""
        query = self._moves_query(_MOVE_COLUMNS, since, owner_id, until).order_by(
            AtsActivity.occurred_at.desc(), AtsActivity.id.desc()  # type: ignore[attr-defined, union-attr]
        )
        return self._stage_moves(query.limit(limit))

    def stage_move_counts(
        self, since: datetime, owner_id: int | None = None, *, until: datetime | None = None
    ) -> dict[tuple[str | None, str], int]:
        """How many of stage_moves_since(since, owner_id, until=until) go from each stage
        (None: new) to each stage, in the order each pair first occurred."""
        columns = [AtsActivity.from_stage, AtsActivity.to_stage, func.count()]
        query = (
            self._moves_query(columns, since, owner_id, until, named=False)
            .group_by(AtsActivity.from_stage, AtsActivity.to_stage)
            .order_by(func.min(AtsActivity.occurred_at), func.min(AtsActivity.id))
        )
        counts: dict[tuple[str | None, str], int] = {}
        with Session(self._engine) as session:
            for before, after, n in session.execute(query):
                key = (before, after or "")
                counts[key] = counts.get(key, 0) + n
        return counts

    def stale_candidates(
        self, days: int, now: datetime, owner_id: int | None = None
    ) -> list[StaleCandidate]:
        return self._stale(StaleCandidate, days, now, owner_id)

    def stale_with_owners(
        self, days: int, now: datetime, owner_id: int | None = None
    ) -> list[OwnedStale]:
        """stale_candidates(days, now, owner_id), each with its candidate's owner."""
        return self._stale(OwnedStale, days, now, owner_id)

    def _stale(
        self, kind: type[_Stale], days: int, now: datetime, owner_id: int | None
    ) -> list[_Stale]:
        cutoff = now - timedelta(days=days)
        query = (
            select(
                AtsCandidate.id,
                AtsApplication.id.label("application_id"),
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsJob.title,
                AtsApplication.stage,
                # the last contact (one datetime to read per row, not two)
                func.coalesce(AtsCandidate.last_contacted_at, AtsCandidate.created_at),
                AtsCandidate.owner_id,
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
        owned = kind is OwnedStale
        with self._engine.connect() as connection:  # rows streamed: no object per row kept
            stale = [
                kind(candidate_id, application_id, f"{first} {last}".strip(), title, stage,
                     contact, (now - contact).days, *((owner,) if owned else ()))
                for candidate_id, application_id, first, last, title, stage, contact, owner
                in connection.execute(query)
            ]
        return longest_waiting_first(stale)

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
