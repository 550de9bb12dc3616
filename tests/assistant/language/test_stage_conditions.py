"""Conditions on time in a stage or without contact ("stuck in screening for over a week", "in
Interview for more than 5 days", "haven't heard from in two weeks") become stale-candidate-sla
with the stage and the wait a generator wrote; the skill then lists, on the demo ATS, exactly the
candidates an independent count finds."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.language.understand import understand
from models.tables.demo_ats import DEFAULT_STAGES, AtsApplication, AtsCandidate
from skills.ats.demo import DemoAts
from skills.ats.seed import seed_demo
from skills.base import OwnerInfo, SkillContext
from skills.builtin import default_registry

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # a Monday: weekends fall inside the waits
NY = ZoneInfo("America/New_York")
OPEN_STAGES = [s for s in DEFAULT_STAGES if s not in ("Hired", "Rejected")]
# how recruiters say each stage
SAID = {
    "Applied": ["applied", "the applied stage", "Applied"],
    "Screen": ["screening", "screen", "the screening stage", "phone screen", "Screen"],
    "Interview": ["interview", "interviewing", "the interview stage", "Interview"],
    "Offer": ["offer", "the offer stage", "Offer"],
}
# (words, calendar days, business days)
AMOUNTS = [
    # calendar days: the business days they hold, on average (10 days hold 7)
    *((f"{n} days", n, b) for n, b in ((2, 1), (3, 2), (5, 4), (10, 7))),
    ("five days", 5, 4),
    ("a week", 7, 5),
    ("one week", 7, 5),
    ("two weeks", 14, 10),
    ("2 weeks", 14, 10),
    *((f"{n} business days", n, n) for n in (3, 7)),
    ("4 working days", 4, 4),
]
STAGE_FRAMES = [
    "if a candidate has been in {s} for more than {a}, remind me",
    "every day at 9 tell me which candidates have been stuck in {s} for over {a}",
    "every weekday at 8am list candidates sitting in {s} for {a} or more",
    "ping me about anyone stuck in {s} longer than {a}",
    "each monday at 10am email me the candidates that are still in {s} for more than {a}",
]
CONTACT_FRAMES = [
    "every morning remind me about candidates I haven't contacted in {a}",
    "tell me about candidates I haven't heard from in {a}",
    "every monday at 9am, candidates with no activity for {a}, email me",
]


def stage_cases(count: int, seed: int) -> list[tuple[str, str, int]]:
    rng = random.Random(seed)
    cases = []
    for frame, stage, (words, _, business) in itertools.product(STAGE_FRAMES, OPEN_STAGES, AMOUNTS):
        said = rng.choice(SAID[stage])
        cases.append((frame.format(s=said, a=words), stage, business))
    return rng.sample(cases, min(count, len(cases)))


def test_time_in_a_stage_is_the_stage_and_the_wait_the_generator_wrote() -> None:
    for request, stage, business in stage_cases(400, seed=7):
        draft = understand(request, tz="America/New_York", now=NOW)
        assert draft.status == "ok", f"{request!r}: {draft.question}"
        assert draft.skill == "stale-candidate-sla", request
        assert draft.params == {"business_days": business, "stage": stage, "measure": "stage"}, (
            request
        )


def test_time_without_contact_keeps_counting_from_the_last_contact() -> None:
    for frame, (words, _, business) in itertools.product(CONTACT_FRAMES, AMOUNTS):
        request = frame.format(a=words)
        draft = understand(request, tz="America/New_York", now=NOW)
        assert draft.status == "ok", f"{request!r}: {draft.question}"
        assert draft.skill == "stale-candidate-sla", request
        assert draft.params == {"business_days": business}, request


def test_with_no_schedule_it_checks_each_weekday_morning_and_says_so() -> None:
    draft = understand(
        "if a candidate has been in screening for more than 5 days, remind me", tz="UTC", now=NOW
    )
    assert draft.schedule is not None and draft.schedule.expression == "0 9 * * 1-5"
    assert "a check every weekday at 09:00, as you named no schedule" in draft.summary


def test_a_vague_wait_in_a_stage_is_asked_about() -> None:
    draft = understand(
        "remind me about anyone stuck in screening for several days", tz="UTC", now=NOW
    )
    assert draft.status == "question"
    assert "Screen" in (draft.question or "")


def test_time_words_that_are_not_a_stage_are_not_read_as_one() -> None:
    for request in (
        "every day in the morning for 5 days send me my pipeline",
        "Post the pipeline in #hiring daily for 5 weeks",
        "send my pipeline in slack every monday for 3 weeks",
    ):
        draft = understand(request, tz="UTC", now=NOW)
        assert "stage" not in draft.params, request
        assert draft.skill != "stale-candidate-sla", request


def business_days(start: datetime, end: datetime) -> int:
    """Weekdays after start's date up to end's date (New York dates), counted one by one."""
    first, last = start.astimezone(NY).date(), end.astimezone(NY).date()
    days = [first + timedelta(days=i) for i in range(1, (last - first).days + 1)]
    return sum(1 for d in days if d.weekday() < 5)


def run_sla(engine: Engine, org_id: int, owner_id: int, params: dict) -> dict:
    ctx = SkillContext(
        org_id=org_id,
        owner=OwnerInfo(owner_id, "dana@demo.test", "Dana", "America/New_York"),
        params={"scope": "organization", "business_days": 5, **params},
        now=NOW,
        tz="America/New_York",
        triggered_by="test",
        last_success_at=None,
        trigger_data={},
        ats=DemoAts(engine, org_id),
    )
    output = default_registry().get("stale-candidate-sla").run(ctx)
    return {"summary": output.summary, "text": output.text, "targets": output.targets}


@pytest.mark.parametrize("stage", OPEN_STAGES)
def test_the_skill_lists_who_has_been_in_the_stage_that_long_on_the_demo_ats(
    engine: Engine, stage: str
) -> None:
    demo = seed_demo(engine, now=NOW, candidates=60)
    sizes = []
    for days in (1, 3, 10):
        words = SAID[stage][1 if stage in ("Screen", "Interview") else 0]
        request = f"every weekday at 9am tell me who has been in {words} for more than {days} days"
        params = understand(request, tz="America/New_York", now=NOW).params
        # calendar days said: the business days they hold on average, at least one
        business = max(1, round(days * 5 / 7))
        assert params["business_days"] == business, (request, params)
        out = run_sla(engine, demo.org_id, demo.member_ids[0], params)
        with Session(engine) as s:
            rows = s.exec(
                select(col(AtsApplication.candidate_id), col(AtsApplication.stage_changed_at))
                .join(AtsCandidate, col(AtsCandidate.id) == col(AtsApplication.candidate_id))
                .where(
                    col(AtsApplication.org_id) == demo.org_id,
                    col(AtsApplication.status) == "active",
                    col(AtsApplication.stage) == stage,
                )
            ).all()
        expected = {
            str(cid)
            for cid, entered in rows
            if business_days(entered.replace(tzinfo=entered.tzinfo or UTC), NOW) >= business
        }
        listed = {t.target_ref for t in out["targets"] if t.target_type == "candidate"}
        assert listed == expected, (stage, days)
        assert out["summary"]["measure"] == "stage" and out["summary"]["stage"] == stage
        assert out["summary"]["over_sla"] == len(
            [1 for cid, entered in rows if str(cid) in expected]
        )
        assert set(out["summary"]["by_stage"]) <= {stage}
        assert f"in {stage} for {business}+ business days" in out["text"]
        sizes.append(len(expected))
    assert sizes[0] > sizes[-1], sizes  # the wait chooses: some wait 1 day, fewer 10


def test_a_stage_the_organisation_does_not_have_is_said(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW, candidates=20)
    out = run_sla(
        engine, demo.org_id, demo.member_ids[0], {"stage": "Reference Check", "measure": "stage"}
    )
    assert out["summary"]["over_sla"] == 0
    assert "No stage is called “Reference Check”: the stages are Applied, Screen" in out["text"]
