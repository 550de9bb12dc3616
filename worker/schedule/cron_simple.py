"""The next naive wall time of a simple cron expression, without croniter.

Most schedules are "at these minutes of these hours, every day or on these weekdays" (any day of
the month, any month). Their next time is a few comparisons; croniter's general stepping costs
about a hundred microseconds a call, and a tick asks once per schedule and zone it claims.
Anything else (days of the month, months, names, `L`, `#`, steps on weekdays) is None here and
goes to croniter. The two agree on every simple expression (tests/worker/schedule).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

_MINUTE = timedelta(minutes=1)


class SimpleCron(NamedTuple):
    minutes: tuple[int, ...]  # sorted, distinct
    hours: tuple[int, ...]
    weekdays: frozenset[int]  # Python's numbering: Monday 0 .. Sunday 6


def _values(field: str, hi: int) -> tuple[int, ...] | None:
    """A minute or hour field's values (0..hi), or None when it is not plain numbers, ranges
    and steps."""
    out: set[int] = set()
    for part in field.split(","):
        base, slash, step_text = part.partition("/")
        if slash and not step_text.isdigit():
            return None
        step = int(step_text) if slash else 1
        if step == 0:
            return None
        if base == "*":
            lo, top = 0, hi
        elif base.isdigit() and not slash:
            lo = top = int(base)
        else:
            ends = base.split("-")
            if len(ends) != 2 or not all(e.isdigit() for e in ends):
                return None
            lo, top = int(ends[0]), int(ends[1])
            if lo == top:  # croniter reads a one-value range as the whole field
                return None
        if not 0 <= lo <= top <= hi:
            return None
        out.update(range(lo, top + 1, step))
    return tuple(sorted(out))


def _weekdays(field: str) -> frozenset[int] | None:
    """Cron's weekdays (Sunday 0 or 7) as Python's, or None when not plain numbers and ranges."""
    if field == "*":
        return frozenset(range(7))
    cron_days: set[int] = set()
    for part in field.split(","):
        if part.isdigit() and int(part) <= 7:
            cron_days.add(int(part) % 7)
            continue
        ends = part.split("-")
        if len(ends) != 2 or not all(e.isdigit() for e in ends):
            return None
        lo, top = int(ends[0]), int(ends[1])
        if not 0 <= lo < top <= 6:  # croniter reads a one-value range as every day
            return None
        cron_days.update(range(lo, top + 1))
    return frozenset((d - 1) % 7 for d in cron_days)


@lru_cache(maxsize=4096)
def simple_cron(machine: str) -> SimpleCron | None:
    """The expression's parts when it is simple (see the module's docstring), else None."""
    fields = machine.split()
    if len(fields) != 5 or fields[2] != "*" or fields[3] != "*":
        return None
    minutes, hours, weekdays = _values(fields[0], 59), _values(fields[1], 23), _weekdays(fields[4])
    if not minutes or not hours or not weekdays:
        return None
    return SimpleCron(minutes, hours, weekdays)


def simple_next(cron: SimpleCron, start: datetime) -> datetime:
    """First naive wall time strictly after naive `start` that `cron` matches."""
    first = start.replace(second=0, microsecond=0) + _MINUTE
    minutes, hours = cron.minutes, cron.hours
    day = first.replace(hour=0, minute=0)
    for days_on in range(8):  # a weekday in the set comes within a week of any day
        if day.weekday() in cron.weekdays:
            if days_on:
                return day.replace(hour=hours[0], minute=minutes[0])
            h = bisect_left(hours, first.hour)
            if h < len(hours):
                if hours[h] == first.hour:
                    m = bisect_left(minutes, first.minute)
                    if m < len(minutes):
                        return first.replace(minute=minutes[m])
                    h += 1
                if h < len(hours):
                    return day.replace(hour=hours[h], minute=minutes[0])
        day += timedelta(days=1)
    raise AssertionError("a weekday in the set comes within eight days")  # pragma: no cover
