"""The departments filter of the pipeline report, the SLA list, the sourcing recap and a
scheduled report, over generated data: each keeps exactly the applications (or the candidates'
activity) of jobs in the departments named, in any case, counted here independently; a name no
job's department has is said in the report."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.examples import examples
from tests.fakes.ats_data import AtsData
from tests.fakes.ats_generated import DEPARTMENTS, NOW, generated, run

SPELLINGS = (str.lower, str.upper, str.title, lambda s: f"the {s} team")


def kept_jobs(data: AtsData, wanted: list[str]) -> set[int]:
    keys = {w.lower() for w in wanted}
    return {j.id for j in data.jobs if j.department.lower() in keys}


@settings(max_examples=examples(40), deadline=None, database=None)
@given(
    st.integers(0, 50),
    st.lists(st.sampled_from(DEPARTMENTS[:4]), min_size=1, max_size=2, unique=True),
    st.sampled_from(SPELLINGS),
)
def test_each_report_keeps_to_the_departments_jobs(
    seed: int, wanted: list[str], spell: Any
) -> None:
    data = generated(seed, jobs=8, people=40)
    said = [spell(w) for w in wanted]
    jobs = kept_jobs(data, wanted)
    apps = [a for a in data.applications if a.job_id in jobs]

    pipeline = run("pipeline-report", data, scope="organization", departments=said)
    active = Counter(a.stage for a in apps if a.status == "active")
    assert {s: n for s, n in pipeline.summary["by_stage"].items() if n} == dict(active)
    assert pipeline.summary["active"] == sum(active.values())
    week_ago = NOW - timedelta(days=7)
    moves = [
        m
        for m in data.activities
        if m.application_id in {a.id for a in apps} and week_ago < m.occurred_at <= NOW
    ]
    assert pipeline.summary["moves"] == len(moves)

    everyone = run("stale-candidate-sla", data, scope="organization", business_days=3)
    kept = run("stale-candidate-sla", data, scope="organization", business_days=3, departments=said)
    applicants = {a.candidate_id for a in apps}
    everyone_ids = {t.target_ref for t in everyone.targets}
    assert {t.target_ref for t in kept.targets} == {c for c in everyone_ids if int(c) in applicants}

    recap = run("sourcing-recap", data, scope="organization", days=30, departments=said)
    month_ago = NOW - timedelta(days=30)
    changes = [
        m
        for m in data.activities
        if m.candidate_id in applicants and month_ago < m.occurred_at <= NOW
    ]
    assert recap.summary["stage_changes"] == len(changes)

    scheduled = run(
        "scheduled-report", data, report="pipeline-report", scope="organization", departments=said
    )
    assert scheduled.summary["by_stage"] == pipeline.summary["by_stage"]


def test_a_department_no_job_has_is_said_in_the_report() -> None:
    data = generated(3)
    out = run("pipeline-report", data, scope="organization", departments=["Engneering"])
    assert "No jobs in a 'Engneering' department; the departments are:" in out.text
    assert out.summary["active"] == 0


def test_a_scheduled_report_sends_the_hiring_reports_with_their_departments() -> None:
    data = generated(5)
    for report in ("open-roles-report", "hiring-metrics"):
        alone = run(report, data, departments=["engineering"])
        sent = run(
            "scheduled-report",
            data,
            report=report,
            scope="organization",
            departments=["engineering"],
        )
        assert sent.summary == {"report": report, **alone.summary}
