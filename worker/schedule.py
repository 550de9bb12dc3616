"""Schedule maths (no database): parse, validate, next fire times, descriptions, builders.

Every datetime in and out is timezone-aware UTC. Daylight saving follows product.md "Schedules":

* Wall-clock schedules (cron whose hour field is not `*`; rrule FREQ=DAILY/WEEKLY/MONTHLY/YEARLY)
  iterate naive local wall times and map each to UTC per RFC 5545 3.3.5: a wall time inside a
  spring-forward gap is read with the offset before the gap (LA 02:30 -> 03:30 PDT); a wall time
  that occurs twice fires once, at its first occurrence (fold=0).
* Interval schedules (cron whose hour field is `*`; rrule FREQ=MINUTELY/HOURLY) run on absolute
  time: they neither skip nor double across a change (see schedule_cron.interval_next; the rrule
  ones are computed in UTC from the anchor).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cron_descriptor import get_description

from models.clock import utc
from models.errors import ScheduleError
from worker.schedule_cron import (
    DAY,
    FREQS,
    WALL_FREQS,
    cron_walls,
    interval_next,
    is_interval_cron,
    normalize_cron_cached,
    rebased,
    rrule_parts,
    rule_for,
    wall_next,
)

__all__ = [
    "Schedule",
    "ScheduleCache",
    "daily",
    "describe",
    "every_minutes",
    "fires_between",
    "hourly",
    "min_interval",
    "monthly_on_day",
    "monthly_on_weekday",
    "next_fire",
    "next_fires",
    "once",
    "parse_schedule",
    "weekdays",
    "weekly",
    "yearly",
]

Kind = Literal["cron", "rrule", "once"]
_UNITS = dict(zip(FREQS, "minute hour day week month year".split(), strict=True))
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_DAY_NAMES = dict(zip(_DAY_CODES, _WEEKDAYS, strict=True))
_CRON_DOW = {"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True, slots=True)
class Schedule:
    kind: Kind
    expression: str | None  # 5-field cron (kind=cron) or an RFC 5545 RRULE body (kind=rrule)
    tz: str  # IANA zone name
    once_at: datetime | None = None  # kind=once: the instant (aware UTC)
    # kind=rrule: DTSTART as an aware UTC instant; None means 2026-01-05 00:00 (a Monday) in tz
    anchor: datetime | None = None


# ----------------------------------------------------------------------------- parsing


@functools.lru_cache(maxsize=1024)
def _zone(tz: str) -> ZoneInfo:
    # zoneinfo keeps only 8 zones strongly cached; a tick may use hundreds
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ScheduleError(
            f"Unknown time zone '{tz}'. Use an IANA name such as Europe/London or America/New_York."
        ) from None


def _anchor_wall(schedule: Schedule, zone: ZoneInfo) -> datetime:
    if schedule.anchor is None:
        return datetime(2026, 1, 5)
    return schedule.anchor.astimezone(zone).replace(tzinfo=None)


def _is_wall_rrule(expression: str) -> bool:
    return rrule_parts(expression).get("FREQ") in WALL_FREQS


def _validate_rrule(body: str, tz: str, anchor: datetime | None) -> str:
    text = body.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts = rrule_parts(text)
    if "DTSTART" in parts or "\n" in text:
        raise ScheduleError(f"Invalid RRULE '{body}': give the start as the anchor, not DTSTART")
    freq = parts.get("FREQ")
    if freq not in _UNITS:
        raise ScheduleError(
            f"Invalid RRULE '{body}': FREQ must be one of {', '.join(_UNITS)} (got {freq})"
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ScheduleError(f"Invalid RRULE '{body}': COUNT and UNTIL cannot both be given")
    text = ";".join(f"{k}={v}" for k, v in parts.items())
    probe = Schedule("rrule", text, tz, anchor=anchor)
    try:
        rule = rule_for(text, _anchor_wall(probe, _zone(tz)), freq in WALL_FREQS, tz)
        first = rule.after(datetime(1900, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ScheduleError(f"Invalid RRULE '{body}': {exc}") from exc
    if first is None:
        raise ScheduleError(f"Invalid RRULE '{body}': it never fires")
    return text


def parse_schedule(
    *,
    cron: str | None = None,
    rrule: str | None = None,
    once: datetime | None = None,
    tz: str = "UTC",
    anchor: datetime | None = None,
) -> Schedule:
    """Validate and build a Schedule; raises ScheduleError with a message naming the problem."""
    options = (("cron", cron), ("rrule", rrule), ("once", once))
    given = [name for name, value in options if value is not None]
    if len(given) != 1:
        raise ScheduleError(
            "Give exactly one of cron, rrule or once"
            + (f" (got {' and '.join(given)})" if given else "")
        )
    _zone(tz)
    if anchor is not None and anchor.tzinfo is None:
        raise ScheduleError("The anchor needs a time zone offset (e.g. 2026-03-02T09:00Z)")
    if cron is not None:
        display, _ = normalize_cron_cached(cron)
        return Schedule("cron", display, tz)
    if rrule is not None:
        anchor_utc = utc(anchor) if anchor is not None else None
        return Schedule("rrule", _validate_rrule(rrule, tz, anchor_utc), tz, anchor=anchor_utc)
    assert once is not None
    if once.tzinfo is None:
        raise ScheduleError(
            "A one-off time needs a time zone offset (e.g. 2026-03-03T15:00Z); got a naive time"
        )
    return Schedule("once", None, tz, once_at=utc(once))


# ----------------------------------------------------------------------------- next fire


def _rrule_next(schedule: Schedule, zone: ZoneInfo, after: datetime) -> datetime | None:
    expression = schedule.expression
    assert expression is not None
    wall = _is_wall_rrule(expression)
    anchor = _anchor_wall(schedule, zone)
    if not wall:  # absolute time, computed in UTC
        start = (
            schedule.anchor.replace(tzinfo=None)
            if schedule.anchor
            else (anchor.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None))
        )
        naive_after = after.replace(tzinfo=None)
        dtstart = rebased(expression, start, naive_after)
        found = rule_for(expression, dtstart, False, schedule.tz).after(naive_after)
        return found.replace(tzinfo=UTC) if found is not None else None

    def walls(start: datetime) -> Iterator[datetime]:
        dtstart = rebased(expression, anchor, start - DAY)
        return rule_for(expression, dtstart, True, schedule.tz).xafter(start)

    return wall_next(walls, zone, after)


def next_fire(schedule: Schedule, after: datetime) -> datetime | None:
    """First fire time strictly after `after` (aware), or None if the schedule is over."""
    after = utc(after)
    if schedule.kind == "once":
        assert schedule.once_at is not None
        return schedule.once_at if schedule.once_at > after else None
    zone = _zone(schedule.tz)
    if schedule.kind == "rrule":
        return _rrule_next(schedule, zone, after)
    assert schedule.expression is not None
    _, machine = normalize_cron_cached(schedule.expression)
    if is_interval_cron(machine):
        return interval_next(machine, zone, after)
    return wall_next(cron_walls(machine), zone, after)


def fires_between(
    schedule: Schedule, start: datetime, end: datetime, limit: int = 1000
) -> list[datetime]:
    """Fire times t with start < t <= end, ascending; the earliest `limit` of them."""
    out: list[datetime] = []
    cur, end = utc(start), utc(end)
    while len(out) < limit and (nxt := next_fire(schedule, cur)) is not None and nxt <= end:
        out.append(nxt)
        cur = nxt
    return out


def next_fires(schedule: Schedule, after: datetime, count: int) -> list[datetime]:
    out: list[datetime] = []
    cur = utc(after)
    while len(out) < count and (nxt := next_fire(schedule, cur)) is not None:
        out.append(nxt)
        cur = nxt
    return out


def min_interval(schedule: Schedule, start: datetime, samples: int = 60) -> timedelta | None:
    """Smallest gap between consecutive fires among the next `samples` fires (None for once)."""
    if schedule.kind == "once":
        return None
    fires = next_fires(schedule, start, samples)
    return min((b - a for a, b in itertools.pairwise(fires)), default=None)


class ScheduleCache:
    """Memoises next_fire by (schedule, after): a tick's many automations share few pairs."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._data: dict[tuple[Schedule, datetime], datetime | None] = {}

    def next_fire(self, schedule: Schedule, after: datetime) -> datetime | None:
        key = (schedule, utc(after))
        try:
            value = self._data[key]
        except KeyError:
            pass
        else:
            self.hits += 1
            return value
        self.misses += 1
        if len(self._data) >= self.max_entries:
            self._data.clear()
        value = self._data[key] = next_fire(schedule, after)
        return value

    def __len__(self) -> int:
        return len(self._data)


