"""The base of FakeAts: one organisation's AtsData in memory and the lookups its reads share
(a candidate's name, whether a record is someone's, an application with its job and candidate)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

from models.errors import NotFound
from skills.ats.records import ApplicationInfo, display_name
from tests.fakes.ats_data import Application, AtsData, Candidate

_Row = TypeVar("_Row")


def one(rows: list[_Row], what: str, row_id: int) -> _Row:
    """The first of `rows`, refused as DemoAts refuses an id the organisation does not hold."""
    if not rows:
        raise NotFound(f"No {what} {row_id} in this organisation")
    return rows[0]


class FakeAtsRows:
    """The records in `data` and the lookups over them."""

    def __init__(self, data: AtsData) -> None:
        self.data = data

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
        return self._application_info(one(found, "application", application_id))

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
