"""FakeAts's reads for the hiring reports, over the same AtsData as the rest of FakeAts."""

from __future__ import annotations

from datetime import datetime

from skills.ats.hiring_records import (
    HIRED,
    OPEN_JOB,
    HireInfo,
    HistoryMove,
    JobPipeline,
    OfferMade,
)
from skills.ats.records import ACTIVE
from tests.fakes.ats_data import Application
from tests.fakes.ats_rows import FakeAtsRows


class FakeHiring(FakeAtsRows):
    """Open jobs, hires, offers and stage histories in memory."""

    def _applications(self) -> dict[int, Application]:
        return {a.id: a for a in self.data.applications}

    def job_pipelines(self) -> list[JobPipeline]:
        found = []
        for job in sorted(self.data.jobs, key=lambda j: j.id):
            if job.status != OPEN_JOB:
                continue
            apps = [a for a in self.data.applications if a.job_id == job.id]
            stages: dict[str, int] = {}
            for a in apps:
                if a.status == ACTIVE:
                    stages[a.stage] = stages.get(a.stage, 0) + 1
            found.append(
                JobPipeline(
                    job.id,
                    job.title,
                    job.department,
                    job.location,
                    job.hiring_manager_id,
                    job.recruiter_id,
                    job.created_at,
                    tuple(sorted(stages.items())),
                    len(apps),
                    max((a.stage_changed_at or a.applied_at for a in apps), default=None),
                )
            )
        return found

    def hires_between(self, start: datetime, end: datetime) -> list[HireInfo]:
        hires = [
            HireInfo(a.id, a.job_id, a.applied_at, a.stage_changed_at or a.applied_at)
            for a in self.data.applications
            if a.status == HIRED and start < (a.stage_changed_at or a.applied_at) <= end
        ]
        return sorted(hires, key=lambda h: (h.hired_at, h.application_id))

    def offers_made_between(self, start: datetime, end: datetime) -> list[OfferMade]:
        apps = self._applications()
        made = [
            OfferMade(
                o.id,
                o.application_id,
                apps[o.application_id].job_id,
                o.status,
                o.created_at,
                o.accepted_at,
            )
            for o in self.data.offers
            if start < o.created_at <= end
        ]
        return sorted(made, key=lambda o: (o.made_at, o.id))

    def stage_histories(self, start: datetime, end: datetime) -> list[HistoryMove]:
        apps = self._applications()
        moves = sorted(
            (
                a
                for a in self.data.activities
                if a.kind == "stage_change"
                and a.application_id is not None
                and a.occurred_at <= end
            ),
            key=lambda a: (a.occurred_at, a.id),
        )
        moved = {a.application_id for a in moves if start < a.occurred_at}
        return [
            HistoryMove(
                a.application_id,
                apps[a.application_id].job_id,
                apps[a.application_id].applied_at,
                a.from_stage,
                a.to_stage or "",
                a.occurred_at,
            )
            for a in moves
            if a.application_id in moved and a.application_id is not None
        ]
