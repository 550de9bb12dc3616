"""Reminders in plain words: a generator writes reminder requests (repeating and one-off
schedules, every ordering of the reminder's words, texts plain and quoted) with what each must
be read as, its fire times computed from its structure alone; the headline requests, the
questions a reminder asks, and the readings other requests keep."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from assistant.language import understand
from bench.kit.language.reminder_phrases import (
    ORDERINGS,
    QUOTED_TEXTS,
    judge_reminder,
    reminder_corpus,
)

SEED = int(os.environ.get("SKILLTICK_PHRASE_SEED", "5"))
SIZE = 800
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday


def test_generated_reminders_are_read_right_and_never_wrong() -> None:
    counts: Counter[str] = Counter()
    details: list[str] = []
    for request in reminder_corpus(SEED, SIZE):
        verdict, detail = judge_reminder(request)
        counts[verdict] += 1
        if verdict != "right":
            details.append(f"{verdict}: {detail}")
    report = f"seed {SEED}: {dict(counts)}\n" + "\n".join(details[:20])
    assert counts["wrong"] == 0, report
    assert counts["right"] >= 0.99 * SIZE, report


def test_the_generator_covers_orderings_one_offs_and_quoted_texts() -> None:
    requests = reminder_corpus(SEED, 300)
    assert any(r.once for r in requests) and any(not r.once for r in requests)
    assert {r.message for r in requests} & set(QUOTED_TEXTS)
    assert any('"' in r.text or "“" in r.text for r in requests)
    heads = {words.split("{")[0] or words.split("}")[1].split("{")[0] for words, _, _ in ORDERINGS}
    assert all(any(head.lower() in r.text.lower() for r in requests) for head in heads)


@pytest.mark.parametrize(
    ("request_words", "message", "to", "channel", "first"),
    [
        (
            "remind me every weekday at 4pm to update my candidates",
            "update my candidates",
            ["me"],
            "email",
            "2026-11-30T16:00",
        ),
        (
            "remind me on friday at 3pm to send the offer letters",
            "send the offer letters",
            ["me"],
            "email",
            "2026-12-04T15:00",
        ),
        (
            "remind me to chase Priya every Monday at 9am",
            "chase Priya",
            ["me"],
            "email",
            "2026-11-30T09:00",
        ),
        (
            "every Monday at 9am remind me to chase Priya",
            "chase Priya",
            ["me"],
            "email",
            "2026-11-30T09:00",
        ),
        (
            "set a reminder for Friday at 3pm to call Priya",
            "call Priya",
            ["me"],
            "email",
            "2026-12-04T15:00",
        ),
        (
            "ping me every weekday at 9am to check my inbox",
            "check my inbox",
            ["me"],
            "slack",
            "2026-11-30T09:00",
        ),
        (
            "remind the team every Friday at 4pm to submit scorecards",
            "submit scorecards",
            ["team"],
            "email",
            "2026-12-04T16:00",
        ),
        (
            "remind everyone every Friday at 4pm to submit scorecards",
            "submit scorecards",
            ["team"],
            "email",
            "2026-12-04T16:00",
        ),
        (
            "remind me tomorrow at 3pm to call Priya",
            "call Priya",
            ["me"],
            "email",
            "2026-12-01T15:00",
        ),
        ("remind me in 2 hours to call Priya", "call Priya", ["me"], "email", "2026-11-30T10:00"),
        (
            "remind me to call Priya in 30 minutes",
            "call Priya",
            ["me"],
            "email",
            "2026-11-30T08:30",
        ),
        (
            'remind me to "book the 9am room" every Friday at 3pm',
            "book the 9am room",
            ["me"],
            "email",
            "2026-12-04T15:00",
        ),
        (
            "remind me to call Priya on Friday at 3pm about the offer",
            "call Priya about the offer",
            ["me"],
            "email",
            "2026-12-04T15:00",
        ),
        (
            "remind me to chase Priya every Monday at 9am on Slack",
            "chase Priya",
            ["me"],
            "slack",
            "2026-11-30T09:00",
        ),
        # the request's own punctuation is not the text's; the text's own is kept
        (
            "hey, can you remind me every monday at 9am to do the standup?",
            "do the standup",
            ["me"],
            "email",
            "2026-11-30T09:00",
        ),
        (
            "please remind me about the team lunch on Friday at noon!",
            "the team lunch",
            ["me"],
            "email",
            "2026-12-04T12:00",
        ),
        (
            "remind me every friday at 9am to ask Sam: did the offer go out?",
            "ask Sam: did the offer go out?",
            ["me"],
            "email",
            "2026-12-04T09:00",
        ),
        # the text is never read as an output: it says what to do, not where the reminder goes
        (
            "remind me to email the candidates every Monday at 9am",
            "email the candidates",
            ["me"],
            "email",
            "2026-11-30T09:00",
        ),
    ],
)
def test_reminders_read_their_text_recipients_and_schedule(
    request_words: str, message: str, to: list[str], channel: str, first: str
) -> None:
    draft = understand(request_words, tz="UTC", now=NOW)
    assert draft.ok, draft.question
    assert (draft.skill, draft.params, draft.to, draft.channel) == (
        "reminder",
        {"message": message},
        to,
        channel,
    )
    assert draft.next_runs[0] == datetime.fromisoformat(first).replace(tzinfo=UTC)
    assert f"- Action: a reminder: “{message}” (reminder)" in draft.summary


def test_a_one_off_reminder_runs_once() -> None:
    draft = understand("remind me tomorrow at 3pm to call Priya", tz="Europe/London", now=NOW)
    assert draft.schedule is not None and draft.schedule.once_at == NOW.replace(
        hour=15
    ) + timedelta(days=1)
    assert draft.next_runs == [draft.schedule.once_at]
    assert draft.as_json()["schedule"]["once"] == "2026-12-01T15:00:00+00:00"


@pytest.mark.parametrize(
    ("request_words", "once"),
    [
        ("remind me at 3pm to call Priya, just once", "2026-11-30T15:00"),
        ("remind me at 7am just once to call Priya", "2026-12-01T07:00"),  # 07:00 has passed
        ("at 3pm, only once, send me my pipeline", "2026-11-30T15:00"),
    ],
)
def test_just_once_is_the_next_time_it_is_that_time(request_words: str, once: str) -> None:
    """What "How often should it run at 15:00: ..., or just once?" offers is understood; a
    reminder at a time alone is that once already, and says so."""
    alone = understand(request_words.split(",")[0].replace(" just once", ""), tz="UTC", now=NOW)
    if request_words.startswith("remind"):
        assert alone.ok and alone.schedule is not None, alone.question
        assert alone.schedule.once_at == datetime.fromisoformat(once).replace(tzinfo=UTC)
        assert any(d.startswith("it goes once") for d in alone.defaults)
    else:
        assert alone.question is not None and "just once" in alone.question
    draft = understand(request_words, tz="UTC", now=NOW)
    assert draft.ok and draft.schedule is not None, draft.question
    assert draft.schedule.once_at == datetime.fromisoformat(once).replace(tzinfo=UTC)


def test_without_a_place_it_goes_to_the_requester_by_the_default_channel() -> None:
    draft = understand("set a reminder to call Priya tomorrow at 10am", tz="UTC", now=NOW)
    assert (draft.channel, draft.to) == ("email", ["me"])
    assert any("as you did not say where" in d for d in draft.defaults)
    from_slack = understand(
        "set a reminder to call Priya tomorrow at 10am", tz="UTC", now=NOW, default_channel="slack"
    )
    assert (from_slack.channel, from_slack.to) == ("slack", ["me"])


@pytest.mark.parametrize(
    ("request_words", "asked"),
    [
        ("remind me to call Priya", "When should I remind you"),
        ("remind me every friday at 3pm", "What should I remind you of?"),
        ("remind me", "What should I remind you of?"),
        ("remind me to book the 9am room every Friday at 3pm", "“the 9am room”"),
        ("remind me to review the weekly numbers", "“the weekly numbers”"),
        ("remind me every Monday at 9am to review the friday's numbers", "“the friday's numbers”"),
        ('remind me to "  " every Friday at 3pm', "What should I remind you of?"),
        ("remind me tomorrow at 7pm and 9 to call Priya", "9am or 9pm"),
        ("remind me today at 7am to call Priya", "already passed"),
    ],
)
def test_a_reminder_asks_what_it_cannot_tell(request_words: str, asked: str) -> None:
    draft = understand(request_words, tz="UTC", now=NOW)
    assert not draft.ok and draft.question is not None
    assert asked in draft.question, draft.question
    assert draft.as_json()["skill"] == "" and draft.schedule is None


# a schedule, and words inside a reminder's text that say the same of it
REPEATED = {
    "every Friday at 3pm": ["weekly", "Friday", "friday's", "Friday\u2019s"],
    "every Monday at 9am": ["weekly", "Monday", "Monday's"],
    "every Tuesday at 10:30am": ["weekly", "Tuesday"],
}


@pytest.mark.parametrize("schedule", sorted(REPEATED))
def test_words_in_the_text_that_repeat_the_schedule_stay_text(schedule: str) -> None:
    """ "every Friday at 3pm remind me to review the weekly numbers": the schedule is whole
    without "weekly", so it is part of the text, not a question; the schedule is the one the
    schedule's words give alone."""
    alone = understand(f"remind me {schedule} to review the numbers", tz="UTC", now=NOW)
    assert alone.ok, alone.question
    for word in REPEATED[schedule]:
        for said in (
            f"remind me {schedule} to review the {word} numbers",
            f"{schedule} remind me to review the {word} numbers",
        ):
            draft = understand(said, tz="UTC", now=NOW)
            assert draft.ok, (said, draft.question)
            assert draft.params["message"] == f"review the {word} numbers", said
            assert draft.schedule == alone.schedule, said


