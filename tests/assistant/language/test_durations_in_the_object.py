"""A duration a filter word governs ("candidates who haven't heard from us in a week", "roles
that have been open for more than 30 days", "interviews scheduled for the next 6 hours") says
what is listed, never when it runs: whatever the word order, the automation runs on the schedule
said (its cron known independently), and the duration is in the params or in a note that names
it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from assistant.language.understand import understand
from skills.builtin import default_registry
from worker.schedule.parse import next_fires, parse_schedule

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TZ = "Europe/London"
SPECS = default_registry().specs()
# a schedule in words and the cron it means
SCHEDULES = [
    ("every weekday at 8:30", "30 8 * * 1-5"),
    ("every Friday at 4pm", "0 16 * * 5"),
    ("every Monday at 9am", "0 9 * * 1"),
    ("each day at 7:15am", "15 7 * * *"),
    ("on Tuesdays and Thursdays at 10am", "0 10 * * 2,4"),
]
_WORDS = {1: "a", 2: "two", 3: "3", 4: "4", 6: "6", 10: "10", 14: "14", 30: "30", 45: "45"}


@dataclass(frozen=True)
class Thing:
    """What is listed, with a duration in it: `said` formats the amount; `check` asserts how
    the draft carries a given amount."""

    said: str
    check: Callable[[Any, int], None]
    amounts: tuple[int, ...]


def _business_days(days: int) -> int:
    """The business days `days` calendar days hold, counted on a calendar: the mean over the
    seven weekdays a span may start on, rounded (14 days hold 10; a week holds 5)."""
    held = [sum(1 for d in range(days) if (start + d) % 7 < 5) for start in range(7)]
    return max(1, round(sum(held) / 7))


def _stale(unit_days: int) -> Callable[[Any, int], None]:
    def check(draft: Any, amount: int) -> None:
        assert draft.skill == "stale-candidate-sla"
        assert draft.params.get("measure", "contact") == "contact"
        assert draft.params["business_days"] == _business_days(amount * unit_days)
        said = f"is {draft.params['business_days']} business days"
        assert said in draft.summary, draft.summary

    return check


def _named(draft: Any, amount: int) -> None:
    # a skill with the setting carries it; else the read-back says it is left out
    carried = amount in draft.params.values()
    assert carried or any(f"{amount} days" in note for note in draft.notes), draft.summary


def _briefing(draft: Any, amount: int) -> None:
    assert draft.skill == "interview-briefing"
    assert draft.params["lead_minutes"] == amount * 60 - 5


def _unit(amount: int, unit: str) -> str:
    return f"{_WORDS[amount]} {unit}{'' if amount == 1 else 's'}"


THINGS = [
    Thing("a list of candidates who haven't heard from us in {w}", _stale(7), (1, 2, 3)),
    Thing("candidates with no activity in the last {d}", _stale(1), (3, 10, 14)),
    Thing("candidates that have not been contacted for more than {d}", _stale(1), (4, 6)),
    Thing("the candidates nobody has reached out to in {w}", _stale(7), (1, 2)),
    Thing("a list of open roles that have been open for more than {d}", _named, (30, 45)),
    Thing("the interviews scheduled for the next {h}", _briefing, (2, 6, 10)),
]


def _said(thing: Thing, amount: int) -> str:
    return thing.said.format(
        w=_unit(amount, "week"), d=_unit(amount, "day"), h=_unit(amount, "hour")
    )


def _cases() -> list[tuple[str, str, Thing, int]]:
    cases = []
    pairs = itertools.product(SCHEDULES, THINGS)
    for index, ((when, cron), thing) in enumerate(pairs):
        amount = thing.amounts[index % len(thing.amounts)]
        verb = ("send me", "email me")[index % 2]
        said = _said(thing, amount)
        request = (
            f"{when} {verb} {said}",
            f"{verb} {said} {when}",
            f"{when}, {verb} {said}",
        )[index % 3]
        cases.append((request, cron, thing, amount))
    return cases


@pytest.mark.parametrize(("request_", "cron", "thing", "amount"), _cases())
def test_the_duration_is_what_is_listed(
    request_: str, cron: str, thing: Thing, amount: int
) -> None:
    draft = understand(request_, tz=TZ, now=NOW, specs=SPECS)
    assert draft.ok, (request_, draft.question)
    expected = next_fires(parse_schedule(cron=cron, tz=TZ), NOW, 6)
    assert draft.trigger_type == "cron"
    assert draft.schedule is not None and next_fires(draft.schedule, NOW, 6) == expected, request_
    thing.check(draft, amount)


def test_a_week_in_business_days_is_said() -> None:
    draft = understand(
        "every weekday at 8:30 send me a list of candidates who haven't heard from us in a week",
        tz=TZ,
        now=NOW,
        specs=SPECS,
    )
    assert draft.params["business_days"] == 5
    assert "“a week” is 5 business days" in draft.summary


@pytest.mark.parametrize(
    ("request_", "said"),
    [
        ("every day at 9am for 2 weeks send me the pipeline report", "for 2 weeks"),
        ("send me the pipeline report every day for the next 2 weeks", "next 2 weeks"),
    ],
)
def test_a_bound_of_the_runs_is_still_the_schedule(request_: str, said: str) -> None:
    draft = understand(request_, tz=TZ, now=NOW, specs=SPECS)
    assert draft.ok and draft.schedule is not None, draft.question
    # fourteen days of daily runs, then none
    assert len(next_fires(draft.schedule, NOW, 30)) == 14, said


UNLISTED = [
    ("roles with no applicants in the last 10 days", "in the last 10 days"),
    ("candidates older than 2 weeks", "older than 2 weeks"),
    # a verb in the clause describes them: not an event to run on
    ("candidates who applied more than 2 weeks ago", "more than 2 weeks ago"),
]


@pytest.mark.parametrize(("when", "thing"), itertools.product(SCHEDULES[:3], UNLISTED))
def test_a_length_no_report_filters_on_is_said_not_scheduled(
    when: tuple[str, str], thing: tuple[str, str]
) -> None:
    draft = understand(f"{when[0]} send me {thing[0]}", tz=TZ, now=NOW, specs=SPECS)
    question = draft.question or ""
    assert f"“{thing[1]}” says which ones, not when it runs" in question, question
    assert "schedule" not in question and "\n" not in question, question
