"""Every built-in skill renders against the seeded demo ATS; the expected outputs are checked in
(tests/skills/golden/*.txt, read by a person when first written). SKILLTICK_UPDATE_GOLDEN=1
rewrites them after an intended change, for review in the diff."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.tables.demo_ats import AtsApplication, AtsInterview, AtsOffer
from skills.ats.demo import DemoAts
from skills.ats.seed import DemoOrg, seed_demo
from skills.base import OwnerInfo, SkillContext, SkillOutput
from skills.builtin import default_registry
from worker.run.skill_stores import StoredHolidays

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 9:00 in New York
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from models.engine import make_engine
    from models.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    upgrade(engine)
    seed_demo(engine, now=NOW, candidates=40)
    return engine


def demo_of(engine: Engine) -> DemoOrg:
    return seed_demo(engine, now=NOW, candidates=40)


def run_skill(
    engine: Engine, name: str, trigger: dict[str, Any] | None = None, **params: Any
) -> SkillOutput:
    demo = demo_of(engine)
    ctx = SkillContext(
        org_id=demo.org_id,
        owner=OwnerInfo(
            demo.member_ids[0],
            "dana.recruiter@demo.skilltick.local",
            "Dana Recruiter",
            "America/Los_Angeles",
        ),
        params=params,
        now=NOW,
        tz="America/New_York",
        triggered_by="test",
        last_success_at=None,
        trigger_data=trigger or {},
        ats=DemoAts(engine, demo.org_id),
        holidays=StoredHolidays(engine, demo.org_id),
        org_name="Demo Recruiting",
        org_timezone="America/New_York",
    )
    return default_registry().get(name).run(ctx)


def first_id(engine: Engine, query: Any) -> int:
    with Session(engine) as session:
        found = session.scalars(query).first()
    assert found is not None
    return int(found)


def triggers(engine: Engine) -> dict[str, dict[str, Any]]:
    interview_stage = first_id(
        engine,
        select(col(AtsApplication.candidate_id))
        .where(col(AtsApplication.stage) == "Interview")
        .order_by(col(AtsApplication.id)),
    )
    upcoming = first_id(
        engine,
        select(col(AtsInterview.id)).where(col(AtsInterview.starts_at) == NOW.replace(minute=30)),
    )
    done = first_id(
        engine,
        select(col(AtsInterview.id))
        .where(col(AtsInterview.status) == "completed")
        .order_by(col(AtsInterview.starts_at).desc()),
    )
    accepted = first_id(
        engine,
        select(col(AtsOffer.id))
        .where(col(AtsOffer.status) == "accepted")
        .order_by(col(AtsOffer.id)),
    )
    return {
        "interview-prep": {"candidate_id": interview_stage},
        "candidate-note": {"candidate_id": interview_stage},
        "offer-accepted-alert": {"offer_id": accepted},
        "interview-briefing": {"interview_id": upcoming},
        "post-interview-followup": {"interview_id": done},
    }


CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("sourcing_recap", "sourcing-recap", {"scope": "organization"}),
    ("new_candidate_alert", "new-candidate-alert", {"since_hours": 24 * 7}),
    (
        "new_candidate_alert_keywords",
        "new-candidate-alert",
        {"since_hours": 24 * 21, "keywords": ["python"], "location": "Remote"},
    ),
    ("stale_candidate_sla", "stale-candidate-sla", {"scope": "organization"}),
    ("followups", "followups", {"scope": "organization"}),
    ("renewal_reminders", "renewal-reminders", {}),
    ("scheduled_report", "scheduled-report", {"report": "stale-candidate-sla"}),
    ("interview_prep", "interview-prep", {}),
    ("offer_accepted_alert", "offer-accepted-alert", {}),
    ("interview_briefing", "interview-briefing", {}),
    ("post_interview_followup", "post-interview-followup", {}),
    ("candidate_note_rejection", "candidate-note", {"kind": "rejection"}),
    (
        "candidate_note_acknowledgement",
        "candidate-note",
        {"kind": "acknowledgement", "message": "Our process usually takes two to three weeks."},
    ),
    ("candidate_note_withdrawal", "candidate-note", {"kind": "withdrawal"}),
]


@pytest.mark.parametrize(("golden", "skill", "params"), CASES, ids=[c[0] for c in CASES])
def test_each_builtin_skill_renders_the_checked_in_output_over_the_demo_ats(
    demo_engine: Engine, golden: str, skill: str, params: dict[str, Any]
) -> None:
    output = run_skill(demo_engine, skill, triggers(demo_engine).get(skill), **params)
    assert output.skipped_reason is None
    rendered = f"Subject: {output.subject}\n\n{output.text}"
    path = GOLDEN / f"{golden}.txt"
    if os.environ.get("SKILLTICK_UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")
    assert "<" not in output.text.replace("<address>", "")  # text part is plain text
    assert output.html.startswith("<!DOCTYPE html>") or skill == "scheduled-report"


def test_summaries_never_name_candidates_or_hold_contact_details(demo_engine: Engine) -> None:
    trig = triggers(demo_engine)
    for _, skill, params in CASES:
        output = run_skill(demo_engine, skill, trig.get(skill), **params)
        flat = repr(output.summary)
        assert "@" not in flat and "555-01" not in flat
        for addressee in output.addressees.values():
            assert addressee.name not in flat
