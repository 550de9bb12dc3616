"""Building schedules from parts (every N minutes, daily, weekly on days, monthly on a day or
an nth weekday, yearly, once), with range checks that name the bad part.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from models.errors import ScheduleError
from worker.schedule.describe import DAY_NAMES
from worker.schedule.parse import DAY_CODES, Schedule, parse_schedule

_CRON_DOW = {"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}


def _check(name: str, value: int, lo: int, hi: int) -> None:
    if not isinstance(value, int) or not lo <= value <= hi:
        raise ScheduleError(f"{name} must be a whole number {lo}-{hi}; got {value!r}")


def _check_time(hour: int, minute: int) -> None:
    _check("hour", hour, 0, 23)
    _check("minute", minute, 0, 59)


def _day_code(day: str) -> str:
    code = day.strip().upper()[:2]
    if code not in DAY_NAMES:
        raise ScheduleError(f"'{day}' is not a day of the week (use MO, TU, WE, TH, FR, SA, SU)")
    return code


def every_minutes(n: int, tz: str = "UTC") -> Schedule:
    """Every n minutes on absolute time: cron */n when n divides 60, else an rrule."""
    _check("minutes", n, 1, 527_040)
    if n < 60 and 60 % n == 0:
        return parse_schedule(cron="* * * * *" if n == 1 else f"*/{n} * * * *", tz=tz)
    return parse_schedule(rrule=f"FREQ=MINUTELY;INTERVAL={n}", tz=tz)


def hourly(minute: int = 0, tz: str = "UTC") -> Schedule:
    _check("minute", minute, 0, 59)
    return parse_schedule(cron=f"{minute} * * * *", tz=tz)


def daily(hour: int, minute: int = 0, tz: str = "UTC") -> Schedule:
    _check_time(hour, minute)
    return parse_schedule(cron=f"{minute} {hour} * * *", tz=tz)


def weekdays(hour: int, minute: int = 0, tz: str = "UTC") -> Schedule:
    _check_time(hour, minute)
    return parse_schedule(cron=f"{minute} {hour} * * 1-5", tz=tz)


def weekly(
    days: Sequence[str],
    hour: int,
    minute: int = 0,
    tz: str = "UTC",
    every_weeks: int = 1,
    anchor: datetime | None = None,
) -> Schedule:
    """Weekly on `days` (["MO", "TH"]); every_weeks > 1 is an rrule counted from `anchor`."""
    _check_time(hour, minute)
    _check("every_weeks", every_weeks, 1, 52)
    codes = sorted({_day_code(d) for d in days}, key=DAY_CODES.index)
    if not codes:
        raise ScheduleError("A weekly schedule needs at least one day")
    if every_weeks == 1:
        dow = ",".join(str(_CRON_DOW[c]) for c in codes)
        return parse_schedule(cron=f"{minute} {hour} * * {dow}", tz=tz)
    body = (
        f"FREQ=WEEKLY;INTERVAL={every_weeks};BYDAY={','.join(codes)};"
        f"BYHOUR={hour};BYMINUTE={minute}"
    )
    return parse_schedule(rrule=body, tz=tz, anchor=anchor)


def monthly_on_day(day: int, hour: int, minute: int = 0, tz: str = "UTC") -> Schedule:
    """Day of month 1..31; months without that day are skipped (cron semantics)."""
    _check("day", day, 1, 31)
    _check_time(hour, minute)
    return parse_schedule(cron=f"{minute} {hour} {day} * *", tz=tz)


def monthly_on_weekday(nth: int, day: str, hour: int, minute: int = 0, tz: str = "UTC") -> Schedule:
    """nth 1..4 ("first Monday" = 1, "MO") or -1 for the last ("last Friday" = -1, "FR")."""
    if nth not in (1, 2, 3, 4, -1):
        raise ScheduleError(f"nth must be 1, 2, 3, 4 or -1 (last); got {nth!r}")
    _check_time(hour, minute)
    dow = _CRON_DOW[_day_code(day)]
    field = f"{dow}#{nth}" if nth > 0 else f"{dow}L"
    return parse_schedule(cron=f"{minute} {hour} * * {field}", tz=tz)


def yearly(month: int, day: int, hour: int, minute: int = 0, tz: str = "UTC") -> Schedule:
    _check("month", month, 1, 12)
    _check("day", day, 1, 31)
    _check_time(hour, minute)
    return parse_schedule(cron=f"{minute} {hour} {day} {month} *", tz=tz)


def once(at: datetime, tz: str = "UTC") -> Schedule:
    return parse_schedule(once=at, tz=tz)
