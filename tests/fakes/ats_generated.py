"""Generated ATS data for the report skills' tests: jobs in several departments (some closed),
applications with their stage histories, hires and offers drawn at random around NOW, and a
run of a built-in skill over it in memory."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from skills.base import OwnerInfo, SkillContext, SkillOutput
from skills.builtin import default_registry
from tests.fakes.ats import FakeAts
from tests.fakes.ats_data import (
    DANA,
    Activity,
    Application,
    AtsData,
    Candidate,
    Job,
    Offer,
    User,
)
from tests.fakes.stores import FakeHolidays

NOW = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
DEPARTMENTS = ("Engineering", "Sales", "Design", "Customer Success", "")
PATH = ("Applied", "Screen", "Interview", "Offer")


def generated(seed: int, jobs: int = 8, people: int = 60) -> AtsData:
    """An organisation whose jobs, applications, stage histories, hires and offers are
    drawn at random around NOW."""
    rng = random.Random(seed)
    data = AtsData(
        users=[User(DANA, "Dana Recruiter", "dana@x.test"), User(7, "Max HM", "m@x.test")]
    )
    for job_id in range(1, jobs + 1):
        data.jobs.append(
            Job(
                job_id,
                f"Role {job_id}",
                rng.choice(DEPARTMENTS),
                status=rng.choice(("open", "open", "open", "closed")),
                hiring_manager_id=rng.choice((DANA, 7, None)),
                created_at=NOW - timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23)),
            )
        )
    for n in range(1, people + 1):
        applied = NOW - timedelta(days=rng.randint(0, 150), minutes=rng.randint(0, 1439))
        data.candidates.append(Candidate(n, f"First{n}", f"Last{n}", f"c{n}@x.test", applied))
        final = rng.choice((*PATH, "Hired", "Rejected"))
        path = (
            [*PATH[: rng.randint(1, 4)], "Rejected"]
            if final == "Rejected"
            else ([*PATH, "Hired"] if final == "Hired" else list(PATH[: PATH.index(final) + 1]))
        )
        at = applied
        for before, after in itertools.pairwise(path):
            at = min(NOW, at + timedelta(hours=rng.randint(1, 400)))
            data.activities.append(
                Activity(len(data.activities) + 1, n, "stage_change", at, n, None, before, after)
            )
        status = {"Hired": "hired", "Rejected": "rejected"}.get(path[-1], "active")
        data.applications.append(
            Application(n, n, rng.randint(1, jobs), path[-1], applied, status, "normal", at)
        )
        if rng.random() < 0.4:
            made = applied + timedelta(hours=rng.randint(1, 2000))
            if made <= NOW:
                status = rng.choice(("extended", "accepted", "declined", "expired"))
                accepted = made + timedelta(days=1) if status == "accepted" else None
                data.offers.append(
                    Offer(len(data.offers) + 1, n, n, status, accepted_at=accepted, created_at=made)
                )
    return data


def run(name: str, data: AtsData, **params: Any) -> SkillOutput:
    ctx = SkillContext(
        org_id=1,
        owner=OwnerInfo(DANA, "dana@x.test", "Dana Recruiter", "UTC"),
        params=params,
        now=NOW,
        tz="UTC",
        triggered_by="test",
        last_success_at=None,
        trigger_data={},
        ats=FakeAts(data),
        holidays=FakeHolidays(),
        sequences=None,
        org_timezone="UTC",
    )
    return default_registry().get(name).run(ctx)
