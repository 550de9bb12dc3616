"""Words that skip the organisation's holidays: said anywhere in a request, in any of their
spellings, they leave the schedule exactly as it is without them and mark the draft to skip
holidays; "every working day" is a weekday that is no holiday; a one-off is asked about; words
about a day that is not "holidays" are still asked about. As a change, the words turn the
option on or off for the automation they name."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime

import pytest

from assistant.language.holiday_words import holiday_switch
from assistant.language.understand import understand

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
SCHEDULES = ("every Monday at 9", "every weekday at 8am", "daily at 17:30", "on the 1st at 9am")
SAID = (
    "except holidays",
    "except on public holidays",
    "but not on bank holidays",
    "excluding our holidays",
    "skipping holidays",
    "and skip the company holidays",
    "not on holidays",
)


def test_the_words_anywhere_skip_holidays_and_leave_the_schedule_as_it_is() -> None:
    rng = random.Random(3)
    cases = rng.sample(list(itertools.product(SCHEDULES, SAID)), 10)
    for schedule, said in cases:
        plain = understand(
            f"{schedule} send me a summary of my pipeline", tz="Europe/Paris", now=NOW
        )
        where = rng.choice(("after", "before", "end"))
        request = {
            "after": f"{schedule} {said} send me a summary of my pipeline",
            "before": f"{said.capitalize()}, {schedule} send me a summary of my pipeline",
            "end": f"{schedule} send me a summary of my pipeline, {said}",
        }[where]
        draft = understand(request, tz="Europe/Paris", now=NOW)
        assert draft.ok and draft.skip_holidays, (request, draft.question)
        assert draft.schedule == plain.schedule and draft.params == plain.params, request
        assert "- Holidays: skips your organisation's holidays" in draft.summary
        assert draft.as_json()["skip_holidays"] is True
    assert "skip_holidays" not in plain.as_json()  # the JSON of other drafts is as it was


def test_working_days_are_weekdays_off_holidays_and_other_words_are_asked_about() -> None:
    working = understand("every working day at 9 send me my pipeline report", tz="UTC", now=NOW)
    assert working.ok and working.skip_holidays and working.schedule is not None
    assert working.schedule.expression == "0 9 * * 1-5"
    weekdays = understand("every weekday at 9 send me my pipeline report", tz="UTC", now=NOW)
    assert weekdays.ok and not weekdays.skip_holidays  # off unless asked for
    once = understand("tomorrow at 9 send me my pipeline report except holidays", tz="UTC", now=NOW)
    assert once.status == "question" and "Only a repeating schedule" in (once.question or "")
    christmas = understand(
        "every day except Christmas send me my pipeline report", tz="UTC", now=NOW
    )
    assert christmas.status == "question" and "except" in (christmas.question or "")


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("skip holidays for #3", ("#3", True)),
        ("skip bank holidays", ("it", True)),
        ("make the digest skip public holidays", ("the digest", True)),
        ("don't run #3 on holidays", ("#3", True)),
        ("#12 should skip holidays", ("#12", True)),
        ("run #3 on holidays too", ("#3", False)),
        ("run it on bank holidays as well please", ("it", False)),
        ("stop skipping holidays for my pipeline report", ("my pipeline report", False)),
        ("don't skip holidays", ("it", False)),
        ("skip next Monday", None),
        ("run #3 now", None),
        ("pause it while I'm on holiday", None),
    ],
)
def test_a_change_turns_holiday_skipping_on_or_off(said: str, expected: object) -> None:
    assert holiday_switch(said) == expected
