"""The demo ATS's pipeline reads: stage counts, stage moves, stale candidates and jobs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.tables.demo_ats import (
    CLOSED_STAGES,
    AtsActivity,
    AtsApplication,
    AtsCandidate,
    AtsJob,
    AtsStage,
)
from skills.ats.records import (
    ACTIVE,
    JobInfo,
    OwnedStale,
    StageMove,
    StaleCandidate,
    StaleT,
    display_name,
    longest_waiting_first,
)

_MOVE_COLUMNS: tuple[Any, ...] = (
    col(AtsActivity.id),
    col(AtsActivity.application_id),
    col(AtsActivity.candidate_id),
    col(AtsCandidate.first_name),
    col(AtsCandidate.last_name),
    col(AtsActivity.from_stage),
    col(AtsActivity.to_stage),
    col(AtsJob.title),
    col(AtsActivity.occurred_at),
)


def _applications_to(jobs: Collection[int]) -> Select[int | None]:
    """The ids of the applications to these jobs (their organisation's, as job ids are)."""
    return select(col(AtsApplication.id)).where(col(AtsApplication.job_id).in_(list(jobs)))


@dataclass(frozen=True)
class PipelineQueries:
    """Stages, stage moves, stale candidates and jobs of one organisation."""

    engine: Engine
    org_id: int

    def _open_stages(self, session: Session) -> list[str]:
        rows = session.execute(
            select(col(AtsStage.name))
            .where(col(AtsStage.org_id) == self.org_id)
            .order_by(col(AtsStage.position), col(AtsStage.id))
        )
        return [name for (name,) in rows if name not in CLOSED_STAGES]

    def stage_counts(
        self, owner_id: int | None = None, *, jobs: Collection[int] | None = None
    ) -> dict[str, int]:
        query = (
            select(col(AtsApplication.stage), func.count(col(AtsApplication.id)))
            .where(col(AtsApplication.org_id) == self.org_id, col(AtsApplication.status) == ACTIVE)
            .group_by(col(AtsApplication.stage))
        )
        if jobs is not None:
            query = query.where(col(AtsApplication.job_id).in_(list(jobs)))
        if owner_id is not None:  # applications always have their candidate (a foreign key)
            query = query.join(
                AtsCandidate, col(AtsCandidate.id) == col(AtsApplication.candidate_id)
            ).where(col(AtsCandidate.owner_id) == owner_id)
        with Session(self.engine) as session:
            counted: dict[str, int] = dict(session.execute(query).tuples().all())
            ordered = {stage: counted.pop(stage, 0) for stage in self._open_stages(session)}
        # stages the organisation has since deleted still hold people: show them last
        ordered.update(sorted(counted.items()))
        return ordered

    def _moves_query(
        self,
        columns: tuple[Any, ...],
        since: datetime,
        owner_id: int | None,
        until: datetime | None,
        *,
        named: bool = True,
        jobs: Collection[int] | None = None,
    ) -> Select[*tuple[Any, ...]]:
        """Stage changes of applications; `named=False` when no candidate or job column is
        read (foreign keys guarantee the joined rows, so only the owner filter needs one)."""
        query: Select[*tuple[Any, ...]] = select(*columns).where(
            col(AtsActivity.org_id) == self.org_id,
            col(AtsActivity.kind) == "stage_change",
            col(AtsActivity.occurred_at) > since,
        )
        if named:
            query = (
                query.join(AtsCandidate, col(AtsCandidate.id) == col(AtsActivity.candidate_id))
                .join(AtsApplication, col(AtsApplication.id) == col(AtsActivity.application_id))
                .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            )
        else:
            query = query.where(col(AtsActivity.application_id).is_not(None))
            if owner_id is not None:
                query = query.join(
                    AtsCandidate, col(AtsCandidate.id) == col(AtsActivity.candidate_id)
                )
        if until is not None:
            query = query.where(col(AtsActivity.occurred_at) <= until)
        if owner_id is not None:
            query = query.where(col(AtsCandidate.owner_id) == owner_id)
        if jobs is not None:
            query = query.where(col(AtsActivity.application_id).in_(_applications_to(jobs)))
        return query

    def _stage_moves(self, query: Select[*tuple[Any, ...]]) -> list[StageMove]:
        with Session(self.engine) as session:
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
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        jobs: Collection[int] | None = None,
    ) -> list[StageMove]:
        query = self._moves_query(_MOVE_COLUMNS, since, owner_id, until, jobs=jobs)
        return self._stage_moves(query.order_by(col(AtsActivity.occurred_at), col(AtsActivity.id)))

    def latest_stage_moves(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        limit: int = 50,
        jobs: Collection[int] | None = None,
    ) -> list[StageMove]:
        query = self._moves_query(_MOVE_COLUMNS, since, owner_id, until, jobs=jobs).order_by(
            col(AtsActivity.occurred_at).desc(), col(AtsActivity.id).desc()
        )
        return self._stage_moves(query.limit(limit))

    def stage_move_counts(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        jobs: Collection[int] | None = None,
    ) -> dict[tuple[str | None, str], int]:
        columns = (col(AtsActivity.from_stage), col(AtsActivity.to_stage), func.count())
        query = (
            self._moves_query(columns, since, owner_id, until, named=False, jobs=jobs)
            .group_by(col(AtsActivity.from_stage), col(AtsActivity.to_stage))
            .order_by(func.min(col(AtsActivity.occurred_at)), func.min(col(AtsActivity.id)))
        )
        counts: dict[tuple[str | None, str], int] = {}
        with Session(self.engine) as session:
            for before, after, n in session.execute(query):
                key = (before, after or "")
                counts[key] = counts.get(key, 0) + n
        return counts

    def stale_candidates(
        self,
        days: int,
        now: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> list[StaleCandidate]:
        return self._stale(StaleCandidate, days, now, owner_id, jobs=jobs)

    def stale_with_owners(
        self,
        days: int,
        now: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> list[OwnedStale]:
        return self._stale(OwnedStale, days, now, owner_id, jobs=jobs)

    def stuck_with_owners(
        self,
        days: int,
        now: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> list[OwnedStale]:
        return self._stale(OwnedStale, days, now, owner_id, in_stage=True, jobs=jobs)

    def _stale(
        self,
        kind: type[StaleT],
        days: int,
        now: datetime,
        owner_id: int | None,
        *,
        in_stage: bool = False,
        jobs: Collection[int] | None = None,
    ) -> list[StaleT]:
        cutoff = now - timedelta(days=days)
        contacted = col(AtsCandidate.last_contacted_at)
        entered = col(AtsApplication.stage_changed_at)
        columns: tuple[Any, ...] = (
            AtsCandidate.id,
            col(AtsApplication.id).label("application_id"),
            AtsCandidate.first_name,
            AtsCandidate.last_name,
            AtsJob.title,
            AtsApplication.stage,
            # the last contact (one datetime to read per row, not two), or the stage's start
            entered if in_stage else func.coalesce(contacted, col(AtsCandidate.created_at)),
            AtsCandidate.owner_id,
        )
        waiting = (
            entered <= cutoff
            if in_stage
            # the last contact is last_contacted_at, else created_at (never contacted);
            # spelled out rather than coalesce() so each side keeps its UTC column type
            else (contacted <= cutoff)
            | (contacted.is_(None) & (col(AtsCandidate.created_at) <= cutoff))
        )
        query = (
            select(*columns)
            .join(AtsApplication, col(AtsApplication.candidate_id) == col(AtsCandidate.id))
            .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            .where(
                col(AtsCandidate.org_id) == self.org_id,
                col(AtsApplication.status) == ACTIVE,
                waiting,
            )
        )
        if owner_id is not None:
            query = query.where(col(AtsCandidate.owner_id) == owner_id)
        if jobs is not None:
            query = query.where(col(AtsApplication.job_id).in_(list(jobs)))
        owned = kind is OwnedStale
        with self.engine.connect() as connection:  # rows streamed: no object per row kept
            stale = [
                kind(
                    candidate_id,
                    application_id,
                    display_name(first, last),
                    title,
                    stage,
                    contact,
                    (now - contact).days,
                    *((owner,) if owned else ()),
                )
                for candidate_id, application_id, first, last, title, stage, contact, owner in (
                    connection.execute(query)
                )
            ]
        return longest_waiting_first(stale)

    def jobs(self) -> list[JobInfo]:
        query = select(AtsJob).where(col(AtsJob.org_id) == self.org_id).order_by(col(AtsJob.id))
        with Session(self.engine) as session:
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
