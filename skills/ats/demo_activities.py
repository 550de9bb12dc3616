"""The demo ATS's activity reads: listed in a window (ordered and limited in SQL), one
candidate's history, and counts grouped in SQL, so a report never loads a whole organisation."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from models.tables.demo_ats import AtsActivity, AtsApplication, AtsCandidate
from skills.ats.records import ActivityInfo, display_name


def _applicants_to(jobs: Collection[int]) -> Select[int]:
    """The candidates who applied to one of these jobs."""
    return select(col(AtsApplication.candidate_id)).where(
        col(AtsApplication.job_id).in_(list(jobs))
    )


@dataclass(frozen=True)
class ActivityQueries:
    """Activities of one organisation's candidates."""

    engine: Engine
    org_id: int

    def _query(
        self,
        start: datetime,
        end: datetime,
        owner_id: int | None,
        jobs: Collection[int] | None = None,
    ) -> Select[*tuple[Any, ...]]:
        query = (
            select(
                col(AtsCandidate.id),
                col(AtsCandidate.first_name),
                col(AtsCandidate.last_name),
                col(AtsCandidate.source),
                col(AtsActivity.user_id),
                col(AtsActivity.kind),
                col(AtsActivity.from_stage),
                col(AtsActivity.to_stage),
                col(AtsActivity.occurred_at),
            )
            .join(AtsCandidate, col(AtsCandidate.id) == col(AtsActivity.candidate_id))
            .where(
                col(AtsActivity.org_id) == self.org_id,
                col(AtsActivity.occurred_at) > start,
                col(AtsActivity.occurred_at) <= end,
            )
        )
        if owner_id is not None:
            query = query.where(col(AtsCandidate.owner_id) == owner_id)
        if jobs is not None:
            query = query.where(col(AtsActivity.candidate_id).in_(_applicants_to(jobs)))
        return query

    def _infos(self, query: Select[*tuple[Any, ...]]) -> list[ActivityInfo]:
        with self.engine.connect() as connection:
            return [
                ActivityInfo(cid, display_name(first, last), *rest)
                for cid, first, last, *rest in connection.execute(query)
            ]

    def activities_between(
        self, start: datetime, end: datetime, owner_id: int | None = None
    ) -> list[ActivityInfo]:
        query = self._query(start, end, owner_id)
        return self._infos(query.order_by(col(AtsActivity.occurred_at), col(AtsActivity.id)))

    def activities_of(
        self, candidate_id: int, start: datetime, end: datetime
    ) -> list[ActivityInfo]:
        query = self._query(start, end, None).where(col(AtsActivity.candidate_id) == candidate_id)
        return self._infos(query.order_by(col(AtsActivity.occurred_at), col(AtsActivity.id)))

    def activities_of_kind(
        self,
        start: datetime,
        end: datetime,
        kinds: Collection[str],
        owner_id: int | None = None,
        *,
        newest_first: bool = False,
        limit: int | None = None,
        jobs: Collection[int] | None = None,
    ) -> list[ActivityInfo]:
        query = self._query(start, end, owner_id, jobs).where(
            col(AtsActivity.kind).in_(list(kinds))
        )
        if newest_first:
            query = query.order_by(col(AtsActivity.occurred_at).desc(), col(AtsActivity.id).desc())
        else:
            query = query.order_by(col(AtsActivity.occurred_at), col(AtsActivity.id))
        return self._infos(query.limit(limit))

    def activity_counts(
        self,
        start: datetime,
        end: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> dict[tuple[str, int | None], int]:
        query = (
            select(col(AtsActivity.kind), col(AtsActivity.user_id), func.count())
            .where(
                col(AtsActivity.org_id) == self.org_id,
                col(AtsActivity.occurred_at) > start,
                col(AtsActivity.occurred_at) <= end,
            )
            .group_by(col(AtsActivity.kind), col(AtsActivity.user_id))
        )
        if owner_id is not None:  # activities always have their candidate (a foreign key)
            query = query.join(
                AtsCandidate, col(AtsCandidate.id) == col(AtsActivity.candidate_id)
            ).where(col(AtsCandidate.owner_id) == owner_id)
        if jobs is not None:
            query = query.where(col(AtsActivity.candidate_id).in_(_applicants_to(jobs)))
        with self.engine.connect() as connection:
            return {(kind, user_id): n for kind, user_id, n in connection.execute(query)}
