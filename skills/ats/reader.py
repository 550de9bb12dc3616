"""What skills read from an ATS (AtsReader) and what workflow actions write to it (AtsWriter).

Every method a skill calls is declared here, so a skill can run against any ATS that implements
the protocol: the demo ATS in the product's database (skills.ats.demo) or an in-memory one in
tests. Results are the plain frozen dataclasses of skills.ats.records. `owner_id=None` means the
whole organisation; `jobs` (job ids), where taken, keeps to the applications to those jobs (None:
every job); a missing id raises NotFound.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, datetime
from typing import Protocol

from skills.ats.hiring_records import HireInfo, HistoryMove, JobPipeline, OfferMade
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


class AtsReader(Protocol):
    """Read access to one organisation's ATS."""

    # --- pipeline ---------------------------------------------------------------------------

    def stage_counts(
        self, owner_id: int | None = None, *, jobs: Collection[int] | None = None
    ) -> dict[str, int]:
        """Active applications per open stage, in pipeline order (zero counts included), then
        stages since deleted that still hold people. A candidate in two jobs counts once in
        each job's stage."""
        ...

    def stage_moves_since(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        jobs: Collection[int] | None = None,
    ) -> list[StageMove]:
        """Stage changes with since < occurred_at <= until, oldest first."""
        ...

    def latest_stage_moves(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        limit: int = 50,
        jobs: Collection[int] | None = None,
    ) -> list[StageMove]:
        """The newest `limit` of stage_moves_since(since, owner_id, until=until, jobs=jobs),
        newest first."""
        ...

    def stage_move_counts(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        jobs: Collection[int] | None = None,
    ) -> dict[tuple[str | None, str], int]:
        """How many of stage_moves_since(since, owner_id, until=until, jobs=jobs) go from each stage
        (None: new) to each stage, in the order each pair first occurred."""
        ...

    def stale_candidates(
        self,
        days: int,
        now: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> list[StaleCandidate]:
        """Active applications whose candidate was last contacted `days` or more whole days
        before `now` (calendar days), longest-waiting first."""
        ...

    def stale_with_owners(
        self,
        days: int,
        now: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> list[OwnedStale]:
        """stale_candidates(days, now, owner_id, jobs=jobs), each with its candidate's owner."""
        ...

    def stuck_with_owners(
        self,
        days: int,
        now: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> list[OwnedStale]:
        """Active applications that entered their current stage `days` or more whole days
        before `now`, each with its candidate's owner, longest-waiting first; each record's
        last_contact_at and days_since_contact hold the stage's start and the days since."""
        ...

    def jobs(self) -> list[JobInfo]:
        """Every job of the organisation, by id."""
        ...

    # --- hiring: open roles and hiring metrics ---------------------------------------------

    def job_pipelines(self) -> list[JobPipeline]:
        """Every open job, by id, with its active applications per stage, how many applied
        and its latest application or stage change."""
        ...

    def hires_between(self, start: datetime, end: datetime) -> list[HireInfo]:
        """Hired applications that entered their stage with start < hired_at <= end, earliest
        first."""
        ...

    def offers_made_between(self, start: datetime, end: datetime) -> list[OfferMade]:
        """Offers created with start < made_at <= end, earliest first."""
        ...

    def stage_histories(self, start: datetime, end: datetime) -> list[HistoryMove]:
        """Every stage change up to `end` of the applications that changed stage with
        start < occurred_at <= end, oldest first."""
        ...

    # --- people and applications ------------------------------------------------------------

    def candidate(self, candidate_id: int) -> CandidateInfo: ...

    def names_of(self, candidate_ids: list[int]) -> list[str]:
        """Full, first and last names of these candidates (up to 1,000; the scrubber's list)."""
        ...

    def user(self, user_id: int) -> UserInfo: ...

    def users(self) -> dict[int, UserInfo]:
        """Every user of the organisation, by id."""
        ...

    def application(self, application_id: int) -> ApplicationInfo: ...

    def applications_of(self, candidate_id: int) -> list[ApplicationInfo]:
        """One candidate's applications, by id."""
        ...

    def applications(self, ids: list[int]) -> list[ApplicationInfo]:
        """These applications of the organisation, in the order given (up to 1,000)."""
        ...

    def ranked_applications(self, since: datetime, until: datetime) -> Iterator[ApplicantKey]:
        """Applications with since < applied_at <= until, high priority first, then newest
        first, then by id, as the fields a filter reads; applications(ids) gives them whole."""
        ...

    # --- activities -------------------------------------------------------------------------

    def activities_between(
        self, start: datetime, end: datetime, owner_id: int | None = None
    ) -> list[ActivityInfo]:
        """Activities with start < occurred_at <= end, oldest first."""
        ...

    def activities_of(
        self, candidate_id: int, start: datetime, end: datetime
    ) -> list[ActivityInfo]:
        """One candidate's activities with start < occurred_at <= end, oldest first."""
        ...

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
        """activities_between(start, end, owner_id) of these kinds, oldest first (or newest
        first), at most `limit` of them; with `jobs`, only those of candidates who applied to
        one of these jobs."""
        ...

    def activity_counts(
        self,
        start: datetime,
        end: datetime,
        owner_id: int | None = None,
        *,
        jobs: Collection[int] | None = None,
    ) -> dict[tuple[str, int | None], int]:
        """How many of activities_between(start, end, owner_id) each (kind, user) has; with
        `jobs`, only those of candidates who applied to one of these jobs."""
        ...

    # --- interviews, tasks, offers, placements ----------------------------------------------

    def interview(self, interview_id: int) -> InterviewInfo: ...

    def interviews_of(self, candidate_id: int) -> list[InterviewInfo]:
        """One candidate's interviews, earliest first."""
        ...

    def interviews_between(self, start: datetime, end: datetime) -> list[InterviewInfo]:
        """Interviews with start <= starts_at < end, earliest first."""
        ...

    def open_tasks_due(self, until: datetime, owner_id: int | None = None) -> list[TaskInfo]:
        """Open tasks due at or before `until`, earliest first."""
        ...

    def offer(self, offer_id: int) -> OfferInfo: ...

    def offers_of(self, candidate_id: int) -> list[OfferInfo]:
        """One candidate's offers, by expiry, then id."""
        ...

    def offers_expiring(self, start: datetime, end: datetime) -> list[OfferInfo]:
        """Extended (open) offers expiring in [start, end), soonest first."""
        ...

    def placements_ending(self, first: date, last: date) -> list[PlacementInfo]:
        """Placements whose end date is within [first, last], soonest first."""
        ...


class AtsWriter(Protocol):
    """The writes workflow actions make; the worker runs them, skills only plan them."""

    def update_field(self, entity: str, entity_id: int, field: str, value: str) -> str | None:
        """Set one field listed in UPDATABLE_FIELDS; returns the previous value. Bad input
        raises InvalidInput and changes nothing."""
        ...

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
        ...
