"""Schedule arithmetic for changes said in words: every time of a schedule moved by an amount
("30 minutes later"), and days taken out of or added to the days it runs on ("skip Fridays",
"also on Saturdays"). Works on cron, RRULE and one-off schedules; what a schedule cannot express
after the change is refused with a message that says so, never changed into something else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any
from zoneinfo import ZoneInfo

from assistant.language.weekday_words import mention_days
from assistant.language.words import DAY_CODES
from models.errors import InvalidInput
from worker.schedule.parse import anchor_wall, next_fire, parse_schedule
from worker.schedule.rrule import rrule_parts

_DAY_MINUTES = 24 * 60
# cron counts the days of the week from Sunday (0, and 7 again)
_CRON_DAY = {0: "SU", 1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
_CRON_NUMBER = {"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}
_CRON_NAMES = dict(zip(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), range(7), strict=True))
_NO_TIME_OF_DAY = (
    "It runs every few minutes or hours, so it has no time of day to move; say a new "
    "schedule instead, e.g. “every weekday at 8am”."
)
_ON_EVENTS = "It runs on events, not at a time of day; say which event instead."


@dataclass(frozen=True)
class Timing:
    """A schedule as an automation or a draft holds it."""

    cron: str | None
    rrule: str | None
    once: datetime | None
    tz: str
    anchor: datetime | None = None


def _numbers(field: str) -> list[int] | None:
    """ "8,17" -> [8, 17]; None for ranges, steps and stars (no list of clocks)."""
    values = field.split(",")
    if not all(v.isdigit() for v in values):
        return None
    return [int(v) for v in values]


def _amount(minutes: int) -> str:
    hours, rest = divmod(abs(minutes), 60)
    words = ([f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []) + (
        [f"{rest} minute{'s' if rest != 1 else ''}"] if rest else []
    )
    return " ".join(words) + (" later" if minutes > 0 else " earlier")


def _shift_clocks(hours: list[int], minutes: list[int], delta: int) -> tuple[set[int], str, str]:
    """The day offsets the clocks move by, and the new hour and minute lists; refused when the
    moved clocks are no longer every hour at every minute (what one schedule can say)."""
    moved = [divmod(h * 60 + m + delta, _DAY_MINUTES) for h, m in product(hours, minutes)]
    clocks = {(t // 60, t % 60) for _, t in moved}
    new_hours = sorted({h for h, _ in clocks})
    new_minutes = sorted({m for _, m in clocks})
    if set(product(new_hours, new_minutes)) != clocks:
        raise InvalidInput(
            f"Moved {_amount(delta)}, its times no longer share their minutes past the hour, "
            "which one schedule cannot say; say the new times instead."
        )
    return (
        {days for days, _ in moved},
        ",".join(map(str, new_hours)),
        ",".join(map(str, new_minutes)),
    )


def _crossing_refused(offsets: set[int], delta: int, why: str) -> InvalidInput:
    if len(offsets) > 1:
        return InvalidInput(
            f"Moved {_amount(delta)}, some of its times would cross midnight and others not, "
            "so they would fall on different days; say the new times and days instead."
        )
    return InvalidInput(
        f"Moved {_amount(delta)}, it would cross midnight, and {why}; say the new time "
        "and days instead."
    )


def _cron_day(token: str) -> int | None:
    """A cron day of the week, a number (0 and 7 are Sunday) or a name ("MON")."""
    if token.isdigit():
        return int(token) if int(token) <= 7 else None
    return _CRON_NAMES.get(token.upper())


def cron_days(field: str) -> list[str] | None:
    """The days of a cron day-of-week field, Monday first; None when it is not a plain list."""
    if field == "*":
        return list(DAY_CODES)
    days: set[str] = set()
    for part in field.split(","):
        low, _, high = part.partition("-")
        first, last = _cron_day(low), _cron_day(high or low)
        if first is None or last is None or last < first:
            return None
        days.update(_CRON_DAY[d] for d in range(first, last + 1))
    return [d for d in DAY_CODES if d in days]


def _cron_day_field(days: list[str]) -> str:
    """Days as cron writes them: "*", "1-5", "0,6", "1-3,5"."""
    if set(days) == set(DAY_CODES):
        return "*"
    numbers = sorted(_CRON_NUMBER[d] for d in days)
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ",".join(map(str, r)) for r in runs)


def _moved_days(days: list[str], offset: int) -> list[str]:
    moved = {DAY_CODES[(DAY_CODES.index(d) + offset) % 7] for d in days}
    return [d for d in DAY_CODES if d in moved]


def _shift_cron(cron: str, delta: int) -> dict[str, Any]:
    minute, hour, dom, month, dow = cron.split()
    hours, minutes = _numbers(hour), _numbers(minute)
    if hours is None or minutes is None:
        raise InvalidInput(_NO_TIME_OF_DAY)
    offsets, new_hour, new_minute = _shift_clocks(hours, minutes, delta)
    if offsets != {0} and not dom == month == dow == "*":
        if len(offsets) > 1 or dom != "*" or month != "*":
            why = "it runs on dates of the month" if dom != "*" else "it runs in some months"
            raise _crossing_refused(offsets, delta, why)
        days = cron_days(dow)
        if days is None:
            raise _crossing_refused(offsets, delta, "its days cannot be moved with it")
        dow = _cron_day_field(_moved_days(days, offsets.pop()))
    return {"cron": " ".join((new_minute, new_hour, dom, month, dow))}


def _wall_shift(at: datetime, tz: str, delta: int) -> datetime:
    """`at` moved by `delta` minutes on the wall clock of `tz` (a 9:00 stays 9:30 across DST)."""
    zone = ZoneInfo(tz)
    wall = at.astimezone(zone).replace(tzinfo=None) + timedelta(minutes=delta)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _shift_until(until: str, delta: int) -> str:
    instant = until.endswith("Z")
    at = datetime.strptime(until.rstrip("Z"), "%Y%m%dT%H%M%S") + timedelta(minutes=delta)
    return at.strftime("%Y%m%dT%H%M%S") + ("Z" if instant else "")


def _shift_rrule(timing: Timing, now: datetime, delta: int) -> dict[str, Any]:
    assert timing.rrule is not None
    parts = rrule_parts(timing.rrule)
    hours, minutes = _numbers(parts.get("BYHOUR", "")), _numbers(parts.get("BYMINUTE", ""))
    if parts["FREQ"] in ("MINUTELY", "HOURLY", "SECONDLY") or hours is None or minutes is None:
        raise InvalidInput(_NO_TIME_OF_DAY)
    offsets, parts["BYHOUR"], parts["BYMINUTE"] = _shift_clocks(hours, minutes, delta)
    interval = int(parts.get("INTERVAL", "1"))
    dated = {"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYMONTH"} & set(parts)
    if offsets != {0}:
        if dated or parts["FREQ"] in ("MONTHLY", "YEARLY"):
            raise _crossing_refused(offsets, delta, "it runs on dates of the month or year")
        if len(offsets) > 1 and (interval > 1 or "BYDAY" in parts or parts["FREQ"] != "DAILY"):
            raise _crossing_refused(offsets, delta, "")
        offset = min(offsets)
        if "BYDAY" in parts and len(offsets) == 1:
            days = parts["BYDAY"].split(",")
            if not all(d in DAY_CODES for d in days):
                raise _crossing_refused(offsets, delta, "it runs on numbered weekdays of the month")
            parts["BYDAY"] = ",".join(_moved_days(days, offset))
            if interval > 1:  # its weeks start on the day the first of its days moved to
                parts["WKST"] = DAY_CODES[(DAY_CODES.index(parts.get("WKST", "MO")) + offset) % 7]
    if "UNTIL" in parts:
        parts["UNTIL"] = _shift_until(parts["UNTIL"], delta)
    changes: dict[str, Any] = {"rrule": ";".join(f"{k}={v}" for k, v in parts.items())}
    weekly_on_anchor_day = parts["FREQ"] == "WEEKLY" and "BYDAY" not in parts
    if timing.anchor is not None or interval > 1 or weekly_on_anchor_day:
        # its periods count from a run: the same run, moved
        schedule = parse_schedule(rrule=timing.rrule, tz=timing.tz, anchor=timing.anchor)
        start = timing.anchor or next_fire(schedule, now)
        if start is None:
            start = anchor_wall(schedule, ZoneInfo(timing.tz)).replace(tzinfo=ZoneInfo(timing.tz))
        changes["anchor"] = _wall_shift(start, timing.tz, delta)
    return changes


def shifted(timing: Timing, delta: int, now: datetime) -> dict[str, Any]:
    """The schedule changes that run it `delta` minutes later (earlier when negative)."""
    if delta == 0:
        raise InvalidInput("Later or earlier by how much? Say e.g. “30 minutes later”.")
    if abs(delta) >= _DAY_MINUTES:
        raise InvalidInput("That moves it by a day or more; say the new days and time instead.")
    if timing.cron:
        return _shift_cron(timing.cron, delta)
    if timing.rrule:
        return _shift_rrule(timing, now, delta)
    if timing.once:
        return {"once": _wall_shift(timing.once, timing.tz, delta)}
    raise InvalidInput(_ON_EVENTS)


def _rrule_days(timing: Timing, parts: dict[str, str]) -> list[str]:
    if "BYDAY" in parts:
        days = parts["BYDAY"].split(",")
        if not all(d in DAY_CODES for d in days):
            raise InvalidInput(
                "It runs on numbered weekdays of the month (like the first Monday); "
                "say the new days instead."
            )
        return [d for d in DAY_CODES if d in days]
    if parts["FREQ"] == "DAILY":
        return list(DAY_CODES)
    if parts["FREQ"] == "WEEKLY":
        schedule = parse_schedule(rrule=timing.rrule, tz=timing.tz, anchor=timing.anchor)
        return [DAY_CODES[anchor_wall(schedule, ZoneInfo(timing.tz)).weekday()]]
    raise InvalidInput(
        "It runs on dates of the month, not on days of the week; say the new days instead, "
        "e.g. “every weekday at 9am”."
    )


def _new_days(current: list[str], remove: set[str], add: set[str]) -> list[str]:
    if remove and not remove & set(current) and not add:
        raise InvalidInput(
            f"It doesn't run on {mention_days(sorted(remove, key=DAY_CODES.index))} anyway; "
            "nothing changed."
        )
    if add and add <= set(current) and not remove:
        raise InvalidInput(
            f"It already runs on {mention_days(sorted(add, key=DAY_CODES.index))}; nothing changed."
        )
    days = [d for d in DAY_CODES if (d in current and d not in remove) or d in add]
    if not days:
        raise InvalidInput(
            "That would leave no day for it to run on; nothing changed. Say the days it "
            "should run instead, e.g. “make it weekdays only”."
        )
    return days


def with_days(timing: Timing, remove: set[str], add: set[str]) -> dict[str, Any]:
    """The schedule changes that take `remove` out of its days and put `add` in."""
    if timing.cron:
        minute, hour, dom, month, dow = timing.cron.split()
        current = cron_days(dow)
        if dom != "*" or current is None:
            raise InvalidInput(
                "It runs on dates of the month, not on days of the week; say the new days "
                "instead, e.g. “every weekday at 9am”."
            )
        days = _new_days(current, remove, add)
        return {"cron": " ".join((minute, hour, dom, month, _cron_day_field(days)))}
    if timing.rrule:
        parts = rrule_parts(timing.rrule)
        if parts["FREQ"] in ("MINUTELY", "HOURLY", "SECONDLY") and "BYDAY" not in parts:
            current = list(DAY_CODES)
        else:
            current = _rrule_days(timing, parts)
        days = _new_days(current, remove, add)
        if add and parts["FREQ"] == "DAILY" and int(parts.get("INTERVAL", "1")) > 1:
            raise InvalidInput(
                "It runs every few days, so days cannot be added to it; say the new days "
                "instead, e.g. “every Monday and Saturday at 9am”."
            )
        if set(days) == set(DAY_CODES) and parts["FREQ"] == "DAILY":
            parts.pop("BYDAY", None)
        else:
            parts["BYDAY"] = ",".join(days)
        changes: dict[str, Any] = {"rrule": ";".join(f"{k}={v}" for k, v in parts.items())}
        if timing.anchor is not None:  # its weeks count from the same first run
            changes["anchor"] = timing.anchor
        return changes
    if timing.once:
        raise InvalidInput("It runs only once; say the new day instead, e.g. “move it to Friday”.")
    raise InvalidInput("It runs on events, not on days of the week; say which event instead.")


def poll_changes(every_minutes: int, changes: dict[str, Any]) -> None:
    """A poll checks every so many minutes: a new schedule said for it is a new interval
    ("check every 15 minutes", "every 2 hours"); a time of day or days are refused, said so."""
    schedule = {key: changes.pop(key) for key in ("cron", "rrule", "once") if key in changes}
    changes.pop("anchor", None)
    if not schedule:
        return
    interval = _interval_of(schedule.get("cron"), schedule.get("rrule"))
    if interval is None:
        other = 60 if every_minutes == 15 else 15
        raise InvalidInput(
            f"It checks every {every_minutes} minutes, not at set times or days; say how often "
            f"instead, e.g. “check every {other} minutes”."
        )
    changes["poll_interval_minutes"] = interval


def _interval_of(cron: str | None, rrule: str | None) -> int | None:
    """The minutes between runs of "*/15 * * * *", "0 */2 * * *" or FREQ=HOURLY;INTERVAL=2."""
    if cron:
        minute, hour, *rest = cron.split()
        if any(field != "*" for field in rest):
            return None
        if minute.startswith("*/") and hour == "*":
            return int(minute[2:])
        if minute.isdigit() and hour.startswith("*/"):
            return int(hour[2:]) * 60
        if minute.isdigit() and hour == "*":
            return 60
        return None
    if rrule:
        parts = rrule_parts(rrule)
        size = {"MINUTELY": 1, "HOURLY": 60}.get(parts.get("FREQ", ""))
        extra = set(parts) - {"FREQ", "INTERVAL"}
        if size is None or extra:
            return None
        return size * int(parts.get("INTERVAL", "1"))
    return None
