"""DemoAts: the AtsReader and AtsWriter over the demo tables in the product's database.

One class, composed of focused query objects (pipeline, people, activities, records, writes),
each scoped to the organisation; DemoAts only delegates, so each method's SQL lives with the
reads it resembles and the protocol (skills.ats.reader) documents what each one answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, datetime

from sqlalchemy.engine import Engine

from skills.ats.demo_activities import ActivityQueries
from skills.ats.demo_people import PeopleQueries
from skills.ats.demo_pipeline import PipelineQueries
from skills.ats.demo_records import RecordQueries
from skills.ats.demo_writes import AtsWrites
from skills.ats.records import (
    ActivityInfo,
    ApplicantKey,
    ApplicationInfo,
    CandidateInfo,
    InterviewInfo,
    JobInfo,
    OfferInfo,
    OwnedStale,
    PlacementInfo,
    StageMove,
    StaleCandidate,
    TaskInfo,
    UserInfo,
)


class DemoAts:
    """One organisation's demo ATS."""

    def __init__(self, engine: Engine, org_id: int) -> None:
        self.org_id = org_id
        self._pipeline = PipelineQueries(engine, org_id)
        self._people = PeopleQueries(engine, org_id)
        self._activities = ActivityQueries(engine, org_id)
        self._records = RecordQueries(engine, org_id)
        self._writes = AtsWrites(engine, org_id)

    # --- pipeline ---------------------------------------------------------------------------

    def stage_counts(self, owner_id: int | None = None) -> dict[str, int]:
        return self._pipeline.stage_counts(owner_id)

    def stage_moves_since(
        self, since: datetime, owner_id: int | None = None, *, until: datetime | None = None
    ) -> list[StageMove]:
        return self._pipeline.stage_moves_since(since, owner_id, until=until)

    def latest_stage_moves(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        limit: int = 50,
    ) -> list[StageMove]:
        return self._pipeline.latest_stage_moves(since, owner_id, until=until, limit=limit)

    def stage_move_counts(
        self, since: datetime, owner_id: int | None = None, *, until: datetime | None = None
    ) -> dict[tuple[str | None, str], int]:
        return self._pipeline.stage_move_counts(since, owner_id, until=until)

    def stale_candidates(
        self, days: int, now: datetime, owner_id: int | None = None
    ) -> list[StaleCandidate]:
        return self._pipeline.stale_candidates(days, now, owner_id)

    def stale_with_owners(
        self, days: int, now: datetime, owner_id: int | None = None
    ) -> list[OwnedStale]:
        return self._pipeline.stale_with_owners(days, now, owner_id)

    def stuck_with_owners(
        self, days: int, now: datetime, owner_id: int | None = None
    ) -> list[OwnedStale]:
        return self._pipeline.stuck_with_owners(days, now, owner_id)

    def jobs(self) -> list[JobInfo]:
        return self._pipeline.jobs()

    # --- people and applications ------------------------------------------------------------

    def candidate(self, candidate_id: int) -> CandidateInfo:
        return self._people.candidate(candidate_id)

    def names_of(self, candidate_ids: list[int]) -> list[str]:
        return self._people.names_of(candidate_ids)

    def user(self, user_id: int) -> UserInfo:
        return self._people.user(user_id)

    def users(self) -> dict[int, UserInfo]:
        return self._people.users()

    def application(self, application_id: int) -> ApplicationInfo:
        return self._people.application(application_id)

    def applications_of(self, candidate_id: int) -> list[ApplicationInfo]:
        return self._people.applications_of(candidate_id)

    def applications(self, ids: list[int]) -> list[ApplicationInfo]:
        return self._people.applications(ids)

    def ranked_applications(self, since: datetime, until: datetime) -> Iterator[ApplicantKey]:
        return self._people.ranked_applications(since, until)

    # --- activities -------------------------------------------------------------------------

    def activities_between(
        self, start: datetime, end: datetime, owner_id: int | None = None
    ) -> list[ActivityInfo]:
        return self._activities.activities_between(start, end, owner_id)

    def activities_of(
        self, candidate_id: int, start: datetime, end: datetime
    ) -> list[ActivityInfo]:
        return self._activities.activities_of(candidate_id, start, end)

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
        return self._activities.activities_of_kind(
            start, end, kinds, owner_id, newest_first=newest_first, limit=limit
        )

    def activity_counts(
        self, start: datetime, end: datetime, owner_id: int | None = None
    ) -> dict[tuple[str, int | None], int]:
        return self._activities.activity_counts(start, end, owner_id)

    # --- interviews, tasks, offers, placements ----------------------------------------------

    def interview(self, interview_id: int) -> InterviewInfo:
        return self._records.interview(interview_id)

    def interviews_of(self, candidate_id: int) -> list[InterviewInfo]:
        return self._records.interviews_of(candidate_id)

    def interviews_between(self, start: datetime, end: datetime) -> list[InterviewInfo]:
        return self._records.interviews_between(start, end)

    def open_tasks_due(self, until: datetime, owner_id: int | None = None) -> list[TaskInfo]:
        return self._records.open_tasks_due(until, owner_id)

    def offer(self, offer_id: int) -> OfferInfo:
        return self._records.offer(offer_id)

    def offers_of(self, candidate_id: int) -> list[OfferInfo]:
        return self._records.offers_of(candidate_id)

    def offers_expiring(self, start: datetime, end: datetime) -> list[OfferInfo]:
        return self._records.offers_expiring(start, end)

    def placements_ending(self, first: date, last: date) -> list[PlacementInfo]:
        return self._records.placements_ending(first, last)

    # --- writes (workflow actions) ----------------------------------------------------------

    def update_field(self, entity: str, entity_id: int, field: str, value: str) -> str | None:
        return self._writes.update_field(entity, entity_id, field, value)

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
        return self._writes.create_task(
            title=title,
            due_at=due_at,
            now=now,
            owner_id=owner_id,
            candidate_id=candidate_id,
            application_id=application_id,
            source_key=source_key,
            kind=kind,
        )
