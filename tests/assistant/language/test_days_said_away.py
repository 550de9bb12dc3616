"""Days said away from a set of days, generated: every day set said as a new request ("every day",
"daily", "each day", "every weekday", named days) by every way of taking days out ("except",
"but not on", "apart from", "but", ...) by single days, lists, ranges and the weekday and weekend
groups. The expected runs are the set difference walked day by day on the wall clock, not the
parser's own schedule; a change to an existing automation that names its own days reads the
same words the same way."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.language.edits import changes_in_words
from assistant.language.understand import understand
from models.errors import InvalidInput
from models.tables.automations import Automation
from worker.schedule.parse import next_fires, parse_schedule

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # a Monday
TZ = "Europe/London"
RUNS = 8
NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})

# how the request says the days it runs on
DAY_SETS: list[tuple[str, frozenset[int]]] = [
    ("every day", EVERY_DAY),
    ("daily", EVERY_DAY),
    ("each day", EVERY_DAY),
    ("every single day", EVERY_DAY),
    ("every weekday", WEEKDAYS),
    ("on weekdays", WEEKDAYS),
    ("every monday, wednesday and friday", frozenset({0, 2, 4})),
    ("mondays through saturdays", frozenset(range(6))),
]
# how it says the days taken out
AWAY = [
    "except {}",
    "except on {}",
    "but not {}",
    "but not on {}",
    "apart from {}",
    "other than {}",
    "excluding {}",
    "but {}",
    "without {}",
    "skipping {}",
]


def _said(days: frozenset[int], n: int) -> str:
    """Days in words: a group, a range or a list, spelled a few ways."""
    if days == WEEKEND:
        return ("weekends", "the weekend", "saturday and sunday", "weekend")[n % 4]
    if days == WEEKDAYS:
        return ("weekdays", "monday through friday", "monday to friday")[n % 3]
    ordered = sorted(days)
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)) and n % 2:
        return f"{NAMES[ordered[0]]} through {NAMES[ordered[-1]]}"
    words = [NAMES[d] + ("s" if n % 3 else "") for d in ordered]
    if n % 5 == 4:
        words = [w[:3] for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


TAKEN = [
    frozenset({4}),
    frozenset({6}),
    frozenset({0}),
    WEEKEND,
    WEEKDAYS,
    frozenset({0, 4}),
    frozenset({1, 2, 3}),
    frozenset({5}),
    EVERY_DAY,
]


def _expected_runs(days: frozenset[int], hour: int) -> list[datetime]:
    """The next runs at `hour` on `days`, walked day by day on the wall clock of TZ."""
    zone = ZoneInfo(TZ)
    runs: list[datetime] = []
    day: date = NOW.astimezone(zone).date()
    while len(runs) < RUNS:
        at = datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
        if day.weekday() in days and at > NOW:
            runs.append(at)
        day += timedelta(days=1)
    return runs


def _cases() -> list[tuple[str, frozenset[int], frozenset[int], str]]:
    away = itertools.cycle(AWAY)
    cases = []
    for n, ((said_set, days), taken) in enumerate(itertools.product(DAY_SETS, TAKEN)):
        for _ in range(3):  # three phrasings each, taking turns over all of them
            cases.append((said_set, days, taken, next(away).format(_said(taken, n))))
            n += 1
    return cases


def test_a_new_request_runs_on_the_days_left() -> None:
    seen = {"ran": 0, "none_left": 0}
    for said_set, days, taken, away in _cases():
        request = f"{said_set} {away} send me a summary of my pipeline at 8am"
        draft = understand(request, tz=TZ, now=NOW)
        left = days - taken
        if not left:
            assert draft.status == "question", request
            assert draft.question and "no day" in draft.question, (request, draft.question)
            seen["none_left"] += 1
            continue
        assert draft.ok and draft.schedule is not None, (request, draft.question)
        assert next_fires(draft.schedule, NOW, RUNS) == _expected_runs(left, 8), request
        seen["ran"] += 1
    assert seen["ran"] > 150 and seen["none_left"] >= 20, seen


def test_the_recruiters_requests_read_as_said() -> None:
    for request, left in (
        ("every day but not on weekends send me a summary of new applicants at 8", WEEKDAYS),
        ("every day except weekends send me a summary of my pipeline at 8am", WEEKDAYS),
        ("daily except fridays send me a summary of my pipeline at 8am", EVERY_DAY - {4}),
        ("every day apart from Sunday send me a summary of my pipeline at 8am", EVERY_DAY - {6}),
        ("each day but Saturday send me a summary of my pipeline at 8am", EVERY_DAY - {5}),
        ("every weekday at 8 but not on fridays, send me my pipeline", WEEKDAYS - {4}),
    ):
        draft = understand(request, tz=TZ, now=NOW)
        assert draft.ok and draft.schedule is not None, (request, draft.question)
        assert next_fires(draft.schedule, NOW, RUNS) == _expected_runs(left, 8), request


def test_days_put_in_with_but_are_not_taken_out() -> None:
    draft = understand("every monday at 9am but fridays too, send me my pipeline", tz=TZ, now=NOW)
    assert draft.ok and draft.schedule is not None, draft.question
    assert next_fires(draft.schedule, NOW, 4) == _expected_runs(frozenset({0, 4}), 9)[:4]


def _automation() -> Automation:
    return Automation(
        org_id=1,
        owner_id=1,
        name="Pipeline",
        skill="pipeline-report",
        params={},
        trigger_type="cron",
        cron_expression="0 8 * * 1",
        timezone=TZ,
        output_channel="email",
        output_config={"to": ["me"]},
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_change_naming_its_days_reads_the_exception_as_a_new_request_does() -> None:
    auto = _automation()
    for said_set, days, taken, away in _cases()[::2]:
        change = f"make it {said_set} {away}"
        left = days - taken
        if not left:
            with pytest.raises(InvalidInput, match="no day"):
                changes_in_words(auto, change, NOW)
            continue
        changes = changes_in_words(auto, change, NOW)
        schedule = parse_schedule(cron=changes.get("cron"), rrule=changes.get("rrule"), tz=TZ)
        assert next_fires(schedule, NOW, RUNS) == _expected_runs(left, 8), change