# ----------------------------------------------------------------------------- describe


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _describe_rrule(schedule: Schedule) -> str:
    assert schedule.expression is not None
    parts = rrule_parts(schedule.expression)
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    unit = _UNITS[freq]
    text = f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"
    if "BYMONTH" in parts:
        text += " in " + _join([_MONTHS[int(m) - 1] for m in parts["BYMONTH"].split(",")])
    if "BYMONTHDAY" in parts:
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")]
        text += " on " + _join(["the last day" if d == -1 else f"day {d}" for d in days])
    if "BYDAY" in parts:
        names = []
        for token in parts["BYDAY"].split(","):
            nth, code = token[:-2], token[-2:]
            day = _DAY_NAMES.get(code, code)
            names.append(f"the {_ORDINALS.get(int(nth), nth)} {day}" if nth else day)
        text += " on " + _join(names)
    anchor = _anchor_wall(schedule, _zone(schedule.tz))
    minutes = parts.get("BYMINUTE", str(anchor.minute)).split(",")
    if freq in WALL_FREQS:
        hours = parts.get("BYHOUR", str(anchor.hour)).split(",")
        text += " at " + _join([f"{int(h):02d}:{int(m):02d}" for h in hours for m in minutes])
    elif freq == "HOURLY":
        text += " at minute " + _join(minutes)
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        text += f", until {parts['UNTIL'][:4]}-{parts['UNTIL'][4:6]}-{parts['UNTIL'][6:8]}"
    return f"{text} ({schedule.tz})"


