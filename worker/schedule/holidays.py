"""Occurrences on the organisation's holidays: an automation that skips holidays skips every
occurrence whose date, in the automation's own time zone, is one of the organisation's holidays
(models.store.calendars). The calendar is read when an occurrence comes due, so a holiday added
or removed later counts from the next occurrence on."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta

from models.clock import utc
from worker.schedule.parse import Schedule, load_zone, next_fire

#: a holiday occurrence's run row: skipped, with this reason
HOLIDAY_REASON = "holiday"
#: how far ahead the read-back names the holidays an automation skips
HOLIDAYS_AHEAD = timedelta(days=90)


def on_holiday(instant: datetime, tz: str, days: Collection[date]) -> bool:
    """Whether `instant` falls on one of `days` in the zone `tz`."""
    return bool(days) and utc(instant).astimezone(load_zone(tz)).date() in days


def holiday_runs(
    schedule: Schedule, days: Iterable[date], start: datetime, end: datetime
) -> list[datetime]:
    """The occurrences after `start` and up to `end` that fall on one of `days` (in the
    schedule's zone), soonest first: a look at each holiday's date, not at every occurrence
    between (an every-minute schedule makes half a million in 90 days)."""
    zone = load_zone(schedule.tz)
    start, end = utc(start), utc(end)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    found: list[datetime] = []
    for day in sorted(d for d in set(days) if first <= d <= last):
        midnight = datetime.combine(day, time(), zone)
        after = max(start, utc(midnight) - timedelta(microseconds=1))
        cur = next_fire(schedule, after)
        # every occurrence of that date (a daily schedule has one; an hourly one, 24)
        while cur is not None and cur <= end and cur.astimezone(zone).date() == day:
            found.append(cur)
            if len(found) >= 500:
                return found
            cur = next_fire(schedule, cur)
    return found


def next_working_fire(
    schedule: Schedule, after: datetime, days: Collection[date]
) -> datetime | None:
    """The first occurrence after `after` that is not on one of `days`: a holiday's other
    occurrences are stepped over at once, from the next local midnight. None past a year of
    holidays in a row."""
    cur = next_fire(schedule, after)
    if not days:
        return cur
    zone = load_zone(schedule.tz)
    for _ in range(366):
        if cur is None:
            return None
        day = cur.astimezone(zone).date()
        if day not in days:
            return cur
        midnight = datetime.combine(day + timedelta(days=1), time(), zone)
        cur = next_fire(schedule, utc(midnight) - timedelta(microseconds=1))
    return None
