"""Time words that place the data ("today's interviews", "who applied yesterday", "in the last 24
hours") say what a repeating report covers: they never change its schedule, never make it a
one-off or an event, and set the skill's window where it has one. Generated requests come from
the phrase grammar of bench/kit/language/phrases.py, whose fire times follow from each phrase's
structure, not from the parser."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.drafts import edit_draft
from assistant.language import understand
from assistant.language.draft import Draft
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from bench.kit.language.corpus_score import judge
from bench.kit.language.data_phrases import data_corpus
from bench.kit.language.phrases import corpus
from bench.kit.language.truth import truth
from models.settings import load_settings
from models.store.orgs import get_user

SEED = 20261130
NOW = datetime(2026, 11, 30, 2, 56, tzinfo=UTC)  # a Monday, 02:56 in London


def _trigger(draft: Draft) -> tuple[Any, ...]:
    schedule = draft.schedule
    return (
        draft.trigger_type,
        draft.event_type,
        draft.poll_interval_minutes,
        schedule.kind if schedule else None,
        schedule.expression if schedule else None,
        schedule.anchor if schedule else None,
        tuple(draft.next_runs),
    )


def test_data_words_leave_every_generated_schedule_as_it_was() -> None:
    checked = 0
    for phrase, changed in data_corpus(SEED, 400):
        if judge(phrase)[0] != "right":
            continue
        base = understand(phrase.text, tz=phrase.tz, now=phrase.now)
        text = changed.text
        assert text != phrase.text
        draft = understand(text, tz=phrase.tz, now=phrase.now)
        detail = f"{text!r} in {phrase.tz} at {phrase.now:%Y-%m-%d %H:%M}Z: {draft.summary}"
        assert draft.ok, detail
        assert _trigger(draft) == _trigger(base), detail
        assert draft.skill == base.skill, detail
        assert draft.fires(phrase.now, 5) == truth(phrase.spec, phrase.tz, phrase.now, 5), detail
        assert any("not when it runs" in d for d in draft.defaults), detail
        checked += 1
    assert checked >= 390


# what to do, with its data window: the skill that serves it, the window parameter it sets
DATA_REQUESTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("send me the interviews I have today", "interview-briefing", {}),
    ("email me today's interviews", "interview-briefing", {}),
    ("send me my interviews scheduled for today", "interview-briefing", {}),
    ("send me the interviews in the next 4 hours", "interview-briefing", {"lead_minutes": 235}),
    ("send me the candidates who applied yesterday", "new-candidate-alert", {"since_hours": 24}),
    ("send me last week's new applicants", "new-candidate-alert", {"since_hours": 168}),
    ("email me new applicants from the last 3 days", "new-candidate-alert", {"since_hours": 72}),
    ("email me the applications received in the last 24 hours", "new-candidate-alert", {}),
    ("send me the sourcing recap for the past week", "sourcing-recap", {"days": 7}),
    ("send me the sourcing recap of the last 3 days", "sourcing-recap", {"days": 3}),
    ("send me yesterday's pipeline", "pipeline-report", {"period": "daily"}),
    ("send me this week's pipeline", "pipeline-report", {"period": "weekly"}),
    ("send me my interviews today", "interview-briefing", {}),
    ("send me the day's interviews", "interview-briefing", {}),
    ("email me my interviews for the day", "interview-briefing", {}),
    ("send me a pipeline report of this week", "pipeline-report", {"period": "weekly"}),
    ("send me a list of the new applicants received today", "new-candidate-alert", {}),
)


def test_generated_schedules_with_data_requests_pick_the_skill_and_its_window() -> None:
    rng = random.Random(SEED + 1)
    phrases = [
        p
        for p in corpus(SEED + 1, 300)
        if p.spec.kind not in ("minutes", "hours", "hour_at") and judge(p)[0] == "right"
    ]
    for phrase in phrases:
        what, skill, params = rng.choice(DATA_REQUESTS)
        text = phrase.text.replace(phrase.request, what, 1)
        draft = understand(text, tz=phrase.tz, now=phrase.now)
        detail = f"{text!r} in {phrase.tz} at {phrase.now:%Y-%m-%d %H:%M}Z: {draft.summary}"
        assert draft.ok and draft.trigger_type == "cron", detail
        assert draft.skill == skill, detail
        assert draft.fires(phrase.now, 5) == truth(phrase.spec, phrase.tz, phrase.now, 5), detail
        assert params.items() <= draft.params.items(), detail
        if skill == "interview-briefing" and "4 hours" not in what:
            # each run lists the interviews until the midnight after it (5 minutes' margin)
            first = draft.local(draft.next_runs[0])
            reach = first.hour * 60 + first.minute + draft.params["lead_minutes"] + 5
            assert reach == 24 * 60, detail


@pytest.mark.parametrize(
    "request_",
    [
        "send me today's interviews",
        "send me the interviews I have today",
        "send me my pipeline for the last 24 hours",
        "email me the candidates who applied yesterday",
        "email me yesterday's follow-ups",
    ],
)
def test_data_words_alone_ask_when_it_should_run(request_: str) -> None:
    draft = understand(request_, tz="Europe/London", now=NOW)
    assert draft.status == "question" and draft.event_type is None
    assert draft.question and draft.question.startswith("When should it run?")
    assert "says what each run covers" in draft.question
    answered = understand(f"{request_} every weekday at 8am", tz="Europe/London", now=NOW)
    assert answered.ok and answered.schedule is not None, answered.summary
    assert answered.schedule.expression == "0 8 * * 1-5"


@pytest.mark.parametrize(
    "request_",
    ["send me today's news", "tomorrow at 9 send me yesterday's applicants"],
)
def test_data_words_with_nothing_else_clear_still_ask(request_: str) -> None:
    draft = understand(request_, tz="Europe/London", now=NOW)
    assert draft.status == "question" and draft.question


def test_a_one_off_request_keeps_its_date() -> None:
    draft = understand("tomorrow at 10 send me yesterday's pipeline", tz="UTC", now=NOW)
    assert draft.ok and draft.schedule is not None
    assert draft.schedule.once_at == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert not any("each run covers" in d for d in draft.defaults)


def test_schedule_bounds_said_like_data_windows_stay_bounds() -> None:
    bounded = understand(
        "every day at 9am send me my pipeline for the next 2 weeks", tz="UTC", now=NOW
    )
    assert bounded.ok and bounded.schedule is not None and bounded.schedule.kind == "rrule"
    assert "until" in bounded.trigger_words().lower()
    for starting_tomorrow in (
        "every day at 9am send me my pipeline from tomorrow",
        "every day at 9am send me the new applicants from tomorrow",
        "from tomorrow, every day at 9am send me the sourcing recap",
    ):
        starting = understand(starting_tomorrow, tz="UTC", now=NOW)
        assert starting.ok and starting.next_runs[0] == datetime(2026, 12, 1, 9, tzinfo=UTC)
    for this_week in (
        "every day at 9am send me my pipeline for this week",
        "every day at 9am send me my interviews this week",
        "every day at 9am this week send me yesterday's applicants",
    ):
        draft = understand(this_week, tz="UTC", now=NOW)
        assert not draft.ok or (draft.schedule is not None and draft.schedule.kind == "rrule")
    in_month = understand(
        "every month in the last week of the month send me my pipeline", tz="UTC", now=NOW
    )
    assert not any("each run covers" in d for d in in_month.defaults)


def test_a_briefing_until_midnight_keeps_its_window_when_moved(engine: Engine) -> None:
    org = make_org(engine, NOW, timezone="Europe/London")
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    ts = Toolset(engine, load_settings(), clock=lambda: NOW)
    draft = ts.draft_automation(me, "every weekday at 8:30 send me the interviews I have today")
    assert draft.draft["params"] == {"lead_minutes": 925}
    moved_id, moved = edit_draft(ts, me, draft.id or 0, "make it 7am")
    summary = moved["summary"]
    # the window read back in words (07:00 until midnight), not as the raw setting
    assert "interviews from each run until midnight" in summary
    assert "lead_minutes" not in summary
    view = ts.confirm_draft(me, moved_id)
    assert (view.cron, view.params["lead_minutes"]) == ("0 7 * * 1-5", 1015)
    assert ts.update_in_words(me, view.id or 0, "move it to 9:15").params["lead_minutes"] == 880
    other = ts.confirm_draft(
        me, ts.draft_automation(me, "every day at 9 send me interviews in the next 4 hours").id or 0
    )
    assert ts.update_in_words(me, other.id or 0, "move it to 10am").params["lead_minutes"] == 235
