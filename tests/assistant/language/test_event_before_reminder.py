"""An event said before "remind me" ("2 days after the interview, remind me to collect
feedback") is the trigger, read as when it is said after the reminder's text: the same skill,
event and wait, never a question about the wait's words as a schedule."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from assistant.language.understand import understand

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
# (the event with its wait, the event type, the wait in minutes or None)
EVENTS = [
    ("2 days after the interview", "interview.scheduled", 2 * 1440),
    ("2 days after each interview", "interview.scheduled", 2 * 1440),
    ("3 hours after each interview", "interview.scheduled", 180),
    ("a day after someone applies", "application.created", 1440),
    ("when a candidate applies", "application.created", None),
    ("after each interview", "interview.completed", None),
]
TEXTS = ["collect feedback", "screen them", "chase the panel"]


def _cases() -> list[tuple[str, str, str, int | None]]:
    cases = []
    for index, ((event, kind, wait), said) in enumerate(itertools.product(EVENTS, TEXTS)):
        comma = "," if index % 2 else ""
        cases.append(
            (f"{event}{comma} remind me to {said}", f"remind me to {said} {event}", kind, wait)
        )
    return cases


@pytest.mark.parametrize(("before", "after", "kind", "wait"), _cases())
def test_an_event_said_first_is_the_trigger(
    before: str, after: str, kind: str, wait: int | None
) -> None:
    first = understand(before, tz="UTC", now=NOW)
    last = understand(after, tz="UTC", now=NOW)
    assert first.ok, (before, first.question)
    assert first.trigger_type == "event" and first.event_type == kind, before
    assert first.event_filter.get("offset_minutes") == wait, before
    assert (first.skill, first.params, first.event_filter) == (
        last.skill,
        last.params,
        last.event_filter,
    ), (before, after)


def test_a_schedule_said_first_is_still_a_reminder() -> None:
    draft = understand("every friday at 4pm remind me to submit scorecards", tz="UTC", now=NOW)
    assert (
        draft.ok and draft.skill == "reminder" and draft.params == {"message": "submit scorecards"}
    )
