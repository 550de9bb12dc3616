"""Working hours (quiet hours for candidate-facing messages) and business days (SLAs).

An organisation's working hours live in its settings JSON:
  {"working_hours": {"start": "09:00", "end": "18:00", "days": [0, 1, 2, 3, 4]}}
(days: Monday = 0). Default: 09:00-18:00, Monday to Friday, in the recipient's time zone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.errors import InvalidInput


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9, 0)
    end: time = time(18, 0)
    days: frozenset[int] = frozenset(range(5))

    @classmethod
    def of(cls, settings: Mapping[str, Any] | None) -> WorkingHours:
        """From an organisation's settings; InvalidInput names a bad value."""
        raw = (settings or {}).get("working_hours") or {}
        try:
            start = time.fromisoformat(str(raw.get("start", "09:00")))
            end = time.fromisoformat(str(raw.get("end", "18:00")))
            days = frozenset(int(d) for d in raw.get("days", range(5)))
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"Working hours are not valid: {exc}") from exc
        if start >= end or not days or not days <= set(range(7)):
            raise InvalidInput(
                "Working hours need start before end and days from 0 (Monday) to 6 (Sunday)"
            )
        return cls(start, end, days)


def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def next_working_moment(
    now: datetime, tz: ZoneInfo, hours: WorkingHours, holidays: Collection[date] = ()
) -> datetime | None:
    """None when `now` is within working hours; else the next moment they begin (UTC)."""
    local = now.astimezone(tz)
    if _working_day(local.date(), hours, holidays) and hours.start <= local.time() < hours.end:
        return None
    day = local.date() if local.time() < hours.start else local.date() + timedelta(days=1)
    for _ in range(366):
        if _working_day(day, hours, holidays):
            # fold=0 and a wall time that always exists at 09:00: DST gaps are at night
            opening = datetime.combine(day, hours.start, tzinfo=tz)
            return opening.astimezone(now.tzinfo)
        day += timedelta(days=1)
    return None  # no working day within a year: misconfigured; do not hold messages forever


def _working_day(day: date, hours: WorkingHours, holidays: Collection[date]) -> bool:
    return day.weekday() in hours.days and day not in holidays


def business_days_between(
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    holidays: Collection[date] = (),
    workdays: Collection[int] = range(5),
) -> int:
    """Whole business days from `start` to `end`: the working days after start's date up to
    and including end's date (so a Friday contact is 1 business day old on Monday), skipping
    weekends and the organisation's holidays."""
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    count = 0
    day = first + timedelta(days=1)
    while day <= last:
        if day.weekday() in workdays and day not in holidays:
            count += 1
        day += timedelta(days=1)
    return count
