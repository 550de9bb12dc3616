"""FakeAts's pipeline reads: stage counts, stage moves and candidates waiting too long."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from models.tables.demo_ats import CLOSED_STAGES
from skills.ats.records import (
    ACTIVE,
    JobInfo,
    OwnedStale,
    StageMove,
    StaleCandidate,
    StaleT,
    longest_waiting_first,
)
from tests.fakes.ats_data import Activity
from tests.fakes.ats_rows import FakeAtsRows


class FakePipeline(FakeAtsRows):
    """Where applications stand and how they moved, in memory."""

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
