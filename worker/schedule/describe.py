"""Schedules in plain English, for read-backs and listings."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, datetime

from cron_descriptor import get_description

from worker.schedule.cron import WALL_FREQS
from worker.schedule.parse import (
    DAY_CODES,
    FREQ_UNITS,
    WEEKDAY_NAMES,
    Schedule,
    anchor_wall,
    load_zone,
)
from worker.schedule.rrule import rrule_parts

DAY_NAMES = dict(zip(DAY_CODES, WEEKDAY_NAMES, strict=True))


_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _nth(n: int) -> str:
    if n < -1:
        return f"{_ORDINALS.get(-n, str(-n))} to last"
    return _ORDINALS.get(n, str(n))


def _day_of_month(n: int) -> str:
    if n < 0:
        return "the last day" if n == -1 else f"the {_nth(n)} day"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {n}{suffix}"


def _by_day(parts: dict[str, str]) -> str:
    """ "the second and fourth Thursday", "Monday and Friday", "the last weekday"."""
    tokens = parts["BYDAY"].split(",")
    if "BYSETPOS" in parts and sorted(tokens) == sorted(["MO", "TU", "WE", "TH", "FR"]):
        return f"the {_join([_nth(int(p)) for p in parts['BYSETPOS'].split(',')])} weekday"
    plain = [DAY_NAMES[t] for t in tokens if len(t) == 2]
    by_code: dict[str, list[int]] = {}
    for token in tokens:
        if len(token) > 2:
            by_code.setdefault(token[-2:], []).append(int(token[:-2]))
    nths = [f"the {_join([_nth(n) for n in ns])} {DAY_NAMES[code]}" for code, ns in by_code.items()]
    return _join(plain + nths)


def _until(schedule: Schedule, until: str) -> str:
    if until.endswith("Z"):
        instant = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        local = instant.astimezone(load_zone(schedule.tz))
        return f"until {_MONTHS[local.month - 1]} {local.day}, {local.year} at {local:%H:%M}"
    day = datetime.strptime(until[:8], "%Y%m%d")
    text = f"until {_MONTHS[day.month - 1]} {day.day}, {day.year}"
    if until[9:13] and until[9:15] != "235959":
        text += f" at {until[9:11]}:{until[11:13]}"
    return text


def _describe_rrule(schedule: Schedule) -> str:
    """Our own English, worded so the parser reads it back to the same fire times."""
    assert schedule.expression is not None
    parts = rrule_parts(schedule.expression)
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    unit = FREQ_UNITS[freq]
    text = f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"
    anchor = anchor_wall(schedule, load_zone(schedule.tz))
    months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
    days = [int(d) for d in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    if freq == "YEARLY" and len(months) == 1 and len(days) == 1 and "BYDAY" not in parts:
        text += f" on {_MONTHS[months[0] - 1]} {days[0]}"
        months, days = [], []
    on = []
    if days:
        on.append(_join([_day_of_month(d) for d in days]))
    if "BYDAY" in parts:
        on.append(_by_day(parts))
    if on:
        text += " on " + " and ".join(on)
    minutes = parts.get("BYMINUTE", str(anchor.minute)).split(",")
    if freq in WALL_FREQS:
        hours = parts.get("BYHOUR", str(anchor.hour)).split(",")
        text += " at " + _join([f"{int(h):02d}:{int(m):02d}" for h in hours for m in minutes])
    elif freq == "HOURLY" and "BYMINUTE" in parts:
        text += " at minute " + _join(minutes)
    if months:
        text += ", only in " + _join([_MONTHS[m - 1] for m in months])
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        text += ", " + _until(schedule, parts["UNTIL"])
    known = {"FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "BYHOUR"}
    known |= {"BYMINUTE", "COUNT", "UNTIL", "WKST"}  # the week start only aligns "every N weeks"
    if "BYSETPOS" in parts and "weekday" not in text:
        known.discard("BYSETPOS")
    text += "".join(f", with {key}={value}" for key, value in parts.items() if key not in known)
    if freq in WALL_FREQS and (schedule.anchor is not None or interval > 1 or "COUNT" in parts):
        text += f", starting {_MONTHS[anchor.month - 1]} {anchor.day}, {anchor.year}"
    return f"{text} ({schedule.tz})"


def _describe_cron(expression: str) -> str:
    try:
        text: str = get_description(expression)
    except Exception:  # cron_descriptor raises assorted errors on exotic syntax
        return f"Cron '{expression}'"
    fields = expression.split()
    if (
        fields[2] == fields[4] == "*"
        and "hour" not in text.lower()
        and "minute" not in text.lower()
    ):
        text += ", every day"  # "At 09:00 AM" alone reads as a time, not as a rhythm
    return text


@functools.lru_cache(maxsize=4096)
def describe(schedule: Schedule) -> str:
    """Plain English, ending with the time zone in brackets."""
    if schedule.kind == "once":
        assert schedule.once_at is not None
        local = schedule.once_at.astimezone(load_zone(schedule.tz))
        return f"Once at {local:%Y-%m-%d %H:%M} ({schedule.tz})"
    if schedule.kind == "rrule":
        return _describe_rrule(schedule)
    assert schedule.expression is not None
    return f"{_describe_cron(schedule.expression)} ({schedule.tz})"
