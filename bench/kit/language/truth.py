"""Ground truth for generated schedule phrases: a schedule as structure (Spec) and its fire
times, found by brute force over calendar days (wall-clock schedules) or minutes (interval
schedules) with zoneinfo only, never from the text, the parser or the schedule maths.

Conventions (the product's stated defaults): no time means 09:00, "weekly" with no day means
Monday, "monthly" with no day means the 1st; an interval of days, weeks, months or years counts
from the first fire after the request; "between 9am and 5pm" runs minute steps from 09:00 to
16:xx and hour steps from 09:00 to 17:00; a plain "every N hours" runs on absolute time from
2026-01-05 00:00 local; "for N weeks" ends N weeks after the request; "until <date>" includes
that date; "starting <date>" begins that day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Spec:
    """A schedule as structure. kind: days | monthday | nth | yearly | yearly_nth | minutes |
    hours | hour_at."""

    kind: str
    times: tuple[tuple[int, int], ...] = ((9, 0),)
    days: tuple[int, ...] = ()  # 0 = Monday; empty with kind "days" = every day
    unit: str = "day"  # what `interval` counts: day | week | month | year
    interval: int = 1
    monthdays: tuple[int, ...] = ()  # negative counts from the month's end
    nths: tuple[int, ...] = ()  # nth weekday (of days[0]) in the month; -1 last, -2 second last
    month: int = 0  # yearly / yearly_nth: the month
    months: tuple[int, ...] = ()  # allowed months; empty = all
    step: int = 0  # minutes / hours: the step
    window: tuple[int, int] | None = None  # minutes / hours: between these hours
    minute: int = 0  # hour_at: minutes past each hour
    count: int | None = None
    until: date | None = None  # inclusive
    weeks_for: int | None = None  # "for N weeks": ends N weeks after the request
    start: date | None = None


def _wall(zone: ZoneInfo, day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)


def _day_matches(spec: Spec, day: date) -> bool:
    if spec.months and day.month not in spec.months:
        return False
    last = calendar.monthrange(day.year, day.month)[1]
    if spec.kind == "days":
        return not spec.days or day.weekday() in spec.days
    if spec.kind == "monthday":
        return any(day.day == (d if d > 0 else last + 1 + d) for d in spec.monthdays)
    if spec.kind in ("nth", "yearly_nth"):
        if spec.kind == "yearly_nth" and day.month != spec.month:
            return False
        if day.weekday() != spec.days[0]:
            return False
        from_start, from_end = (day.day - 1) // 7 + 1, -((last - day.day) // 7 + 1)
        return from_start in spec.nths or from_end in spec.nths
    if spec.kind == "yearly":
        return (day.month, day.day) == (spec.month, spec.monthdays[0])
    raise AssertionError(spec.kind)


def _period(unit: str, day: date) -> int:
    if unit == "day":
        return day.toordinal()
    if unit == "week":
        return (day.toordinal() - day.weekday()) // 7
    if unit == "month":
        return day.year * 12 + day.month
    return day.year


def _end(spec: Spec, now: datetime) -> datetime | None:
    if spec.weeks_for is not None:
        return now + timedelta(weeks=spec.weeks_for)
    return None


def _wall_fires(spec: Spec, zone: ZoneInfo, now: datetime, count: int) -> list[datetime]:
    today = now.astimezone(zone).date()
    day = max(today - timedelta(days=1), spec.start or today - timedelta(days=1))
    end = _end(spec, now)
    wanted = count if spec.count is None else min(count, spec.count)
    out: list[datetime] = []
    origin: int | None = None
    for _ in range(366 * 12):
        if spec.until is not None and day > spec.until:
            break
        if _day_matches(spec, day):
            period = _period(spec.unit, day)
            if origin is None or (period - origin) % spec.interval == 0:
                for hour, minute in sorted(spec.times):
                    instant = _wall(zone, day, hour, minute)
                    if instant <= now or (end is not None and instant > end):
                        continue
                    if instant not in out:
                        out.append(instant)
                        origin = period if origin is None else origin
        if len(out) >= wanted or (end is not None and _wall(zone, day, 0, 0) > end):
            break
        day += timedelta(days=1)
    return out[:wanted]


def _interval_fires(spec: Spec, zone: ZoneInfo, now: datetime, count: int) -> list[datetime]:
    """Absolute time: every instant whose actual local time matches."""
    out: list[datetime] = []
    t = now.replace(second=0, microsecond=0)
    stride = 1 if spec.kind == "minutes" and spec.step % 5 else 5
    t -= timedelta(minutes=t.minute % stride)
    for _ in range(200_000):
        t += timedelta(minutes=stride)
        if t <= now:
            continue
        local = t.astimezone(zone)
        if spec.days and local.weekday() not in spec.days:
            continue
        if spec.kind == "hour_at":
            ok = local.minute == spec.minute
        elif spec.kind == "minutes":
            ok = (local.hour * 60 + local.minute) % spec.step == 0
            if spec.window is not None:
                ok = ok and spec.window[0] <= local.hour < spec.window[1]
        else:
            ok = local.minute == 0
            low = spec.window[0] if spec.window else 0
            ok = ok and (local.hour - low) % spec.step == 0
            if spec.window is not None:
                ok = ok and spec.window[0] <= local.hour <= spec.window[1]
        if ok:
            out.append(t)
            if len(out) >= count:
                break
    return out


def truth(spec: Spec, tz: str, now: datetime, count: int = 5) -> list[datetime]:
    """The next `count` fire times after `now` (fewer when the schedule ends)."""
    zone = ZoneInfo(tz)
    if spec.kind == "hours" and spec.step > 1 and not (spec.window or spec.days):
        # a plain "every N hours" runs on absolute time, counted from 2026-01-05 00:00 local
        step = timedelta(hours=spec.step)
        origin = datetime(2026, 1, 5, tzinfo=zone).astimezone(UTC)
        first = origin + step * ((now - origin) // step + 1)
        return [first + step * k for k in range(count)]
    if spec.kind == "hours" and spec.step > 1:  # a few times a day: wall-clock hours
        low, high = spec.window or (0, 23)
        hours = tuple((h, 0) for h in range(low, high + 1) if (h - low) % spec.step == 0)
        return _wall_fires(Spec("days", hours, days=spec.days), zone, now, count)
    if spec.kind in ("minutes", "hours", "hour_at"):
        return _interval_fires(spec, zone, now, count)
    return _wall_fires(spec, zone, now, count)
