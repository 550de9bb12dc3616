"""pipeline-report against the seeded demo data, checked against independent SQL counts."""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.errors import InvalidInput
from models.tables.demo_ats import AtsActivity, AtsApplication, AtsCandidate, AtsJob
from skills.ats.demo import DemoAts
from skills.ats.seed import DemoOrg, seed_demo
from skills.base import OwnerInfo, SkillContext, SkillOutput, TargetRef
from skills.builtin import default_registry

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # a Monday, 9:00 in New York
GOLDEN = Path(__file__).parent / "golden" / "pipeline_report_demo.txt"


@pytest.fixture
def demo(sqlite_engine: Engine) -> DemoOrg:
    return seed_demo(sqlite_engine, now=NOW, candidates=40)


def run_report(
    engine: Engine,
    demo: DemoOrg,
    *,
    owner_id: int | None = None,
    last_success_at: datetime | None = None,
    **params: Any,
) -> SkillOutput:
    owner_id = owner_id or demo.member_ids[0]
    ctx = SkillContext(
        org_id=demo.org_id,
        owner=OwnerInfo(
            owner_id, "dana.recruiter@demo.skilltick.local", "Dana Recruiter", "America/Los_Angeles"
        ),
        params=params,
        now=NOW,
        tz="America/New_York",
        triggered_by="test",
        last_success_at=last_success_at,
        trigger_data={},
        ats=DemoAts(engine, demo.org_id),
    )
    return default_registry().get("pipeline-report").run(ctx)


def owner_clause(owner_id: int | None) -> Any:
    return True if owner_id is None else col(AtsCandidate.owner_id) == owner_id


@pytest.mark.parametrize("scope", ["mine", "organization"])
def test_counts_by_stage_equal_an_independent_sql_count(
    sqlite_engine: Engine, demo: DemoOrg, scope: str
) -> None:
    owner = demo.member_ids[0] if scope == "mine" else None
    with Session(sqlite_engine) as session:
        expected = dict(
            session.execute(
                select(col(AtsApplication.stage), func.count())
                .join(AtsCandidate, col(AtsCandidate.id) == col(AtsApplication.candidate_id))
                .where(col(AtsApplication.status) == "active", owner_clause(owner))
                .group_by(col(AtsApplication.stage))
            )
            .tuples()
            .all()
        )
    output = run_report(sqlite_engine, demo, scope=scope)
    by_stage = output.summary["by_stage"]
    assert {stage: n for stage, n in by_stage.items() if n} == expected
    assert list(by_stage) == ["Applied", "Screen", "Interview", "Offer"]
    assert output.summary["active"] == sum(expected.values()) > 0
    assert output.summary["scope"] == scope
    assert f"— {sum(expected.values())} active candidates (week of Nov 23)" in output.subject


def expected_moves(engine: Engine, since: datetime, owner: int | None) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        return list(
            session.execute(
                select(
                    col(AtsCandidate.first_name),
                    col(AtsCandidate.last_name),
                    col(AtsJob.title),
                    col(AtsActivity.from_stage),
                    col(AtsActivity.to_stage),
                )
                .join(AtsCandidate, col(AtsCandidate.id) == col(AtsActivity.candidate_id))
                .join(AtsApplication, col(AtsApplication.id) == col(AtsActivity.application_id))
                .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
                .where(
                    col(AtsActivity.kind) == "stage_change",
                    col(AtsActivity.occurred_at) > since,
                    owner_clause(owner),
                )
            ).tuples()
        )


@pytest.mark.parametrize(
    ("period", "last_success_days_ago", "window_days"),
    [("weekly", None, 7), ("daily", None, 1), ("weekly", 3, 3)],
    ids=["weekly-fallback", "daily-fallback", "since-last-success"],
)
def test_movement_lists_the_stage_changes_since_the_last_report(
    sqlite_engine: Engine,
    demo: DemoOrg,
    period: str,
    last_success_days_ago: int | None,
    window_days: int,
) -> None:
    last_success = NOW - timedelta(days=last_success_days_ago) if last_success_days_ago else None
    since = NOW - timedelta(days=window_days)
    moves = expected_moves(sqlite_engine, since, None)
    output = run_report(
        sqlite_engine, demo, scope="organization", period=period, last_success_at=last_success
    )

    assert output.summary["moves"] == len(moves)
    for first, last, job, before, after in moves:
        assert f"  - {first} {last} ({job}): {before} → {after}, " in output.text
    for (before, after), n in Counter((m[3], m[4]) for m in moves).items():
        assert f"  {before} → {after}: {n}\n" in output.text
    if last_success:
        assert "MOVEMENT SINCE YOUR LAST REPORT (FRI NOV 20)" in output.text


