"""open-roles-report and hiring-metrics over generated ATS data: the figures they report
(jobs kept, days open, hires, median and 90th-percentile time to hire, offer acceptance, time
in stage) match ones computed here independently from the generated records, and the
department filter keeps exactly the jobs of the departments named, in any case."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from skills.base import OwnerInfo, SkillContext, SkillOutput
from skills.builtin import default_registry
from skills.departments import department_key, unknown_line
from tests.examples import examples
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


def middle(values: list[float]) -> float:
    ranked = sorted(values)
    half = len(ranked) // 2
    return ranked[half] if len(ranked) % 2 else (ranked[half - 1] + ranked[half]) / 2


def ninetieth(values: list[float]) -> float:
    """The smallest value with at least 90% of the values at or below it."""
    ranked = sorted(values)
    return next(v for v in ranked if 10 * sum(w <= v for w in ranked) >= 9 * len(ranked))


def days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def test_hiring_metrics_match_figures_computed_from_the_records() -> None:
    for seed in range(6):
        data = generated(seed)
        start = datetime(2026, 9, 30, 9, 0, tzinfo=UTC)  # three months before NOW
        jobs = {j.id: j for j in data.jobs}
        hires = [
            days(a.applied_at, a.stage_changed_at or a.applied_at)
            for a in data.applications
            if a.status == "hired" and start < (a.stage_changed_at or a.applied_at) <= NOW
        ]
        offers = [o for o in data.offers if start < o.created_at <= NOW]
        accepted = sum(o.status == "accepted" for o in offers)
        decided = sum(o.status in ("accepted", "declined", "expired") for o in offers)
        out = run("hiring-metrics", data, period="quarter", group_by="department")
        s = out.summary
        assert s["hires"] == len(hires)
        assert s["median_days_to_hire"] == (round(middle(hires), 1) if hires else None)
        assert s["p90_days_to_hire"] == (round(ninetieth(hires), 1) if hires else None)
        assert s["offers_made"] == len(offers) and s["offers_accepted"] == accepted
        assert s["acceptance_rate"] == (round(accepted / decided, 3) if decided else None)
        by_department: dict[str, int] = {}
        for a in data.applications:
            if a.status == "hired" and start < (a.stage_changed_at or a.applied_at) <= NOW:
                name = jobs[a.job_id].department or "No department"
                by_department[name] = by_department.get(name, 0) + 1
        assert {k: v["hires"] for k, v in s["by_group"].items() if v["hires"]} == by_department
        if not hires:
            assert "time to hire can't be computed: no hires in the period" in out.text
        # every move out of Applied in the period started at the application: its median
        applied_spells = [
            days(data.applications[(m.application_id or 0) - 1].applied_at, m.occurred_at)
            for m in data.activities
            if m.from_stage == "Applied" and start < m.occurred_at <= NOW
        ]
        if applied_spells:
            shown = f"Applied {middle(applied_spells):.1f} ({len(applied_spells)} left it)"
            all_jobs = next(part for part in out.text.split("\n\n") if part.startswith("ALL JOBS"))
            assert shown in all_jobs
        assert "@" not in repr(s) and "First" not in repr(s)


def test_a_period_with_nothing_to_compute_says_so() -> None:
    data = AtsData(jobs=[Job(1, "Role", "Engineering", created_at=NOW - timedelta(days=5))])
    out = run("hiring-metrics", data, period="week", group_by="job")
    assert "time to hire can't be computed: no hires in the period" in out.text
    assert "acceptance rate can't be computed: no offer made" in out.text
    assert "Time in stage can't be computed" in out.text
    assert out.summary["median_days_to_hire"] is None and out.summary["acceptance_rate"] is None


def test_open_roles_keeps_jobs_open_longer_than_asked_and_says_how_long() -> None:
    for seed in range(6):
        data = generated(seed)
        older = 30 * (seed % 3)
        kept = sorted(
            (
                j
                for j in data.jobs
                if j.status == "open" and j.created_at < NOW - timedelta(days=older)
            ),
            key=lambda j: (j.created_at, j.id),
        )
        out = run(
            "open-roles-report",
            data,
            older_than_days=older,
            group_by="department",
            skip_when_empty=True,
        )
        if not kept:
            assert out.skipped_reason == "nothing_to_report"
            continue
        assert out.summary["job_ids"] == [j.id for j in kept]
        for job in kept:
            apps = [a for a in data.applications if a.job_id == job.id]
            active = [a for a in apps if a.status == "active"]
            said = (
                f"{job.title} — open {(NOW - job.created_at).days} days"
                if (NOW - job.created_at).days != 1
                else f"{job.title} — open 1 day"
            )
            line = next(line for line in out.text.splitlines() if f"{job.title} —" in line)
            assert said in line and f"{len(active)} active of {len(apps)} applicant" in line
            if apps:
                last = max(a.stage_changed_at or a.applied_at for a in apps)
                quiet = (NOW - last).days
                assert f"last movement {quiet} day" in line


@settings(max_examples=examples(40), deadline=None, database=None)
@given(
    st.integers(0, 50),
    st.lists(st.sampled_from(DEPARTMENTS[:4]), min_size=1, max_size=3),
    st.sampled_from((str.lower, str.upper, str.title, lambda s: f"the {s} team")),
)
def test_the_department_filter_keeps_exactly_the_jobs_of_the_departments_named(
    seed: int, wanted: list[str], spell: Any
) -> None:
    data = generated(seed, jobs=10, people=20)
    said = [spell(w) for w in wanted]
    keys = {w.lower() for w in wanted}
    expected = sorted(
        (j for j in data.jobs if j.status == "open" and j.department.lower() in keys),
        key=lambda j: (j.created_at, j.id),
    )
    out = run("open-roles-report", data, older_than_days=0, departments=said, group_by="department")
    assert out.summary["job_ids"] == [j.id for j in expected]
    assert {department_key(s) for s in said} == {department_key(w) for w in wanted}
    metrics = run("hiring-metrics", data, period="quarter", departments=said)
    assert set(metrics.summary["by_group"]) <= {w.strip() for w in wanted}


def test_a_department_the_data_lacks_is_named_with_the_ones_there_are() -> None:
    data = generated(1)
    out = run("open-roles-report", data, older_than_days=0, departments=["Engneering"])
    known = sorted({j.department for j in data.jobs if j.department})
    line = f"No jobs in a 'Engneering' department; the departments are: {', '.join(known)}."
    assert line in out.text and out.summary["open_roles"] == 0
    assert unknown_line(["X", "Y"], ["Sales"]) == (
        "No jobs in the 'X' or 'Y' departments; the departments are: Sales."
    )


def test_the_skill_lists_offer_both_reports() -> None:
    # the CLI, REST and MCP skill lists all read the registry
    listed = {spec.name for spec in default_registry().list() if not spec.hidden}
    assert {"open-roles-report", "hiring-metrics"} <= listed
