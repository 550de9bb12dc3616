"""Checking a schedule proposed from outside the parser (Claude's cron or RRULE): it must say, in
the product's own read-back, something the parser reads back to the very same fire times.
Whatever the compiler cannot represent that way becomes a question, never a confirmation."""

from __future__ import annotations

from datetime import datetime

from assistant.language.schedule_words import understand_schedule
from worker.schedule.describe import describe
from worker.schedule.parse import Schedule, next_fires

SAMPLE = 12  # fire times compared: enough to cover every other week, month and year


def proposal_question(schedule: Schedule, now: datetime) -> str | None:
    """None when `schedule` reads back to itself; else the question to ask instead of it."""
    if schedule.kind == "once":
        return None
    words = describe(schedule)
    read = understand_schedule(words, tz=schedule.tz, now=now)
    if read.schedule is not None and next_fires(read.schedule, now, SAMPLE) == next_fires(
        schedule, now, SAMPLE
    ):
        return None
    return (
        f"I can't confirm the schedule “{words}”: I can't read it back the same way. "
        "Could you say when it should run in other words, e.g. “every other Tuesday at 10am”?"
    )