def test_movement_window_leaves_out_older_changes(sqlite_engine: Engine, demo: DemoOrg) -> None:
    week = expected_moves(sqlite_engine, NOW - timedelta(days=7), None)
    older = set(expected_moves(sqlite_engine, NOW - timedelta(days=21), None)) - set(week)
    assert older, "the demo data should have stage changes older than a week"
    output = run_report(sqlite_engine, demo, scope="organization")
    listed = output.text.split("NOT CONTACTED")[0]
    for first, last, job, before, after in older:
        assert f"{first} {last} ({job}): {before} → {after}" not in listed


@pytest.mark.parametrize("stale_days", [5, 10])
def test_stale_candidates_are_those_not_contacted_for_stale_days(
    sqlite_engine: Engine, demo: DemoOrg, stale_days: int
) -> None:
    owner = demo.member_ids[1]
    with Session(sqlite_engine) as session:
        rows = (
            session.execute(
                select(AtsCandidate, col(AtsApplication.stage), col(AtsJob.title))
                .join(AtsApplication, col(AtsApplication.candidate_id) == col(AtsCandidate.id))
                .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
                .where(col(AtsApplication.status) == "active", col(AtsCandidate.owner_id) == owner)
            )
            .tuples()
            .all()
        )
    expected = {
        (
            c.id,
            f"{c.first_name} {c.last_name}",
            title,
            stage,
            (NOW - (c.last_contacted_at or c.created_at)).days,
        )
        for c, stage, title in rows
        if NOW - (c.last_contacted_at or c.created_at) >= timedelta(days=stale_days)
    }
    assert expected, "the demo data should have stale candidates"

    output = run_report(sqlite_engine, demo, owner_id=owner, stale_days=stale_days)

    assert output.summary["stale"] == len(expected)
    assert {t.target_ref for t in output.targets} == {str(item[0]) for item in expected}
    assert all(t.target_type == "candidate" for t in output.targets)
    for _id, name, title, stage, days in expected:
        assert f"  - {name} ({title}, {stage}): {days} days\n" in output.text
        assert name in output.html


def test_the_summary_holds_no_candidate_names_or_contact_details(
    sqlite_engine: Engine, demo: DemoOrg
) -> None:
    output = run_report(sqlite_engine, demo, scope="organization")
    summary = json.dumps(output.summary)
    with Session(sqlite_engine) as session:
        candidates = session.scalars(select(AtsCandidate)).all()
    assert output.summary["stale"] > 0 and output.summary["moves"] > 0
    for c in candidates:
        for pii in (c.first_name, c.last_name, c.email, c.phone, c.location):
            assert pii not in summary
    assert set(output.summary) == {"active", "by_stage", "moves", "stale", "scope", "period"}


def test_an_empty_pipeline_still_gets_a_report_that_says_so(
    sqlite_engine: Engine, demo: DemoOrg
) -> None:
    output = run_report(sqlite_engine, demo, owner_id=demo.admin_id)  # owns no candidates
    assert output.skipped_reason is None
    assert output.summary["active"] == 0
    assert output.targets == []
    assert "0 active candidates" in output.subject
    assert "No active candidates right now." in output.text
    assert "No stage changes." in output.text
    assert "Everyone has been contacted in the last 5 days." in output.text
    assert "No active candidates right now." in output.html


def test_the_html_is_self_contained_and_escapes_names(sqlite_engine: Engine, demo: DemoOrg) -> None:
    with Session(sqlite_engine) as session:
        candidate = session.scalars(
            select(AtsCandidate).where(col(AtsCandidate.owner_id) == demo.member_ids[0])
        ).first()
        assert candidate is not None
        candidate.last_name = "O'Brien <script>"
        session.add(candidate)
        session.commit()
    output = run_report(sqlite_engine, demo, scope="organization", period="daily", stale_days=1)
    assert "<script>" not in output.html
    assert "O&#39;Brien &lt;script&gt;" in output.html
    assert "O'Brien <script>" in output.text
    assert "<table" in output.html and 'style="' in output.html
    for external in ("<link", "<img", "src=", "url(", "http://", "https://"):
        assert external not in output.html


def test_bad_params_are_refused(sqlite_engine: Engine, demo: DemoOrg) -> None:
    with pytest.raises(InvalidInput, match="Parameter 'stale_days'"):
        run_report(sqlite_engine, demo, stale_days="soon")


def test_the_demo_report_reads_as_checked_in(sqlite_engine: Engine) -> None:
    small = seed_demo(sqlite_engine, now=NOW, candidates=12)
    output = run_report(sqlite_engine, small)
    if os.environ.get("SKILLTICK_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(output.text, encoding="utf-8")
    assert output.text == GOLDEN.read_text(encoding="utf-8")
    assert output.subject == "Pipeline report — 5 active candidates (week of Nov 23)"
    assert output.targets == [TargetRef("candidate", "11"), TargetRef("candidate", "1")]
