"""The demo ATS's record reads: interviews, tasks, offers and placements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from models.errors import NotFound
from models.tables.demo_ats import (
    AtsApplication,
    AtsCandidate,
    AtsInterview,
    AtsJob,
    AtsOffer,
    AtsPlacement,
    AtsTask,
)
from skills.ats.records import InterviewInfo, OfferInfo, PlacementInfo, TaskInfo, display_name


@dataclass(frozen=True)
class RecordQueries:
    """Interviews, tasks, offers and placements of one organisation."""

    engine: Engine
    org_id: int

    def _interviews(self, *conditions: ColumnElement[bool]) -> list[InterviewInfo]:
        columns: tuple[Any, ...] = (
            col(AtsInterview.id),
            col(AtsInterview.candidate_id),
            col(AtsInterview.application_id),
            col(AtsCandidate.first_name),
            col(AtsCandidate.last_name),
            col(AtsJob.title),
            col(AtsApplication.stage),
            col(AtsInterview.interviewer_id),
            col(AtsInterview.kind),
            col(AtsInterview.starts_at),
            col(AtsInterview.ends_at),
            col(AtsInterview.status),
            col(AtsInterview.scorecard_submitted_at),
        )
        query = (
            select(*columns)
            .join(AtsCandidate, col(AtsCandidate.id) == col(AtsInterview.candidate_id))
            .join(AtsApplication, col(AtsApplication.id) == col(AtsInterview.application_id))
            .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            .where(col(AtsInterview.org_id) == self.org_id, *conditions)
            .order_by(col(AtsInterview.starts_at), col(AtsInterview.id))
        )
        with self.engine.connect() as connection:
            return [
                InterviewInfo(i_id, c_id, a_id, display_name(first, last), *rest)
                for i_id, c_id, a_id, first, last, *rest in connection.execute(query)
            ]

    def interview(self, interview_id: int) -> InterviewInfo:
        found = self._interviews(col(AtsInterview.id) == interview_id)
        if not found:
            raise NotFound(f"No interview {interview_id} in this organisation")
        return found[0]

    def interviews_of(self, candidate_id: int) -> list[InterviewInfo]:
        return self._interviews(col(AtsInterview.candidate_id) == candidate_id)

    def interviews_between(self, start: datetime, end: datetime) -> list[InterviewInfo]:
        starts = col(AtsInterview.starts_at)
        return self._interviews(starts >= start, starts < end)

    def open_tasks_due(self, until: datetime, owner_id: int | None = None) -> list[TaskInfo]:
        columns: tuple[Any, ...] = (
            col(AtsTask.id),
            col(AtsTask.owner_id),
            col(AtsTask.candidate_id),
            col(AtsCandidate.id),
            col(AtsCandidate.first_name),
            col(AtsCandidate.last_name),
            col(AtsTask.title),
            col(AtsTask.due_at),
            col(AtsTask.status),
        )
        query = (
            select(*columns)
            .outerjoin(AtsCandidate, col(AtsCandidate.id) == col(AtsTask.candidate_id))
            .where(
                col(AtsTask.org_id) == self.org_id,
                col(AtsTask.status) == "open",
                col(AtsTask.due_at) <= until,
            )
            .order_by(col(AtsTask.due_at), col(AtsTask.id))
        )
        if owner_id is not None:
            query = query.where(col(AtsTask.owner_id) == owner_id)
        with self.engine.connect() as connection:
            return [
                TaskInfo(
                    t_id,
                    owner,
                    candidate_id,
                    display_name(first, last) if found is not None else None,
                    title,
                    due,
                    status,
                )
                for t_id, owner, candidate_id, found, first, last, title, due, status in (
                    connection.execute(query)
                )
            ]

    def _offers(self, *conditions: ColumnElement[bool]) -> list[OfferInfo]:
        columns: tuple[Any, ...] = (
            col(AtsOffer.id),
            col(AtsOffer.candidate_id),
            col(AtsOffer.application_id),
            col(AtsCandidate.first_name),
            col(AtsCandidate.last_name),
            col(AtsJob.title),
            col(AtsOffer.status),
            col(AtsOffer.start_date),
            col(AtsOffer.expires_at),
            col(AtsOffer.accepted_at),
            col(AtsJob.hiring_manager_id),
            col(AtsCandidate.owner_id),
        )
        query = (
            select(*columns)
            .join(AtsCandidate, col(AtsCandidate.id) == col(AtsOffer.candidate_id))
            .join(AtsApplication, col(AtsApplication.id) == col(AtsOffer.application_id))
            .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            .where(col(AtsOffer.org_id) == self.org_id, *conditions)
            .order_by(col(AtsOffer.expires_at), col(AtsOffer.id))
        )
        with self.engine.connect() as connection:
            return [
                OfferInfo(o_id, c_id, a_id, display_name(first, last), *rest)
                for o_id, c_id, a_id, first, last, *rest in connection.execute(query)
            ]

    def offer(self, offer_id: int) -> OfferInfo:
        found = self._offers(col(AtsOffer.id) == offer_id)
        if not found:
            raise NotFound(f"No offer {offer_id} in this organisation")
        return found[0]

    def offers_of(self, candidate_id: int) -> list[OfferInfo]:
        return self._offers(col(AtsOffer.candidate_id) == candidate_id)

    def offers_expiring(self, start: datetime, end: datetime) -> list[OfferInfo]:
        expires = col(AtsOffer.expires_at)
        return self._offers(col(AtsOffer.status) == "extended", expires >= start, expires < end)

    def placements_ending(self, first: date, last: date) -> list[PlacementInfo]:
        ends = col(AtsPlacement.ends_on)
        columns: tuple[Any, ...] = (
            col(AtsPlacement.id),
            col(AtsPlacement.candidate_id),
            col(AtsCandidate.first_name),
            col(AtsCandidate.last_name),
            col(AtsJob.title),
            col(AtsPlacement.kind),
            col(AtsPlacement.starts_on),
            ends,
            col(AtsCandidate.owner_id),
        )
        query = (
            select(*columns)
            .join(AtsCandidate, col(AtsCandidate.id) == col(AtsPlacement.candidate_id))
            .join(AtsApplication, col(AtsApplication.id) == col(AtsPlacement.application_id))
            .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
            .where(col(AtsPlacement.org_id) == self.org_id, ends >= first, ends <= last)
            .order_by(ends, col(AtsPlacement.id))
        )
        with self.engine.connect() as connection:
            return [
                PlacementInfo(p_id, c_id, display_name(first_name, last_name), *rest)
                for p_id, c_id, first_name, last_name, *rest in connection.execute(query)
            ]
