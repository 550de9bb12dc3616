"""A schedule word inside what is sent ("the daily numbers", "my weekly update", "the morning
digest") is part of the object when the schedule is whole without it: the automation runs on
the schedule said, read on its own, never on a blend of the two nor with a question about the
word. When the schedule needs the word ("send me the weekly pipeline summary at 9"), it is the
schedule still."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from assistant.language.schedule_words import understand_schedule
from assistant.language.understand import understand

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TZ = "Europe/London"
SCHEDULES = [
    "every day at 8am",
    "every monday at 9",
    "on weekdays at 7:30am",
    "every other friday at 4pm",
    "on the 1st of each month at 9am",
    "every evening at 6",
    "tomorrow at 10am",
]
# (the object with a schedule word, {} marking where it goes; the skill it names)
OBJECTS = [
    ("the {} pipeline numbers", "pipeline-report"),
    ("my {} pipeline summary", "pipeline-report"),
    ("our {} sourcing recap", "sourcing-recap"),
    ("the usual {} pipeline digest", "pipeline-report"),
]
WORDS = ["daily", "weekly", "monthly", "morning", "end-of-week"]


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for index, (when, (thing, skill)) in enumerate(itertools.product(SCHEDULES, OBJECTS)):
        word = WORDS[index % len(WORDS)]
        said = thing.format(word)
        verb = ("send me", "email me", "post")[index % 3]
        request = (
            f"{when} {verb} {said}"
            if index % 2
            else f"{verb} {said} {when}".replace("post", "send")
        )
        cases.append((request, when, skill, said))
    return cases


@pytest.mark.parametrize(("request_", "when", "skill", "said"), _cases())
def test_the_schedule_alone_says_when(request_: str, when: str, skill: str, said: str) -> None:
    expected = understand_schedule(when, tz=TZ, now=NOW).schedule
    assert expected is not None, when
    draft = understand(request_, tz=TZ, now=NOW)
    assert draft.ok, (request_, draft.question)
    assert draft.schedule == expected, (request_, draft.schedule, expected)
    assert draft.skill == skill


@pytest.mark.parametrize(
    ("request_", "when"),
    [
        ("send me the weekly pipeline summary at 9", "weekly at 9"),
        ("send me a daily pipeline summary at 8am", "daily at 8am"),
        ("send me my monthly pipeline summary", "monthly"),
        ("every friday send me the weekly pipeline summary at 4pm", "every friday at 4pm"),
    ],
)
def test_a_word_the_schedule_needs_stays_the_schedule(request_: str, when: str) -> None:
    expected = understand_schedule(when, tz=TZ, now=NOW).schedule
    draft = understand(request_, tz=TZ, now=NOW)
    assert draft.ok and draft.schedule == expected, (request_, draft.question, draft.schedule)


@pytest.mark.parametrize("thing", ["daily numbers", "daily wrap-up", "morning rundown"])
def test_numbers_alone_ask_which_report(thing: str) -> None:
    draft = understand(f"every day at 8am send me the {thing}", tz=TZ, now=NOW)
    assert draft.question is not None and "Which report" in draft.question, draft.question


# a reminder's text with a schedule word naming a thing in it
REMINDER_TEXTS = [
    "check the daily numbers",
    "send the monthly report",
    "review the morning digest",
    "send the weekly update to the team",
]


@pytest.mark.parametrize(("when", "said"), list(itertools.product(SCHEDULES[:6], REMINDER_TEXTS)))
def test_a_reminders_text_keeps_the_schedule_word(when: str, said: str) -> None:
    expected = understand_schedule(when, tz=TZ, now=NOW).schedule
    for request in (f"{when} remind me to {said}", f"remind me {when} to {said}"):
        draft = understand(request, tz=TZ, now=NOW)
        assert draft.ok, (request, draft.question)
        assert draft.params == {"message": said} and draft.schedule == expected, request
