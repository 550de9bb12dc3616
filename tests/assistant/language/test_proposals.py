"""Schedules proposed from outside the parser (Claude's cron or RRULE) are checked by the same
compiler and read back the same way: what reads back to the same fire times is shown, anything
else becomes a question."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assistant.language.proposals import proposal_question
from worker.schedule.parse import parse_schedule

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "proposal",
    [
        {"cron": "0 9 * * 1"},
        {"cron": "*/15 9-17 * * 1-5"},
        {"rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=10;BYMINUTE=0"},
        {"rrule": "FREQ=MONTHLY;BYDAY=2TH,4TH;BYHOUR=9;BYMINUTE=30"},
        {"rrule": "FREQ=MONTHLY;INTERVAL=4;BYMONTHDAY=10;BYHOUR=8;BYMINUTE=0"},
        {"rrule": "FREQ=YEARLY;BYMONTH=10;BYDAY=3TU;BYHOUR=9;BYMINUTE=0"},
        {"rrule": "FREQ=DAILY;BYMONTH=1,2,3,4,5,6,7,9,10,11,12;BYHOUR=9;BYMINUTE=0;COUNT=20"},
    ],
)
def test_a_proposal_that_reads_back_to_itself_is_accepted(proposal: dict[str, Any]) -> None:
    assert proposal_question(parse_schedule(tz="Europe/London", **proposal), NOW) is None


@pytest.mark.parametrize(
    "proposal",
    [
        {"cron": "*/7 * * * *"},  # resets each hour: not "every 7 minutes"
        {"cron": "0 9 10 * 1-5"},  # the 10th OR weekdays (cron's day-of-month/day-of-week OR)
        {"rrule": "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;BYHOUR=9;BYMINUTE=0"},
        {"rrule": "FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30"},
        {"rrule": "FREQ=MONTHLY;BYDAY=1MO,3FR;BYHOUR=9;BYMINUTE=0"},
    ],
)
def test_a_proposal_the_compiler_cannot_represent_becomes_a_question(
    proposal: dict[str, Any],
) -> None:
    question = proposal_question(parse_schedule(tz="Europe/London", **proposal), NOW)
    assert question is not None and question.endswith("?")
