"""open-roles-report and hiring-metrics over generated ATS data: the figures they report
(jobs kept, days open, hires, median and 90th-percentile time to hire, offer acceptance, time
in stage) match ones computed here independently from the generated records, and the
department filter keeps exactly the jobs of the departments named, in any case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from skills.builtin import default_registry
from skills.departments import department_key, unknown_line
from tests.examples import examples
from tests.fakes.ats_data import AtsData, Job
from tests.fakes.ats_generated import DEPARTMENTS, NOW, generated, run


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
        decided = sum(o.status in ("accepted", "declined") for o in offers)
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
                said = "today" if quiet == 0 else f"{quiet} day"
                assert f"last movement {said}" in line


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
