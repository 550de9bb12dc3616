"""Schedules in plain English, for read-backs and listings."""

from __future__ import annotations

import functools
from collections.abc import Sequence

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


def _describe_rrule(schedule: Schedule) -> str:
    assert schedule.expression is not None
    parts = rrule_parts(schedule.expression)
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    unit = FREQ_UNITS[freq]
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
            day = DAY_NAMES.get(code, code)
            names.append(f"the {_ORDINALS.get(int(nth), nth)} {day}" if nth else day)
        text += " on " + _join(names)
    anchor = anchor_wall(schedule, load_zone(schedule.tz))
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
        local = schedule.once_at.astimezone(load_zone(schedule.tz))
        return f"Once at {local:%Y-%m-%d %H:%M} ({schedule.tz})"
    if schedule.kind == "rrule":
        return _describe_rrule(schedule)
    try:
        text = get_description(schedule.expression)
    except Exception:  # cron_descriptor raises assorted errors on exotic syntax
        text = f"Cron '{schedule.expression}'"
    return f"{text} ({schedule.tz})"
