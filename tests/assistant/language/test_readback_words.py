"""What a read-back says in words while its JSON keeps the codes: every recipient the parser or a
skill can name ("hiring_manager", "interviewer", "me" ...) reads as a person ("the job's hiring
manager"), and an interview briefing on a schedule with no window said reads back the window
it covers: from each run until the next, the first one's ends named, at most a week ahead."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.language import recipient_words, understand, what_words
from assistant.language.draft import Draft
from bench.kit.language.corpus_score import judge
from bench.kit.language.phrases import corpus
from worker.run.recipients import ROLES, TEAM

NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
# every `to` code: those the parser writes, the roles a skill fills, the organisation's users
# as a group, and the owner's names
CODES = sorted(
    {to for _, to, _ in what_words._OUTPUTS if to}
    | {recipient_words.TEAM, TEAM, *ROLES, "me", "owner"}
)


def output_line(draft: Draft) -> str:
    draft.write_summary()
    return next(line for line in draft.summary.splitlines() if line.startswith("- Output: "))


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("channel", ["email", "slack", "in_app"])
def test_every_recipient_code_reads_as_a_person_and_the_json_keeps_the_code(
    code: str, channel: str
) -> None:
    draft = Draft(
        request="when an offer is accepted tell them",
        tz="UTC",
        status="ok",
        trigger_type="event",
        event_type="offer.accepted",
        skill="offer-accepted-alert",
        channel=channel,
        to=[code, "ana@example.com", "#hiring"],
    )
    line = output_line(draft)
    said = line.removeprefix("- Output: ")
    if channel != "in_app":
        words = said.split(" to ", 1)[1].split(" and ")[0]
        assert words != code and "_" not in words, line
        assert words == "you" or words.startswith(("the ", "your ")), line
        assert said.endswith(" and ana@example.com and the #hiring channel"), line
    assert draft.as_json()["output"] == {
        "channel": channel,
        "to": [code, "ana@example.com", "#hiring"],
    }


def test_a_request_naming_the_hiring_manager_reads_back_in_words() -> None:
    draft = understand(
        "every day at 9 email the hiring manager a briefing on my interviews",
        tz="Europe/London",
        now=NOW,
    )
    assert draft.ok and draft.to == ["hiring_manager"]
    assert "- Output: email to the job's hiring manager" in draft.summary
    assert draft.as_json()["output"]["to"] == ["hiring_manager"]


def _briefing_phrases() -> list[tuple[str, str, datetime]]:
    """Generated schedules (the bench corpus, read right) asking for a briefing instead."""
    found = []
    for phrase in corpus(20261130, 400):
        if judge(phrase)[0] == "right":
            text = phrase.text.replace(phrase.request, "brief me on my interviews", 1)
            found.append((text, phrase.tz, phrase.now))
    return found


def test_a_scheduled_briefing_with_no_window_reads_back_until_the_next_run() -> None:
    checked = 0
    for text, tz, now in _briefing_phrases():
        draft = understand(text, tz=tz, now=now)
        if not draft.ok or draft.trigger_type != "cron" or len(draft.next_runs) < 2:
            continue
        assert draft.skill == "interview-briefing", text
        assert "lead_minutes" not in draft.params and draft.as_json()["params"] == {}, text
        zone = ZoneInfo(tz)
        first = draft.local(draft.next_runs[0])
        week = (first + timedelta(days=7)).astimezone(UTC)  # a week on the clock
        end = min(draft.next_runs[1], week).astimezone(zone)
        assert (
            f"from each run until the next one (the first from {first:%a %d %b %H:%M} "
            f"to {end:%a %d %b %H:%M})" in draft.summary
        ), (text, draft.summary)
        fires = [draft.next_runs[0], *draft.fires(draft.next_runs[0], 12)]
        wider = any(
            b > (a.astimezone(zone) + timedelta(days=7)).astimezone(UTC)
            for a, b in itertools.pairwise(fires)
        )
        assert ("at most 7 days ahead" in draft.summary) == wider, (text, draft.summary)
        checked += 1
    assert checked >= 150


@pytest.mark.parametrize(
    ("request_", "lead"),
    [
        ("every weekday at 8:30 send me the interviews I have today", 925),
        ("every day at 9 send me interviews in the next 2 hours", 115),
    ],
)
def test_a_briefing_with_its_window_said_keeps_it(request_: str, lead: int) -> None:
    draft = understand(request_, tz="Europe/London", now=NOW)
    assert draft.ok and draft.params == {"lead_minutes": lead}
    assert "until the next one" not in draft.summary


def test_a_one_off_briefing_reads_back_the_day_after_it() -> None:
    draft = understand("tomorrow at 8 brief me on my interviews", tz="Europe/London", now=NOW)
    assert draft.ok and draft.schedule is not None and draft.schedule.once_at is not None
    assert "a briefing on your interviews of the 24 hours after it runs" in draft.summary
