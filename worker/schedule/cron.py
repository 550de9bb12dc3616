"""Cron and DST helpers: validation with readable messages, croniter stepping, wall-time ->
UTC iteration (RFC 5545 3.3.5) and absolute-time intervals.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, CroniterError, croniter

from models.errors import ScheduleError
from worker.schedule.cron_simple import simple_cron, simple_next

_FIELDS: tuple[tuple[str, int, int], ...] = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)


_MONTHS = {m: i for i, m in enumerate("_ JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


_DAYS = {d: i for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}


_NTH = re.compile(r"^(\w+)#(\d+)$")


_LAST_DOW = re.compile(r"^(?:L(\w+)|(\w+)L)$")


_WEEK = timedelta(days=7)


DAY = timedelta(days=1)


ZERO = timedelta(0)


FREQS = ("MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")


WALL_FREQS = frozenset(FREQS[2:])  # the rest (MINUTELY, HOURLY) run on absolute time


_MAX_WALLS = 20_000  # safety net: wall candidates examined per next_fire


_MAX_ITERATORS = 1024


_local = threading.local()


def _bad(expr: str, problem: str) -> ScheduleError:
    return ScheduleError(f"Invalid cron expression '{expr}': {problem}")


def _check_value(expr: str, index: int, token: str) -> int:
    name, lo, hi = _FIELDS[index]
    names = _MONTHS if index == 3 else _DAYS if index == 4 else {}
    if token.isdigit():
        value = int(token)
        if not lo <= value <= hi:
            raise _bad(expr, f"{name} must be {lo}-{hi}")
        return value
    if token.upper() in names:
        return names[token.upper()]
    raise _bad(expr, f"'{token}' is not a valid {name} (allowed {lo}-{hi})")


def _check_field(expr: str, index: int, field: str) -> str:
    """Validate one field; return it in croniter's spelling."""
    name = _FIELDS[index][0]
    out: list[str] = []
    for part in field.split(","):
        base, slash, step = part.partition("/")
        if slash and (not step.isdigit() or int(step) == 0):
            raise _bad(expr, f"the step in {name} '{part}' must be a positive whole number")
        if base in ("*", "?") or (index == 2 and base.upper() == "L"):
            out.append(part)
            continue
        if index == 4 and (nth := _NTH.match(base)):
            _check_value(expr, 4, nth.group(1))
            if not 1 <= int(nth.group(2)) <= 5:
                raise _bad(expr, f"'{base}': the week number after # must be 1-5")
            out.append(part)
            continue
        if index == 4 and (last := _LAST_DOW.match(base.upper())):
            day = last.group(1) or last.group(2)
            _check_value(expr, 4, day)
            out.append(f"L{day}")
            continue
        ends = base.split("-")
        if len(ends) > 2 or not all(ends):
            raise _bad(expr, f"'{part}' is not a valid {name}")
        for token in ends:
            _check_value(expr, index, token)
        if len(ends) == 2 and _same_value(*ends):
            # croniter reads a one-value range ("5-5", "FRI-FRI", "3-3/5") as the whole field:
            # "0 9 * * 5-5" would fire every day; the range holds that one value
            part = ends[0]
        out.append(part)
    return ",".join(out)


def _same_value(first: str, last: str) -> bool:
    if first.isdigit() and last.isdigit():
        return int(first) == int(last)
    return first.upper() == last.upper()