def test_a_text_longer_than_500_characters_is_refused_in_one_line() -> None:
    long_text = " ".join(["Priya"] * 334)  # 2,003 characters
    draft = understand(f"remind me every Friday at 3pm to {long_text}", tz="UTC", now=NOW)
    assert not draft.ok and draft.question is not None
    assert "at most 500 characters" in draft.question and "\n" not in draft.question
    assert "2,003" in draft.question


@pytest.mark.parametrize(
    ("request_words", "skill"),
    [
        ("send me a reminder of overdue follow-ups", "followups"),
        ("Remind me every Friday at 4 pm to follow up with candidates", "followups"),
        ("every Friday at 4pm, send me my renewal reminders", "renewal-reminders"),
        ("remind me to check renewals every month", "renewal-reminders"),
        ("remind my team about stale candidates every weekday at 9", "stale-candidate-sla"),
        (
            "every morning remind me about candidates I haven't contacted in 5 days",
            "stale-candidate-sla",
        ),
        (
            "if a candidate has been in screening for more than 5 days, remind me",
            "stale-candidate-sla",
        ),
    ],
)
def test_requests_naming_a_skill_keep_their_reading(request_words: str, skill: str) -> None:
    draft = understand(request_words, tz="UTC", now=NOW)
    assert draft.ok and draft.skill == skill, draft.summary
