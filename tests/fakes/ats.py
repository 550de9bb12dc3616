"""FakeAts: the AtsReader and AtsWriter over an AtsData in memory, so skill tests need no
database. It answers what DemoAts answers over the same records (tests/skills/test_ats_contract
runs both through the same questions on both databases). Its reads are grouped by concern:
the pipeline (ats_pipeline), activities and dated records (ats_activity), the hiring reports
(ats_hiring); the people, applications and writes are here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from skills.ats.records import (
    ApplicantKey,
    ApplicationInfo,
    CandidateInfo,
    UserInfo,
    check_field_update,
    display_name,
)
from tests.fakes.ats_activity import FakeActivity
from tests.fakes.ats_data import Application, Candidate, Task
from tests.fakes.ats_hiring import FakeHiring
from tests.fakes.ats_pipeline import FakePipeline
from tests.fakes.ats_rows import one


class FakeAts(FakePipeline, FakeActivity, FakeHiring):
    """One organisation's ATS in memory; writes change `data`."""

    # --- people and applications ------------------------------------------------------------

    def candidate(self, candidate_id: int) -> CandidateInfo:
        c = one(
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
        return one([u for i, u in self.users().items() if i == user_id], "user", user_id)

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

    # --- writes -----------------------------------------------------------------------------

    def update_field(self, entity: str, entity_id: int, field: str, value: str) -> str | None:
        check_field_update(entity, field, value)
        rows: list[Application] | list[Candidate] = (
            self.data.applications if entity == "application" else self.data.candidates
        )
        row = one([r for r in rows if r.id == entity_id], entity, entity_id)
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
