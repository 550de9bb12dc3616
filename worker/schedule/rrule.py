"""RRULE helpers: split a rule into parts, build and rebase dateutil rules."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from models.errors import ScheduleError
from worker.schedule.cron import DAY


def rrule_parts(body: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in filter(None, body.split(";")):
        key, eq, value = item.partition("=")
        if not eq or not value:
            raise ScheduleError(f"Invalid RRULE '{body}': '{item}' is not NAME=VALUE")
        parts[key.strip().upper()] = value.strip().upper()
    return parts


@lru_cache(maxsize=4096)
def rule_for(expression: str, dtstart: datetime, wall: bool, tz: str) -> rrule:
    """dateutil rule on naive datetimes: local wall time if `wall`, else UTC."""
    parts = rrule_parts(expression)
    until = parts.get("UNTIL")
    if until and until.endswith("Z"):  # an instant: express it in the rule's naive frame
        instant = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        local = instant.astimezone(ZoneInfo(tz)) if wall else instant
        parts["UNTIL"] = local.strftime("%Y%m%dT%H%M%S")
    body = ";".join(f"{k}={v}" for k, v in parts.items())
    rule = rrulestr(body, dtstart=dtstart)
    if not isinstance(rule, rrule):  # one RRULE line never reads as a set
        raise ScheduleError(f"not a single recurrence rule: {expression}")
    return rule


def rebased(expression: str, dtstart: datetime, target: datetime) -> datetime:
    """Move DTSTART forward by whole periods (same occurrences from there on) to below `target`,
    so dateutil does not iterate from the anchor on every call."""
    parts = rrule_parts(expression)
    if "COUNT" in parts or target <= dtstart:
        return dtstart
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    fixed = {
        "MINUTELY": timedelta(minutes=1),
        "HOURLY": timedelta(hours=1),
        "DAILY": DAY,
        "WEEKLY": timedelta(days=7),
    }
    if freq in fixed:
        step = fixed[freq] * interval
        return dtstart + step * max(0, (target - dtstart) // step - 1)
    if freq == "MONTHLY" and dtstart.day <= 28:
        months = math.lcm(interval, 12)
    elif freq == "YEARLY" and (dtstart.month, dtstart.day) != (2, 29):
        months = 12 * interval
    else:
        return dtstart
    elapsed = (target.year - dtstart.year) * 12 + target.month - dtstart.month
    return dtstart + relativedelta(months=months * max(0, elapsed // months - 1))
