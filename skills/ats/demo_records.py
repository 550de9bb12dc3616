"""The demo ATS's record reads (interviews, activities, tasks, offers, placements, users) and
the few writes workflow actions make (update a field, create a task).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.engine import session_scope
from models.errors import InvalidInput, NotFound
from models.tables.demo_ats import (
    AtsApplication,
    AtsCandidate,
    AtsInterview,
    AtsJob,
    AtsOffer,
    AtsPlacement,
    AtsTask,
)
from models.tables.orgs import User
from skills.ats.reader import (
    UPDATABLE_FIELDS,
    ApplicationInfo,
    InterviewInfo,
    OfferInfo,
    PlacementInfo,
    TaskInfo,
    UserInfo,
)


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


class DemoAtsMore:
    """Reads and writes beyond the core report queries; needs `_engine` and `org_id`."""

    _engine: Engine
    org_id: int

    @property
    def engine(self) -> Engine:
        return self._engine

    # --- people -----------------------------------------------------------------------------

    def user(self, user_id: int) -> UserInfo:
        with Session(self._engine) as session:
            row = session.get(User, user_id)
        if row is None or row.org_id != self.org_id:
            raise NotFound(f"No user {user_id} in this organisation")
        return UserInfo(user_id, row.name, row.email, row.slack_user_id, row.timezone)

    def _applications_query(self) -> Any:
        # columns, not ORM entities: a report may read thousands of rows
        return (
            select(
                AtsApplication.id,
                AtsApplication.candidate_id,
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsApplication.job_id,
                AtsJob.title,
                AtsJob.department,
                AtsJob.location,
                AtsApplication.stage,
                AtsApplication.status,
                AtsApplication.priority,
                AtsApplication.applied_at,
                AtsJob.hiring_manager_id,
                AtsJob.recruiter_id,
                AtsCandidate.owner_id,
                AtsCandidate.headline,
                AtsCandidate.location,
                AtsCandidate.source,
            )
            .join(AtsCandidate, AtsCandidate.id == AtsApplication.candidate_id)
            .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            .where(AtsApplication.org_id == self.org_id)
        )

    @staticmethod
    def _application(row: Any) -> ApplicationInfo:
        (
            app_id,
            candidate_id,
            first,
            last,
            job_id,
            title,
            department,
            location,
            stage,
            status,
            priority,
            applied_at,
            manager_id,
            recruiter_id,
            owner_id,
            headline,
            candidate_location,
            source,
        ) = row
        return ApplicationInfo(
            id=app_id,
            candidate_id=candidate_id,
            candidate_name=_name(first, last),
            job_id=job_id,
            job_title=title,
            department=department,
            location=location,
            stage=stage,
            status=status,
            priority=priority,
            applied_at=applied_at,
            hiring_manager_id=manager_id,
            recruiter_id=recruiter_id,
            owner_id=owner_id,
            headline=headline,
            candidate_location=candidate_location,
            source=source,
        )

    def applications_of(self, candidate_id: int) -> list[ApplicationInfo]:
        query = self._applications_query().where(AtsApplication.candidate_id == candidate_id)
        with Session(self._engine) as session:
            rows = session.execute(query.order_by(AtsApplication.id)).all()
        return [self._application(row) for row in rows]

    def application(self, application_id: int) -> ApplicationInfo:
        query = self._applications_query().where(AtsApplication.id == application_id)
        with Session(self._engine) as session:
            row = session.execute(query).first()
        if row is None:
            raise NotFound(f"No application {application_id} in this organisation")
        return self._application(row)

    def applications_since(self, since: datetime, until: datetime) -> list[ApplicationInfo]:
        """Applications created in (since, until], newest first."""
        query = self._applications_query().where(
            AtsApplication.applied_at > since, AtsApplication.applied_at <= until
        )
        with Session(self._engine) as session:
            rows = session.execute(
                query.order_by(AtsApplication.applied_at.desc(), AtsApplication.id)  # type: ignore[attr-defined]
            ).all()
        return [self._application(row) for row in rows]

    def names_of(self, candidate_ids: list[int]) -> list[str]:
        """Full, first and last names of these candidates (the scrubber's list)."""
        if not candidate_ids:
            return []
        with Session(self._engine) as session:
            rows = session.execute(
                select(AtsCandidate.first_name, AtsCandidate.last_name).where(
                    AtsCandidate.org_id == self.org_id, AtsCandidate.id.in_(candidate_ids[:1000])
                )  # type: ignore[union-attr]
            ).all()
        return [n for first, last in rows for n in (_name(first, last), first, last)]

    # --- interviews -------------------------------------------------------------------------

    def _interviews(self, *conditions: Any) -> list[InterviewInfo]:
        query = (
            select(
                AtsInterview.id,
                AtsInterview.candidate_id,
                AtsInterview.application_id,
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsJob.title,
                AtsApplication.stage,
                AtsInterview.interviewer_id,
                AtsInterview.kind,
                AtsInterview.starts_at,
                AtsInterview.ends_at,
                AtsInterview.status,
                AtsInterview.scorecard_submitted_at,
            )
            .join(AtsCandidate, AtsCandidate.id == AtsInterview.candidate_id)
            .join(AtsApplication, AtsApplication.id == AtsInterview.application_id)
            .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            .where(AtsInterview.org_id == self.org_id, *conditions)
            .order_by(AtsInterview.starts_at, AtsInterview.id)
        )
        with self._engine.connect() as connection:
            return [
                InterviewInfo(i_id, c_id, a_id, _name(first, last), *rest)
                for i_id, c_id, a_id, first, last, *rest in connection.execute(query)
            ]

    def interview(self, interview_id: int) -> InterviewInfo:
        found = self._interviews(AtsInterview.id == interview_id)
        if not found:
            raise NotFound(f"No interview {interview_id} in this organisation")
        return found[0]

    def interviews_of(self, candidate_id: int) -> list[InterviewInfo]:
        return self._interviews(AtsInterview.candidate_id == candidate_id)

    def interviews_between(self, start: datetime, end: datetime) -> list[InterviewInfo]:
        return self._interviews(AtsInterview.starts_at >= start, AtsInterview.starts_at < end)

    # --- tasks, offers, placements ----------------------------------------------------------

    def open_tasks_due(self, until: datetime, owner_id: int | None = None) -> list[TaskInfo]:
        """Open tasks due at or before `until`, earliest first."""
        query = (
            select(
                AtsTask.id,
                AtsTask.owner_id,
                AtsTask.candidate_id,
                AtsCandidate.id,
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsTask.title,
                AtsTask.due_at,
                AtsTask.status,
            )
            .outerjoin(AtsCandidate, AtsCandidate.id == AtsTask.candidate_id)
            .where(AtsTask.org_id == self.org_id, AtsTask.status == "open", AtsTask.due_at <= until)
            .order_by(AtsTask.due_at, AtsTask.id)
        )
        if owner_id is not None:
            query = query.where(AtsTask.owner_id == owner_id)
        with self._engine.connect() as connection:
            return [
                TaskInfo(
                    t_id,
                    owner_id,
                    candidate_id,
                    _name(first, last) if found is not None else None,
                    title,
                    due,
                    status,
                )
                for t_id, owner_id, candidate_id, found, first, last, title, due, status in connection.execute(
                    query
                )
            ]

    def _offers(self, *conditions: Any) -> list[OfferInfo]:
        query = (
            select(
                AtsOffer.id,
                AtsOffer.candidate_id,
                AtsOffer.application_id,
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsJob.title,
                AtsOffer.status,
                AtsOffer.start_date,
                AtsOffer.expires_at,
                AtsOffer.accepted_at,
                AtsJob.hiring_manager_id,
                AtsCandidate.owner_id,
            )
            .join(AtsCandidate, AtsCandidate.id == AtsOffer.candidate_id)
            .join(AtsApplication, AtsApplication.id == AtsOffer.application_id)
            .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            .where(AtsOffer.org_id == self.org_id, *conditions)
            .order_by(AtsOffer.expires_at, AtsOffer.id)
        )
        with self._engine.connect() as connection:
            return [
                OfferInfo(o_id, c_id, a_id, _name(first, last), *rest)
                for o_id, c_id, a_id, first, last, *rest in connection.execute(query)
            ]

    def offer(self, offer_id: int) -> OfferInfo:
        found = self._offers(AtsOffer.id == offer_id)
        if not found:
            raise NotFound(f"No offer {offer_id} in this organisation")
        return found[0]

    def offers_of(self, candidate_id: int) -> list[OfferInfo]:
        return self._offers(AtsOffer.candidate_id == candidate_id)

    def offers_expiring(self, start: datetime, end: datetime) -> list[OfferInfo]:
        """Extended (open) offers expiring in [start, end), soonest first."""
        return self._offers(
            AtsOffer.status == "extended", AtsOffer.expires_at >= start, AtsOffer.expires_at < end
        )

    def placements_ending(self, first: date, last: date) -> list[PlacementInfo]:
        """Placements whose end date is within [first, last], soonest first."""
        query = (
            select(
                AtsPlacement.id,
                AtsPlacement.candidate_id,
                AtsCandidate.first_name,
                AtsCandidate.last_name,
                AtsJob.title,
                AtsPlacement.kind,
                AtsPlacement.starts_on,
                AtsPlacement.ends_on,
                AtsCandidate.owner_id,
            )
            .join(AtsCandidate, AtsCandidate.id == AtsPlacement.candidate_id)
            .join(AtsApplication, AtsApplication.id == AtsPlacement.application_id)
            .join(AtsJob, AtsJob.id == AtsApplication.job_id)
            .where(
                AtsPlacement.org_id == self.org_id,
                AtsPlacement.ends_on >= first,
                AtsPlacement.ends_on <= last,
            )
            .order_by(AtsPlacement.ends_on, AtsPlacement.id)
        )
        with self._engine.connect() as connection:
            return [
                PlacementInfo(p_id, c_id, _name(first, last), *rest)
                for p_id, c_id, first, last, *rest in connection.execute(query)
            ]

    # --- writes (workflow actions) ----------------------------------------------------------

    def update_field(self, entity: str, entity_id: int, field: str, value: str) -> str | None:
        """Set one allowed field; returns the previous value. Bad input changes nothing."""
        allowed = UPDATABLE_FIELDS.get(entity)
        if allowed is None:
            raise InvalidInput(
                f"update_field works on {' or '.join(UPDATABLE_FIELDS)}, not {entity!r}"
            )
        if field not in allowed:
            raise InvalidInput(
                f"Field '{field}' of a {entity} cannot be changed; allowed: " + ", ".join(allowed)
            )
        choices = allowed[field]
        if choices is not None and value not in choices:
            raise InvalidInput(
                f"'{value}' is not a valid {field}; use one of " + ", ".join(choices)
            )
        table = AtsApplication if entity == "application" else AtsCandidate
        with session_scope(self._engine) as session:
            row = session.get(table, entity_id)
            if row is None or row.org_id != self.org_id:
                raise NotFound(f"No {entity} {entity_id} in this organisation")
            previous = getattr(row, field)
            session.execute(
                update(table).where(table.id == entity_id).values({field: value})  # type: ignore[arg-type]
            )
        return previous

    def create_task(
        self,
        *,
        title: str,
        due_at: datetime,
        now: datetime,
        owner_id: int | None,
        candidate_id: int | None = None,
        application_id: int | None = None,
        source_key: str | None = None,
        kind: str = "follow_up",
    ) -> tuple[int, bool]:
        """Create a task; with a `source_key` seen before, return that task instead.
        Returns (task id, created)."""
        if source_key is not None:
            existing = self._task_by_key(source_key)
            if existing is not None:
                return existing, False
        try:
            with session_scope(self._engine) as session:
                task = AtsTask(
                    org_id=self.org_id,
                    owner_id=owner_id,
                    candidate_id=candidate_id,
                    application_id=application_id,
                    title=title[:300],
                    kind=kind,
                    due_at=due_at,
                    source_key=source_key,
                    created_at=now,
                )
                session.add(task)
                session.flush()
                return task.id or 0, True
        except IntegrityError:
            existing = self._task_by_key(source_key or "")
            if existing is None:
                raise
            return existing, False

    def _task_by_key(self, source_key: str) -> int | None:
        with Session(self._engine) as session:
            return session.scalar(
                select(AtsTask.id).where(
                    AtsTask.org_id == self.org_id, AtsTask.source_key == source_key
                )
            )
