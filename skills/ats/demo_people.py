"""The demo ATS's reads of people and applications: candidates, users, applications (whole, or
ranked by the few fields a new-applicant filter reads)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.errors import NotFound
from models.tables.demo_ats import AtsApplication, AtsCandidate, AtsJob
from models.tables.orgs import User
from skills.ats.records import (
    ApplicantKey,
    ApplicationInfo,
    CandidateInfo,
    UserInfo,
    display_name,
)

# columns, not ORM entities: a report may read thousands of applications
_APPLICATION_COLUMNS: tuple[Any, ...] = (
    col(AtsApplication.id),
    col(AtsApplication.candidate_id),
    col(AtsCandidate.first_name),
    col(AtsCandidate.last_name),
    col(AtsApplication.job_id),
    col(AtsJob.title),
    col(AtsJob.department),
    col(AtsJob.location),
    col(AtsApplication.stage),
    col(AtsApplication.status),
    col(AtsApplication.priority),
    col(AtsApplication.applied_at),
    col(AtsJob.hiring_manager_id),
    col(AtsJob.recruiter_id),
    col(AtsCandidate.owner_id),
    col(AtsCandidate.headline),
    col(AtsCandidate.location),
    col(AtsCandidate.source),
)


def _application(row: Sequence[Any]) -> ApplicationInfo:
    app_id, candidate_id, first, last, *rest = row
    return ApplicationInfo(app_id, candidate_id, display_name(first, last), *rest)


@dataclass(frozen=True)
class PeopleQueries:
    """Candidates, users and applications of one organisation."""

    engine: Engine
    org_id: int

    def candidate(self, candidate_id: int) -> CandidateInfo:
        with Session(self.engine) as session:
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

    def names_of(self, candidate_ids: list[int]) -> list[str]:
        if not candidate_ids:
            return []
        query = select(col(AtsCandidate.first_name), col(AtsCandidate.last_name)).where(
            col(AtsCandidate.org_id) == self.org_id,
            col(AtsCandidate.id).in_(candidate_ids[:1000]),
        )
        with Session(self.engine) as session:
            rows = session.execute(query).all()
        return [n for first, last in rows for n in (display_name(first, last), first, last)]

    def user(self, user_id: int) -> UserInfo:
        with Session(self.engine) as session:
            row = session.get(User, user_id)
        if row is None or row.org_id != self.org_id:
            raise NotFound(f"No user {user_id} in this organisation")
        return UserInfo(user_id, row.name, row.email, row.slack_user_id, row.timezone)

    def users(self) -> dict[int, UserInfo]:
        columns: tuple[Any, ...] = (
            User.id,
            User.name,
            User.email,
            User.slack_user_id,
            User.timezone,
        )
        query = select(*columns).where(col(User.org_id) == self.org_id)
        with self.engine.connect() as connection:
            return {row[0]: UserInfo(*row) for row in connection.execute(query)}

    def _applications_query(self) -> Select[*tuple[Any, ...]]:
        return (
            select(*_APPLICATION_COLUMNS)
            .join(AtsCandidate, col(AtsCandidate.id) == col(AtsApplication.candidate_id))
            .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            .where(col(AtsApplication.org_id) == self.org_id)
        )

    def application(self, application_id: int) -> ApplicationInfo:
        query = self._applications_query().where(col(AtsApplication.id) == application_id)
        with Session(self.engine) as session:
            row = session.execute(query).first()
        if row is None:
            raise NotFound(f"No application {application_id} in this organisation")
        return _application(row)

    def applications_of(self, candidate_id: int) -> list[ApplicationInfo]:
        query = self._applications_query().where(col(AtsApplication.candidate_id) == candidate_id)
        with Session(self.engine) as session:
            rows = session.execute(query.order_by(col(AtsApplication.id))).all()
        return [_application(row) for row in rows]

    def applications(self, ids: list[int]) -> list[ApplicationInfo]:
        if not ids:
            return []
        query = self._applications_query().where(col(AtsApplication.id).in_(ids[:1000]))
        with self.engine.connect() as connection:
            found = {row[0]: _application(row) for row in connection.execute(query)}
        return [found[i] for i in ids[:1000] if i in found]

    def ranked_applications(self, since: datetime, until: datetime) -> Iterator[ApplicantKey]:
        query = (
            select(
                col(AtsApplication.id),
                col(AtsApplication.candidate_id),
                col(AtsApplication.priority),
                col(AtsJob.title),
                col(AtsJob.location),
                col(AtsCandidate.location),
                col(AtsCandidate.headline),
                col(AtsCandidate.source),
            )
            .join(AtsCandidate, col(AtsCandidate.id) == col(AtsApplication.candidate_id))
            .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            .where(
                col(AtsApplication.org_id) == self.org_id,
                col(AtsApplication.applied_at) > since,
                col(AtsApplication.applied_at) <= until,
            )
            .order_by(
                case((col(AtsApplication.priority) == "high", 0), else_=1),
                col(AtsApplication.applied_at).desc(),
                col(AtsApplication.id),
            )
        )
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                yield ApplicantKey._make(row)
