"""A repeating schedule's last day, changed in words: "make it run until December 25", "stop it
after the 25th", "end it on Friday", "run it forever". The end is inclusive (the runs on that
day still happen) and is kept as the rule's UNTIL, at the end of that day in the automation's
own zone; a cron schedule becomes the same rule as an RRULE, since cron has no end."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from assistant.language.bound_words import DATE_RE, date_in
from assistant.language.edit_schedule import cron_days
from assistant.language.until_words import _next_day_of_month
from assistant.language.words import DAY_CODES, DAY_RE
from models.errors import InvalidInput, ScheduleError
from models.tables.automations import Automation
from worker.schedule.parse import next_fire, parse_schedule
from worker.schedule.rrule import rrule_parts

_VERB = (
    r"(?:(?:make|have|let)\s+it\s+)?(?:run|go|keep\s+(?:going|running|it\s+going)|last|continue)"
    r"(?:\s+it)?"
)
_STOP = r"(?:stop|end|finish)(?:\s+(?:running|sending|posting))?(?:\s+(?:it|this|them))?"
_DAY = r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)"
_WEEKDAY = r"(?:this\s+|next\s+|on\s+)?(" + DAY_RE + r")"
_WHEN = r"(?:" + DATE_RE + r"|" + _DAY + r"|" + _WEEKDAY + r")"
_END = re.compile(
    r"^\s*(?:please\s+)?(?:"
    + _VERB
    + r"\s+(?:until|till|til|through|thru|to)\s+(?:and\s+including\s+)?"
    + r"|"
    + _STOP
    + r"\s+(?:after|on|at|by)\s+"
    + r"|(?:have\s+it\s+|let\s+it\s+)?(?:end|finish|stop)\s+(?:after|on|at|by)\s+"
    + r"|(?:the\s+)?last\s+(?:run|one)\s+(?:is\s+|should\s+be\s+|on\s+)?(?:on\s+)?"
    + r"|(?:set\s+|give\s+it\s+)?(?:an?\s+|the\s+)?end\s+date\s+(?:of\s+|to\s+|on\s+)?"
    + r")"
    + _WHEN
    + r"\s*(?:instead|please)?[.!]?\s*$",
    re.I,
)
_FOREVER = re.compile(
    r"^\s*(?:please\s+)?(?:(?:make\s+it\s+)?(?:run|keep\s+(?:it\s+)?(?:going|running))"
    r"(?:\s+it)?\s+(?:forever|indefinitely|with\s+no\s+end(?:\s+date)?)"
    r"|(?:remove|drop|clear|delete)\s+(?:the|its)\s+end(?:\s+date)?|no\s+end\s+date)"
    r"\s*(?:please)?[.!]?\s*$",
    re.I,
)


# "stop my pipeline report after the 25th": the automation named, then its end
_NAMED_END = re.compile(
    r"^\s*(?:please\s+)?(?:(?P<stop>stop|end|finish)(?:\s+(?:running|sending|posting))?"
    r"|(?P<make>make|have|let))\s+(?P<ref>(?:my|the|our)\s+.+?|#\d+)\s+(?(make)(?:run|go|last|"
    r"continue)\s+(?P<until>until|till|til|through|thru)|(?P<prep>after|on|at|by))\s+"
    r"(?P<when>.+?)\s*$",
    re.I,
)


# "stop the pipeline report at 5pm", "pause it from noon": a stop at a time of day, which no
# schedule keeps (an end is a last day; a pause is now)
_CLOCK = (
    r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?|noon|midday|midnight|tonight"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|business))"
)
_STOP_AT_TIME = re.compile(
    r"^\s*(?:please\s+)?(?P<verb>stop|end|finish|pause|halt|turn\s+off|switch\s+off|disable)"
    r"(?:\s+(?:running|sending|posting))?\s+(?P<ref>it|this|them|(?:my|the|our)\s+.+?|#\d+)"
    r"\s+(?:at|from|after|by|as\s+of)\s+(?P<when>" + _CLOCK + r")(?:\s+today)?\s*[.!]?\s*$",
    re.I,
)


def stop_at_time(request: str) -> tuple[str, str] | None:
    """(the automation's words, the change said of "it") of "stop the pipeline report at
    5pm", or None."""
    m = _STOP_AT_TIME.match(request)
    if m is None:
        return None
    return m.group("ref"), f"{m.group('verb').lower()} it at {m.group('when')}"


def says_end(request: str) -> bool:
    """Whether the words change when a repeating automation ends ("end it on Friday")."""
    return bool(_END.match(request) or _FOREVER.match(request))


def named_end(request: str) -> tuple[str, str] | None:
    """(the automation's words, the change said of "it") of "stop my pipeline report after the
    25th", or None."""
    m = _NAMED_END.match(request)
    if m is None:
        return None
    said = (
        f"make it run until {m.group('when')}"
        if m.group("make")
        else f"{m.group('stop')} it {m.group('prep')} {m.group('when')}"
    )
    return (m.group("ref"), said) if _END.match(said) else None


def _last_day(m: re.Match[str], today: date) -> date:
    groups = m.groups()
    if any(groups[:9]):
        found = date_in(groups[:9], today)
        if found is None:
            raise InvalidInput(f"'{m.group(0).strip()}' is not a date I can find; until when?")
        return found
    if groups[9]:
        day = int(groups[9])
        if not 1 <= day <= 31:
            raise InvalidInput(f"There is no {groups[9]}th in a month; until when?")
        return today if day == today.day else _next_day_of_month(today, day)
    target = DAY_CODES.index(groups[10][:2].upper())
    ahead = (target - today.weekday()) % 7
    if re.search(r"next\s+" + DAY_RE, m.group(0), re.I):
        ahead = ahead or 7
    return today + timedelta(days=ahead)


def _rule_of_cron(cron: str) -> str:
    """The RRULE a simple cron ("0 9 * * 1-5") fires like; refused for dates of the month."""
    minute, hour, dom, month, dow = cron.split()
    if dom != "*" or month != "*" or not minute.isdigit():
        raise InvalidInput(
            "It runs on a cron schedule I can't give an end to; say the new schedule with its "
            "end instead, e.g. “every weekday at 9am until December 25”."
        )
    hours = hour.split(",")
    if not all(h.isdigit() for h in hours):
        raise InvalidInput(
            "It runs every few hours on a cron schedule I can't give an end to; say the new "
            "schedule with its end instead."
        )
    body = f"BYHOUR={','.join(hours)};BYMINUTE={minute}"
    if dow == "*":
        return f"FREQ=DAILY;{body}"
    days = cron_days(dow)
    if days is None:
        raise InvalidInput("It runs on a cron schedule I can't give an end to.")
    ordered = days
    return f"FREQ=WEEKLY;BYDAY={','.join(ordered)};{body}"


def _never_runs(rule: str, tz: str, anchor: datetime | None, now: datetime) -> bool:
    try:
        return next_fire(parse_schedule(rrule=rule, tz=tz, anchor=anchor), now) is None
    except ScheduleError:  # a rule whose end comes before its first run
        return True


def end_changes(auto: Automation, request: str, now: datetime) -> dict[str, Any] | None:
    """The schedule changes that give `auto` a last day (or take it away), or None when the
    words say nothing of its end."""
    if stopped := _STOP_AT_TIME.match(request):
        said = stopped.group("when")
        raise InvalidInput(
            f"I can't pause or stop it at a time of day (“{said}”): say “pause #{auto.id}” to "
            f"pause it now, or give it a last day (“stop #{auto.id} after Friday”: that day's "
            "runs still happen)."
        )
    forever = _FOREVER.match(request)
    m = None if forever else _END.match(request)
    if not forever and m is None:
        return None
    if auto.trigger_type != "cron" or auto.run_once_at is not None:
        raise InvalidInput(
            "It doesn't repeat on a schedule, so it has no end date; pause or delete it instead."
        )
    if auto.cron_expression:
        body = _rule_of_cron(auto.cron_expression)
        anchor = None  # a cron schedule keeps no first run: one left from before is not its
    elif auto.rrule:
        body, anchor = auto.rrule, auto.schedule_anchor
    else:
        raise InvalidInput("It has no schedule to end.")
    parts = rrule_parts(body)
    had_end = "UNTIL" in parts or "COUNT" in parts
    parts.pop("UNTIL", None)
    parts.pop("COUNT", None)
    if forever:
        if not had_end:
            raise InvalidInput("It has no end date already; nothing changed.")
    else:
        assert m is not None
        zone = ZoneInfo(auto.timezone)
        last = _last_day(m, now.astimezone(zone).date())
        parts["UNTIL"] = f"{last:%Y%m%d}T235959"
    rule = ";".join(f"{k}={v}" for k, v in parts.items())
    if anchor is None:
        # DTSTART: the next run of the schedule as it stands, so the runs stay the same
        current = parse_schedule(
            cron=auto.cron_expression, rrule=auto.rrule, tz=auto.timezone, anchor=None
        )
        anchor = next_fire(current, now)
    if not forever and _never_runs(rule, auto.timezone, anchor, now):
        raise InvalidInput(
            "It has no run left by then, so it would never run again; nothing changed. "
            "Pause or delete it instead."
        )
    if rule == auto.rrule:
        raise InvalidInput("It ends then already; nothing changed.")
    changes: dict[str, Any] = {"rrule": rule}
    if anchor is not None:
        changes["anchor"] = anchor
    return changes
