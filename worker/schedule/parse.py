"""Schedules: parse and validate a cron expression or RRULE in a time zone, step to the next
fire times, and a cache of parsed schedules.

Every datetime in and out is timezone-aware UTC. Daylight saving follows RFC 5545 3.3.5:

* Wall-clock schedules (cron whose hour field is not `*`; rrule FREQ=DAILY/WEEKLY/MONTHLY/YEARLY)
  iterate naive local wall times and map each to UTC: a wall time inside a spring-forward gap
  is read with the offset before the gap (LA 02:30 -> 03:30 PDT); a wall time that occurs
  twice fires once, at its first occurrence (fold=0).
* Interval schedules (cron whose hour field is `*`; rrule FREQ=MINUTELY/HOURLY) run on absolute
  time: they neither skip nor double across a change.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.clock import utc
from models.errors import ScheduleError
from worker.schedule.cron import (
    DAY,
    FREQS,
    WALL_FREQS,
    cron_walls,
    interval_next,
    is_interval_cron,
    normalize_cron_cached,
    wall_next,
)
from worker.schedule.rrule import rebased, rrule_parts, rule_for

FREQ_UNITS = dict(zip(FREQS, "minute hour day week month year".split(), strict=True))

Kind = Literal["cron", "rrule", "once"]


DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


WEEKDAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


@dataclass(frozen=True, slots=True)
class Schedule:
    kind: Kind
    expression: str | None  # 5-field cron (kind=cron) or an RFC 5545 RRULE body (kind=rrule)
    tz: str  # IANA zone name
    once_at: datetime | None = None  # kind=once: the instant (aware UTC)
    # kind=rrule: DTSTART as an aware UTC instant; None means 2026-01-05 00:00 (a Monday) in tz
    anchor: datetime | None = None


@functools.lru_cache(maxsize=1024)
def load_zone(tz: str) -> ZoneInfo:
    # zoneinfo keeps only 8 zones strongly cached; a tick may use hundreds
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ScheduleError(
            f"Unknown time zone '{tz}'. Use an IANA name such as Europe/London or America/New_York."
        ) from None


def anchor_wall(schedule: Schedule, zone: ZoneInfo) -> datetime:
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
    if freq not in FREQ_UNITS:
        raise ScheduleError(
            f"Invalid RRULE '{body}': FREQ must be one of {', '.join(FREQ_UNITS)} (got {freq})"
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ScheduleError(f"Invalid RRULE '{body}': COUNT and UNTIL cannot both be given")
    text = ";".join(f"{k}={v}" for k, v in parts.items())
    probe = Schedule("rrule", text, tz, anchor=anchor)
    try:
        rule = rule_for(text, anchor_wall(probe, load_zone(tz)), freq in WALL_FREQS, tz)
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
    load_zone(tz)
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


def _rrule_next(schedule: Schedule, zone: ZoneInfo, after: datetime) -> datetime | None:
    expression = schedule.expression
    assert expression is not None
    wall = _is_wall_rrule(expression)
    anchor = anchor_wall(schedule, zone)
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
    zone = load_zone(schedule.tz)
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