@functools.lru_cache(maxsize=4096)
def describe(schedule: Schedule) -> str:
    """Plain English, ending with the time zone in brackets."""
    if schedule.kind == "once":
        assert schedule.once_at is not None
        local = schedule.once_at.astimezone(_zone(schedule.tz))
        return f"Once at {local:%Y-%m-%d %H:%M} ({schedule.tz})"
    if schedule.kind == "rrule":
        return _describe_rrule(schedule)
    try:
        text = get_description(schedule.expression)
    except Exception:  # cron_descriptor raises assorted errors on exotic syntax
        text = f"Cron '{schedule.expression}'"
    return f"{text} ({schedule.tz})"


# ----------------------------------------------------------------------------- builders


def _check(name: str, value: int, lo: int, hi: int) -> None:
    if not isinstance(value, int) or not lo <= value <= hi:
        raise ScheduleError(f"{name} must be a whole number {lo}-{hi}; got {value!r}")


def _check_time(hour: int, minute: int) -> None:
    _check("hour", hour, 0, 23)
    _check("minute", minute, 0, 59)


def _day_code(day: str) -> str:
    code = day.strip().upper()[:2]
    if code not in _DAY_NAMES:
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
    codes = sorted({_day_code(d) for d in days}, key=_DAY_CODES.index)
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
