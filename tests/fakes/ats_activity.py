"""FakeAts's reads of what happens to candidates over time: activities, interviews, tasks,
offers and placements."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime

from skills.ats.records import ActivityInfo, InterviewInfo, OfferInfo, PlacementInfo, TaskInfo
from tests.fakes.ats_data import Activity, Interview, Offer
from tests.fakes.ats_rows import FakeAtsRows, one


class FakeActivity(FakeAtsRows):
    """Activities and dated records in memory."""

    def _activities(
        self, start: datetime, end: datetime, owner_id: int | None, keep: Callable[[Activity], bool]
    ) -> list[ActivityInfo]:
        found = sorted(
            (
                a
                for a in self.data.activities
                if start < a.occurred_at <= end
                and self._owned(a.candidate_id, owner_id)
                and keep(a)
            ),
            key=lambda a: (a.occurred_at, a.id),
        )
        return [
            ActivityInfo(
                a.candidate_id,
                self._name(a.candidate_id),
                self._candidates()[a.candidate_id].source,
                a.user_id,
                a.kind,
                a.from_stage,
                a.to_stage,
                a.occurred_at,
            )
            for a in found
        ]

    def activities_between(
        self, start: datetime, end: datetime, owner_id: int | None = None
    ) -> list[ActivityInfo]:
        return self._activities(start, end, owner_id, lambda a: True)

    def activities_of(
        self, candidate_id: int, start: datetime, end: datetime
    ) -> list[ActivityInfo]:
        return self._activities(start, end, None, lambda a: a.candidate_id == candidate_id)

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
        found = self._activities(
            start,
            end,
            owner_id,
            lambda a: a.kind in kinds and self._applied_to(a.candidate_id, jobs),
        )
        if newest_first:
            found.reverse()
        return found if limit is None else found[:limit]

    def activity_counts(
        self,
        start: datetime,
        end: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> dict[tuple[str, int | None], int]:
        counts: dict[tuple[str, int | None], int] = {}

        def keep(a: Activity) -> bool:
            return self._applied_to(a.candidate_id, jobs)

        for a in self._activities(start, end, owner_id, keep):
            counts[(a.kind, a.user_id)] = counts.get((a.kind, a.user_id), 0) + 1
        return counts

    def _interviews(self, keep: Callable[[Interview], bool]) -> list[InterviewInfo]:
        found = sorted(
            (i for i in self.data.interviews if keep(i)), key=lambda i: (i.starts_at, i.id)
        )
        return [
            InterviewInfo(
                i.id,
                i.candidate_id,
                i.application_id,
                self._name(i.candidate_id),
                self._app(i.application_id).job_title,
                self._app(i.application_id).stage,
                i.interviewer_id,
                i.kind,
                i.starts_at,
                i.ends_at,
                i.status,
                i.scorecard_submitted_at,
            )
            for i in found
        ]

    def interview(self, interview_id: int) -> InterviewInfo:
        return one(self._interviews(lambda i: i.id == interview_id), "interview", interview_id)

    def interviews_of(self, candidate_id: int) -> list[InterviewInfo]:
        return self._interviews(lambda i: i.candidate_id == candidate_id)

    def interviews_between(self, start: datetime, end: datetime) -> list[InterviewInfo]:
        return self._interviews(lambda i: start <= i.starts_at < end)

    def open_tasks_due(self, until: datetime, owner_id: int | None = None) -> list[TaskInfo]:
        found = sorted(
            (
                t
                for t in self.data.tasks
                if t.status == "open"
                and t.due_at <= until
                and (owner_id is None or t.owner_id == owner_id)
            ),
            key=lambda t: (t.due_at, t.id),
        )
        return [
            TaskInfo(
                t.id,
                t.owner_id,
                t.candidate_id,
                self._name(t.candidate_id) if t.candidate_id is not None else None,
                t.title,
                t.due_at,
                t.status,
            )
            for t in found
        ]

    def _offers(self, keep: Callable[[Offer], bool]) -> list[OfferInfo]:
        # offers without an expiry sort last (as on PostgreSQL; SQLite puts them first)
        found = sorted(
            (o for o in self.data.offers if keep(o)),
            key=lambda o: (o.expires_at is None, o.expires_at or datetime.min, o.id),
        )
        return [
            OfferInfo(
                o.id,
                o.candidate_id,
                o.application_id,
                self._name(o.candidate_id),
                self._app(o.application_id).job_title,
                o.status,
                o.start_date,
                o.expires_at,
                o.accepted_at,
                self._app(o.application_id).hiring_manager_id,
                self._candidates()[o.candidate_id].owner_id,
            )
            for o in found
        ]

    def offer(self, offer_id: int) -> OfferInfo:
        return one(self._offers(lambda o: o.id == offer_id), "offer", offer_id)

    def offers_of(self, candidate_id: int) -> list[OfferInfo]:
        return self._offers(lambda o: o.candidate_id == candidate_id)

    def offers_expiring(self, start: datetime, end: datetime) -> list[OfferInfo]:
        return self._offers(
            lambda o: (
                o.status == "extended" and o.expires_at is not None and start <= o.expires_at < end
            )
        )

    def placements_ending(self, first: date, last: date) -> list[PlacementInfo]:
        found = sorted(
            (
                p
                for p in self.data.placements
                if p.ends_on is not None and first <= p.ends_on <= last
            ),
            key=lambda p: (p.ends_on, p.id),
        )
        return [
            PlacementInfo(
                p.id,
                p.candidate_id,
                self._name(p.candidate_id),
                self._app(p.application_id).job_title,
                p.kind,
                p.starts_on,
                p.ends_on,
                self._candidates()[p.candidate_id].owner_id,
            )
            for p in found
        ]
