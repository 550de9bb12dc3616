"""Report-sized reads over the demo ATS, mixed into DemoAts: every user of the organisation in
one query, one candidate's activities, activity counts grouped in SQL, and listed activities
ordered and limited in SQL.

Each answers what the general reads (skills.ats, skills.ats.reader) would, restricted the same way,
so a report built on them is the same; they only spare loading a whole organisation into Python.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from models.tables.demo_ats import AtsActivity, AtsApplication, AtsCandidate, AtsJob
from models.tables.orgs import User
from skills.ats.demo_records import DemoAtsMore, _name
from skills.ats.reader import ActivityInfo, ApplicationInfo, UserInfo


class ApplicantKey(NamedTuple):
    """What a new-applicant filter reads of an application (ApplicationInfo's names)."""

    id: int
    candidate_id: int
    priority: str
    job_title: str
    location: str
    candidate_location: str
    headline: str
    source: str


class DemoAtsReports(DemoAtsMore):
    """Needs `_engine` and `org_id` (DemoAts)."""

    _engine: Engine
    org_id: int

    def users(self) -> dict[int, UserInfo]:
        """Every user of the organisation, by id (one query for a report's many names)."""
        query = select(User.id, User.name, User.email, User.slack_user_id, User.timezone).where(
            User.org_id == self.org_id
        )
        with self._engine.connect() as connection:
            return {row.id: UserInfo(*row) for row in connection.execute(query)}

    def _activities_query(self, start: datetime, end: datetime, owner_id: int | None) -> Any:
        query = (
            select(
                AtsCandidate.id,
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsCandidate.source,
                AtsActivity.user_id,
                AtsActivity.kind,
                AtsActivity.from_stage,
                AtsActivity.to_stage,
                AtsActivity.occurred_at,
            )
            .join(AtsCandidate, AtsCandidate.id == AtsActivity.candidate_id)
            .where(
                AtsActivity.org_id == self.org_id,
                AtsActivity.occurred_at > start,
                AtsActivity.occurred_at <= end,
            )
        )
        if owner_id is not None:
            query = query.where(AtsCandidate.owner_id == owner_id)
        return query

    def _activity_infos(self, query: Any) -> list[ActivityInfo]:
        with self._engine.connect() as connection:
            return [
                ActivityInfo(cid, _name(first, last), source, user_id, kind, before, after, at)
                for cid, first, last, source, user_id, kind, before, after, at in connection.execute(
                    query
                )
            ]

    def activities_between(
        self, start: datetime, end: datetime, owner_id: int | None = None
    ) -> list[ActivityInfo]:
        """Activities with start < occurred_at <= end, oldest first."""
        query = self._activities_query(start, end, owner_id)
        return self._activity_infos(query.order_by(AtsActivity.occurred_at, AtsActivity.id))

    def activities_of(
        self, candidate_id: int, start: datetime, end: datetime
    ) -> list[ActivityInfo]:
        """One candidate's activities with start < occurred_at <= end, oldest first."""
        query = self._activities_query(start, end, None).where(
            AtsActivity.candidate_id == candidate_id
        )
        return self._activity_infos(query.order_by(AtsActivity.occurred_at, AtsActivity.id))

    def activities_of_kind(
        self,
        start: datetime,
        end: datetime,
        kinds: Collection[str],
        owner_id: int | None = None,
        *,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[ActivityInfo]:
        """activities_between(start, end, owner_id) restricted to these kinds, oldest first
        (or newest first), at most `limit` of them."""
        query = self._activities_query(start, end, owner_id).where(
            AtsActivity.kind.in_(list(kinds))
        )  # type: ignore[attr-defined]
        if newest_first:
            query = query.order_by(
                AtsActivity.occurred_at.desc(),  # type: ignore[attr-defined]
                AtsActivity.id.desc(),
            )  # type: ignore[union-attr]
        else:
            query = query.order_by(AtsActivity.occurred_at, AtsActivity.id)
        return self._activity_infos(query.limit(limit))

    def activity_counts(
        self, start: datetime, end: datetime, owner_id: int | None = None
    ) -> dict[tuple[str, int | None], int]:
        """How many of activities_between(start, end, owner_id) each (kind, user) has."""
        query = (
            select(AtsActivity.kind, AtsActivity.user_id, func.count())
            .where(
                AtsActivity.org_id == self.org_id,
                AtsActivity.occurred_at > start,
                AtsActivity.occurred_at <= end,
            )
            .group_by(AtsActivity.kind, AtsActivity.user_id)
        )
        if owner_id is not None:  # activities always have their candidate (a foreign key)
            query = query.join(AtsCandidate, AtsCandidate.id == AtsActivity.candidate_id).where(
                AtsCandidate.owner_id == owner_id
            )
        with self._engine.connect() as connection:
            return {(kind, user_id): n for kind, user_id, n in connection.execute(query)}

    def ranked_applications(self, since: datetime, until: datetime) -> Iterator[ApplicantKey]:
        """applications_since(since, until), high priority first, then newest first (then by
        id), as the fields a filter reads, streamed (a caller keeps what it needs of
        thousands); applications(ids) gives the full ones."""
        query = (
            select(
                AtsApplication.id,
                AtsApplication.candidate_id,
                AtsApplication.priority,
                AtsJob.title,
                AtsJob.location,
                AtsCandidate.location,
                AtsCandidate.headline,
                AtsCandidate.source,
            )
            .join(AtsCandidate, AtsCandidate.id == AtsApplication.candidate_id)
            .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            .where(
                AtsApplication.org_id == self.org_id,
                AtsApplication.applied_at > since,
                AtsApplication.applied_at <= until,
            )
            .order_by(
                case((AtsApplication.priority == "high", 0), else_=1),
                AtsApplication.applied_at.desc(),  # type: ignore[attr-defined]
                AtsApplication.id,
            )
        )
        with self._engine.connect() as connection:
            for row in connection.execute(query):
                yield ApplicantKey._make(row)

    def applications(self, ids: list[int]) -> list[ApplicationInfo]:
        """These applications of the organisation, in the order given (up to 1,000)."""
        if not ids:
            return []
        query = self._applications_query().where(AtsApplication.id.in_(ids[:1000]))  # type: ignore[union-attr]
        with self._engine.connect() as connection:
            found = {row[0]: self._application(row) for row in connection.execute(query)}
        return [found[i] for i in ids[:1000] if i in found]
