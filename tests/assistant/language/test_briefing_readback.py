"""An interview briefing on a schedule reads back the window its runs list: "today's
interviews" from a run at any time of day is "from each run until midnight", and the lead the
skill keeps, with the margin the skill adds, reaches that midnight exactly; "the next N hours"
reads back as N hours, whatever the run's time. The run times and spans are generated, the
midnight is the calendar's."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from assistant.language.action_words import action_words
from assistant.language.understand import understand
from skills.builtin import default_registry
from skills.windows import STATED_MARGIN

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TZ = "Europe/London"
SPECS = default_registry().specs()
_DAYS = ("each weekday", "every day", "every Monday", "on Tuesdays and Thursdays")


def _run_times(seed: int, count: int) -> list[tuple[int, int]]:
    pick = random.Random(seed)
    return [(pick.randrange(5, 23), pick.choice((0, 5, 15, 25, 30, 45, 55))) for _ in range(count)]


def test_todays_interviews_are_listed_until_midnight_and_said_so() -> None:
    for n, (hour, minute) in enumerate(_run_times(13, 24)):
        said = f"{_DAYS[n % len(_DAYS)]} at {hour:02d}:{minute:02d} post today's interviews in #interviews"
        draft = understand(said, tz=TZ, now=NOW, specs=SPECS)
        assert draft.ok and draft.skill == "interview-briefing", (said, draft.summary)
        run = draft.next_runs[0].astimezone(ZoneInfo(TZ))
        assert (run.hour, run.minute) == (hour, minute)
        midnight = datetime.combine(run.date() + timedelta(days=1), datetime.min.time(), run.tzinfo)
        listed_until = run + timedelta(minutes=draft.params["lead_minutes"]) + STATED_MARGIN
        assert listed_until == midnight, said
        assert "briefings on your interviews from each run until midnight" in draft.summary
        assert "starting within" not in draft.summary


def test_the_next_hours_read_back_as_said() -> None:
    pick = random.Random(7)
    for n, (hour, minute) in enumerate(_run_times(29, 16)):
        span = pick.randrange(1, 10)
        said = (
            f"{_DAYS[n % len(_DAYS)]} at {hour:02d}:{minute:02d} send me the interviews "
            f"{('in', 'of', 'for', 'within')[n % 4]} the next {span} hours"
        )
        draft = understand(said, tz=TZ, now=NOW, specs=SPECS)
        assert draft.ok and draft.skill == "interview-briefing", (said, draft.summary)
        lead = draft.params["lead_minutes"]
        assert timedelta(minutes=lead) + STATED_MARGIN == timedelta(hours=span), said
        hours = f"{span} hour{'s' if span > 1 else ''}"
        assert f"interviews starting within {hours} of each run" in draft.summary, draft.summary
        # an automation's description, with no schedule at hand, says the same span
        described = action_words(
            "interview-briefing", {"lead_minutes": lead}, specs=SPECS, scheduled=True
        )
        assert described.endswith(f"on the interviews starting within {hours} of each run")