def normalize_cron(expr: str) -> tuple[str, str]:
    """Validate a 5-field cron expression.

    Returns (display form, croniter form); raises ScheduleError naming the problem.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ScheduleError(
            f"Cron expressions need 5 fields (minute hour day month weekday); got {len(fields)}"
        )
    display = " ".join(fields)
    machine = " ".join(_check_field(display, i, f) for i, f in enumerate(fields))
    try:
        croniter(machine)
    except CroniterError as exc:
        raise _bad(display, str(exc)) from exc
    if cron_next_naive(machine, datetime(2026, 1, 1)) is None:
        raise _bad(display, "it never fires (no such date)")
    return display, machine


@lru_cache(maxsize=4096)
def normalize_cron_cached(expression: str) -> tuple[str, str]:
    return normalize_cron(expression)


def is_interval_cron(machine: str) -> bool:
    """Hour field `*`: the schedule runs on absolute time (every N minutes, hourly)."""
    return machine.split()[1] == "*"


def _iterator(machine: str) -> croniter:
    """A croniter per expression and thread, reused via set_current (parsing costs ~70 us)."""
    cache: dict[str, croniter] | None = getattr(_local, "iters", None)
    if cache is None or len(cache) >= _MAX_ITERATORS:
        cache = _local.iters = {}
    it = cache.get(machine)
    if it is None:
        it = cache[machine] = croniter(machine, datetime(2026, 1, 1))  # day_or=True: Vixie OR
    return it


def cron_next_naive(machine: str, start: datetime) -> datetime | None:
    """First naive wall time strictly after naive `start` matching the expression."""
    simple = simple_cron(machine)
    if simple is not None:
        return simple_next(simple, start)
    it = _iterator(machine)
    it.set_current(start, force=True)
    try:
        nxt: datetime = it.get_next(datetime)
    except CroniterBadDateError:
        return None
    return nxt


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    off = instant.astimezone(zone).utcoffset()
    assert off is not None
    return off


def _first_change(zone: ZoneInfo, lo: datetime, hi: datetime, off: timedelta) -> datetime | None:
    """First instant in (lo, hi] whose UTC offset differs from `off`, else None.

    Scans weekly (no zone changes its offset twice within a week), then bisects to the second.
    """
    if _offset(zone, hi) == off and hi - lo <= _WEEK:
        return None
    left = lo
    while True:
        right = min(left + _WEEK, hi)
        if _offset(zone, right) != off:
            break
        if right >= hi:
            return None
        left = right
    a = int(left.timestamp())  # offset(a) == off (a <= left); offset(b) != off
    b = int(right.timestamp()) if right.microsecond == 0 else int(right.timestamp()) + 1
    while b - a > 1:
        mid = (a + b) // 2
        if _offset(zone, datetime.fromtimestamp(mid, UTC)) == off:
            a = mid
        else:
            b = mid
    return datetime.fromtimestamp(b, UTC)


def interval_next(machine: str, zone: ZoneInfo, after: datetime) -> datetime | None:
    """Absolute-time cron: first instant > after whose actual local time matches the fields.

    Between offset changes local time is UTC plus a fixed offset, so croniter runs in that naive
    frame; when its answer lies past a change, restart from the change with the new offset.
    """
    cur, off = after, _offset(zone, after)
    for _ in range(100):
        found = cron_next_naive(machine, cur.replace(tzinfo=None) + off)
        if found is None:
            return None
        instant = (found - off).replace(tzinfo=UTC)
        change = _first_change(zone, cur, instant, off)
        if change is None:
            return instant
        cur, off = change - timedelta(microseconds=1), _offset(zone, change)
    return None


def _offsets_near(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, timedelta]:
    offs = [(instant + d).astimezone(zone).utcoffset() or ZERO for d in (-DAY, ZERO, DAY)]
    return min(offs), max(offs)


def wall_next(
    walls: Callable[[datetime], Iterator[datetime]], zone: ZoneInfo, after: datetime
) -> datetime | None:
    """First mapped wall time > after. Wall -> UTC is not monotonic inside a gap (02:30 maps after
    03:00), so start early enough and keep going until no later wall can map earlier."""
    lo, _ = _offsets_near(zone, after)
    best: datetime | None = None
    stop_at: datetime | None = None  # naive: walls beyond it map after `best`
    for n, wall in enumerate(walls(after.replace(tzinfo=None) + lo)):
        if (stop_at is not None and wall > stop_at) or n >= _MAX_WALLS:
            break
        instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if instant > after and (best is None or instant < best):
            best = instant
            _, hi = _offsets_near(zone, best)
            stop_at = best.replace(tzinfo=None) + hi
            if wall >= stop_at:
                break
    return best


def cron_walls(machine: str) -> Callable[[datetime], Iterator[datetime]]:
    def walls(start: datetime) -> Iterator[datetime]:
        cur = cron_next_naive(machine, start)
        while cur is not None:
            yield cur
            cur = cron_next_naive(machine, cur)

    return walls
