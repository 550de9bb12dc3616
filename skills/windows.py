"""The time a run on a schedule covers when it covers what lies ahead until the next run (an
interview briefing): the skill and the read-back of a request compute it alike. Light on
imports: the command line's parser reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

#: how far ahead such a run looks, on the clock: a weekly run covers its week
LOOKAHEAD_DAYS = 7
#: the reach of a run no scheduled run follows (a one-off, a preview)
LAST_RUN_REACH = timedelta(hours=24)
#: a briefing's window said in minutes (`lead_minutes`) also takes the interviews starting this
#: soon after it: a read-back says the window with it, the skill lists by it
STATED_MARGIN = timedelta(minutes=5)


def lookahead_end(start: datetime, tz: str) -> datetime:
    """The furthest a run at `start` looks: LOOKAHEAD_DAYS later on the clock of `tz` (a week
    from Monday 09:00 is the next Monday 09:00, whatever summer time does in between)."""
    local = start.astimezone(ZoneInfo(tz))
    return (local + timedelta(days=LOOKAHEAD_DAYS)).astimezone(UTC)


def until_next_run(start: datetime, following: datetime | None, tz: str) -> datetime:
    """Where the window of a run at `start` ends: at the next run (`following`), at most
    LOOKAHEAD_DAYS ahead; LAST_RUN_REACH after it when no run follows."""
    furthest = lookahead_end(start, tz)
    return min(following or start + LAST_RUN_REACH, furthest)
