"""DemoAts: the AtsReader over the demo tables in the product's database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.errors import NotFound
from models.tables.demo_ats import (
    CLOSED_STAGES,
    AtsActivity,
    AtsApplication,
    AtsCandidate,
    AtsJob,
    AtsStage,
)
from skills.ats.demo_reports import DemoAtsReports
from skills.ats.reader import (
    ACTIVE,
    CandidateInfo,
    JobInfo,
    OwnedStale,
    StageMove,
    StaleCandidate,
    _Stale,
    display_name,
    longest_waiting_first,
)

_MOVE_COLUMNS: list[Any] = [
    AtsActivity.id,
    AtsActivity.application_id,
    AtsActivity.candidate_id,
    AtsCandidate.first_name,
    AtsCandidate.last_name,
    AtsActivity.from_stage,
    AtsActivity.to_stage,
    AtsJob.title,
    AtsActivity.occurred_at,
]


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
            query = query.join(AtsCandidate, AtsCandidate.id == AtsApplication.candidate_id).where(
                AtsCandidate.owner_id == owner_id
            )
        with Session(self._engine) as session:
            counted: dict[str, int] = dict(session.execute(query).tuples().all())
            ordered = {stage: counted.pop(stage, 0) for stage in self._open_stages(session)}
        # stages the organisation has since deleted still hold people: show them last
        ordered.update(sorted(counted.items()))
        return ordered

    def _moves_query(
        self,
        columns: list[Any],
        since: datetime,
        owner_id: int | None,
        until: datetime | None,
        *,
        named: bool = True,
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
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        limit: int = 50,
    ) -> list[StageMove]:
        """The newest `limit` of stage_moves_since(since, owner_id, until=until), newest first."""
        query = self._moves_query(_MOVE_COLUMNS, since, owner_id, until).order_by(
            AtsActivity.occurred_at.desc(),
            AtsActivity.id.desc(),  # type: ignore[attr-defined, union-attr]
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
                kind(
                    candidate_id,
                    application_id,
                    f"{first} {last}".strip(),
                    title,
                    stage,
                    contact,
                    (now - contact).days,
                    *((owner,) if owned else ()),
                )
                for candidate_id, application_id, first, last, title, stage, contact, owner in connection.execute(
                    query
                )
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
