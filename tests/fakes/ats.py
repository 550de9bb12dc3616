"""FakeAts: the AtsReader and AtsWriter over an AtsData in memory, so skill tests need no
database. It answers what DemoAts answers over the same records (tests/skills/test_ats_contract
runs both through the same questions on both databases)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import date, datetime, timedelta
from typing import TypeVar

from models.errors import NotFound
from models.tables.demo_ats import CLOSED_STAGES
from skills.ats.records import (
    ACTIVE,
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
    StaleT,
    TaskInfo,
    UserInfo,
    check_field_update,
    display_name,
    longest_waiting_first,
)
from tests.fakes.ats_data import Activity, Application, AtsData, Candidate, Interview, Offer, Task
from tests.fakes.ats_hiring import FakeHiring

_Row = TypeVar("_Row")


def _one(rows: list[_Row], what: str, row_id: int) -> _Row:
    if not rows:
        raise NotFound(f"No {what} {row_id} in this organisation")
    return rows[0]


class FakeAts(FakeHiring):
    """One organisation's ATS in memory; writes change `data`."""

    def __init__(self, data: AtsData) -> None:
        self.data = data

    # --- lookups ----------------------------------------------------------------------------

    def _candidates(self) -> dict[int, Candidate]:
        return {c.id: c for c in self.data.candidates}

    def _owned(self, candidate_id: int, owner_id: int | None) -> bool:
        return owner_id is None or self._candidates()[candidate_id].owner_id == owner_id

    def _name(self, candidate_id: int) -> str:
        c = self._candidates()[candidate_id]
        return display_name(c.first_name, c.last_name)

    def _application_info(self, app: Application) -> ApplicationInfo:
        c = self._candidates()[app.candidate_id]
        job = next(j for j in self.data.jobs if j.id == app.job_id)
        return ApplicationInfo(
            app.id,
            c.id,
            display_name(c.first_name, c.last_name),
            job.id,
            job.title,
            job.department,
            job.location,
            app.stage,
            app.status,
            app.priority,
            app.applied_at,
            job.hiring_manager_id,
            job.recruiter_id,
            c.owner_id,
            c.headline,
            c.location,
            c.source,
        )

    def _app(self, application_id: int) -> ApplicationInfo:
        found = [a for a in self.data.applications if a.id == application_id]
        return self._application_info(_one(found, "application", application_id))

    # --- pipeline ---------------------------------------------------------------------------

    def _to_jobs(self, application_id: int | None, jobs: Collection[int] | None) -> bool:
        if jobs is None:
            return True
        return any(a.id == application_id and a.job_id in jobs for a in self.data.applications)

    def _applied_to(self, candidate_id: int, jobs: Collection[int] | None) -> bool:
        if jobs is None:
            return True
        return any(
            a.candidate_id == candidate_id and a.job_id in jobs for a in self.data.applications
        )

    def stage_counts(
        self, owner_id: int | None = None, *, jobs: Collection[int] | None = None
    ) -> dict[str, int]:
        counted: dict[str, int] = {}
        for app in self.data.applications:
            if (
                app.status == ACTIVE
                and self._owned(app.candidate_id, owner_id)
                and (jobs is None or app.job_id in jobs)
            ):
                counted[app.stage] = counted.get(app.stage, 0) + 1
        open_stages = [s for s in self.data.stages if s not in CLOSED_STAGES]
        ordered = {stage: counted.pop(stage, 0) for stage in open_stages}
        ordered.update(sorted(counted.items()))
        return ordered

    def _moves(
        self,
        since: datetime,
        owner_id: int | None,
        until: datetime | None,
        jobs: Collection[int] | None = None,
    ) -> list[Activity]:
        return sorted(
            (
                a
                for a in self.data.activities
                if a.kind == "stage_change"
                and a.application_id is not None
                and since < a.occurred_at
                and (until is None or a.occurred_at <= until)
                and self._owned(a.candidate_id, owner_id)
                and self._to_jobs(a.application_id, jobs)
            ),
            key=lambda a: (a.occurred_at, a.id),
        )

    def _move(self, a: Activity) -> StageMove:
        app = self._app(a.application_id or 0)
        name = self._name(a.candidate_id)
        return StageMove(
            app.id,
            a.candidate_id,
            name,
            a.from_stage,
            a.to_stage or "",
            app.job_title,
            a.occurred_at,
        )

    def stage_moves_since(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        jobs: Collection[int] | None = None,
    ) -> list[StageMove]:
        return [self._move(a) for a in self._moves(since, owner_id, until, jobs)]

    def latest_stage_moves(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        limit: int = 50,
        jobs: Collection[int] | None = None,
    ) -> list[StageMove]:
        moves = self._moves(since, owner_id, until, jobs)
        return [self._move(a) for a in reversed(moves)][:limit]

    def stage_move_counts(
        self,
        since: datetime,
        owner_id: int | None = None,
        *,
        until: datetime | None = None,
        jobs: Collection[int] | None = None,
    ) -> dict[tuple[str | None, str], int]:
        groups: dict[tuple[str | None, str | None], list[Activity]] = {}
        for a in self._moves(since, owner_id, until, jobs):
            groups.setdefault((a.from_stage, a.to_stage), []).append(a)
        first = sorted(
            groups.items(),
            key=lambda g: (min(a.occurred_at for a in g[1]), min(a.id for a in g[1])),
        )
        counts: dict[tuple[str | None, str], int] = {}
        for (before, after), moves in first:
            key = (before, after or "")
            counts[key] = counts.get(key, 0) + len(moves)
        return counts

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
        stale = []
        for app in self.data.applications:
            if jobs is not None and app.job_id not in jobs:
                continue
            c = self._candidates()[app.candidate_id]
            entered = app.stage_changed_at or app.applied_at
            contact = entered if in_stage else c.last_contacted_at or c.created_at
            if app.status != ACTIVE or contact > cutoff or not self._owned(c.id, owner_id):
                continue
            info = self._application_info(app)
            extra = (c.owner_id,) if kind is OwnedStale else ()
            stale.append(
                kind(
                    c.id,
                    app.id,
                    info.candidate_name,
                    info.job_title,
                    app.stage,
                    contact,
                    (now - contact).days,
                    *extra,
                )
            )
        return longest_waiting_first(stale)

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

    def jobs(self) -> list[JobInfo]:
        return [
            JobInfo(j.id, j.title, j.department, j.location, j.status)
            for j in sorted(self.data.jobs, key=lambda j: j.id)
        ]

    # --- people and applications ------------------------------------------------------------

    def candidate(self, candidate_id: int) -> CandidateInfo:
        c = _one(
            [c for c in self.data.candidates if c.id == candidate_id], "candidate", candidate_id
        )
        return CandidateInfo(
            c.id,
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            c.location,
            c.source,
            c.owner_id,
            c.timezone,
            c.created_at,
            c.last_contacted_at,
        )

    def names_of(self, candidate_ids: list[int]) -> list[str]:
        wanted = set(candidate_ids[:1000])
        return [
            n
            for c in self.data.candidates
            if c.id in wanted
            for n in (display_name(c.first_name, c.last_name), c.first_name, c.last_name)
        ]

    def user(self, user_id: int) -> UserInfo:
        return _one([u for i, u in self.users().items() if i == user_id], "user", user_id)

    def users(self) -> dict[int, UserInfo]:
        return {
            u.id: UserInfo(u.id, u.name, u.email, u.slack_user_id, u.timezone)
            for u in self.data.users
        }

    def application(self, application_id: int) -> ApplicationInfo:
        return self._app(application_id)

    def applications_of(self, candidate_id: int) -> list[ApplicationInfo]:
        return [
            self._application_info(a)
            for a in sorted(self.data.applications, key=lambda a: a.id)
            if a.candidate_id == candidate_id
        ]

    def applications(self, ids: list[int]) -> list[ApplicationInfo]:
        known = {a.id for a in self.data.applications}
        return [self._app(i) for i in ids[:1000] if i in known]

    def ranked_applications(self, since: datetime, until: datetime) -> Iterator[ApplicantKey]:
        found = [
            self._application_info(a)
            for a in self.data.applications
            if since < a.applied_at <= until
        ]
        found.sort(key=lambda a: a.id)
        found.sort(key=lambda a: a.applied_at, reverse=True)
        found.sort(key=lambda a: a.priority != "high")
        for a in found:
            yield ApplicantKey(
                a.id,
                a.candidate_id,
                a.priority,
                a.job_title,
                a.location,
                a.candidate_location,
                a.headline,
                a.source,
            )

    # --- activities -------------------------------------------------------------------------

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

    # --- interviews, tasks, offers, placements ----------------------------------------------

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
        return _one(self._interviews(lambda i: i.id == interview_id), "interview", interview_id)

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
        return _one(self._offers(lambda o: o.id == offer_id), "offer", offer_id)

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

    # --- writes -----------------------------------------------------------------------------

    def update_field(self, entity: str, entity_id: int, field: str, value: str) -> str | None:
        check_field_update(entity, field, value)
        rows: list[Application] | list[Candidate] = (
            self.data.applications if entity == "application" else self.data.candidates
        )
        row = _one([r for r in rows if r.id == entity_id], entity, entity_id)
        previous: str | None = getattr(row, field)
        setattr(row, field, value)
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
        for task in self.data.tasks:
            if source_key is not None and task.source_key == source_key:
                return task.id, False
        task_id = max((t.id for t in self.data.tasks), default=0) + 1
        self.data.tasks.append(
            Task(
                task_id,
                title[:300],
                due_at,
                owner_id,
                candidate_id,
                application_id,
                kind,
                source_key=source_key,
            )
        )
        return task_id, True
