"""The time of day in a change to an automation: the time it runs at now, "move it to 9" (a
bare hour after "to" is a time), a new time on the schedule it has, and an interview briefing
that lists until midnight keeping to it from its new time."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from assistant.language.clock_words import Text
from assistant.language.data_words import lead_to_midnight
from models.errors import InvalidInput
from models.tables.automations import Automation
from worker.schedule.rrule import rrule_parts

# "move it to 9", "make it 10", "set it for 9": in a change, a bare hour right after these
# words is a time of day, read as "at 9" is in a new request (the same length, so the
# positions of the working text stay those of the user's words)
_HOUR_AFTER = re.compile(r"(?<!quarter )(?<!half )\b(it|to|for)(?=\s+\d{1,2}\b(?![:.]\d))")


def current_time(auto: Automation) -> tuple[int, int] | None:
    """The time of day an automation runs at, when it has one."""
    return _time_of(auto.cron_expression, auto.rrule, auto.run_once_at, auto.timezone)


def _time_of(
    cron: str | None, rrule: str | None, once: datetime | None, tz: str
) -> tuple[int, int] | None:
    if cron:
        minute, hour = cron.split()[:2]
        if minute.isdigit() and hour.isdigit():
            return int(hour), int(minute)
    if rrule:
        parts = rrule_parts(rrule)
        if parts.get("BYHOUR", "").isdigit() and parts.get("BYMINUTE", "").isdigit():
            return int(parts["BYHOUR"]), int(parts["BYMINUTE"])
    if once:
        local = once.astimezone(ZoneInfo(tz))
        return local.hour, local.minute
    return None


def keep_until_midnight(auto: Automation, changes: dict[str, Any]) -> None:
    """An interview briefing that lists the interviews until midnight keeps doing so from the
    new time it is moved to."""
    lead = (auto.params or {}).get("lead_minutes")
    before = current_time(auto)
    after = _time_of(changes.get("cron"), changes.get("rrule"), changes.get("once"), auto.timezone)
    if auto.skill != "interview-briefing" or before is None or after is None or after == before:
        return
    if lead != lead_to_midnight(*before):
        return
    changes["params"] = {
        **changes.get("params", auto.params),
        "lead_minutes": lead_to_midnight(*after),
    }


def retime(auto: Automation, hours: list[int], minute: int) -> dict[str, Any]:
    hour_field = ",".join(str(h) for h in hours)
    if auto.cron_expression:
        fields = auto.cron_expression.split()
        if fields[1] == "*" or "/" in fields[0]:
            raise InvalidInput(
                "It runs every few minutes or hours, so it has no time of day "
                "to move; say a new schedule instead, e.g. “every weekday at "
                "8am”."
            )
        return {"cron": " ".join([str(minute), hour_field, *fields[2:]])}
    if auto.rrule:
        parts = rrule_parts(auto.rrule)
        parts["BYHOUR"], parts["BYMINUTE"] = hour_field, str(minute)
        return {"rrule": ";".join(f"{k}={v}" for k, v in parts.items())}
    if auto.run_once_at:
        zone = ZoneInfo(auto.timezone)
        local = auto.run_once_at.astimezone(zone)
        return {"once": local.replace(hour=hours[0], minute=minute).astimezone(ZoneInfo("UTC"))}
    if auto.trigger_type == "poll":
        return {"cron": f"{minute} {hour_field} * * *"}  # refused as a poll's by poll_changes
    raise InvalidInput("It runs on events, not at a time of day; say which event instead.")


def bare_hours_as_times(text: Text) -> None:
    text.low = _HOUR_AFTER.sub(lambda m: "at".rjust(len(m.group(1))), text.low)
