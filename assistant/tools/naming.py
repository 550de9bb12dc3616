"""Names for automations made from words: what it does and when, short enough for a list
("Pipeline report, Mondays 9:00", "Stale candidate SLA, weekdays 8:30"). The schedule's full
wording, time zone included, stays in the automation's trigger description."""

from __future__ import annotations

import re

from assistant.language.draft import event_name, skill_title
from models.errors import ScheduleError
from models.tables.automations import Automation
from worker.schedule.describe import describe
from worker.schedule.for_automation import schedule_of

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
PLURAL_DAYS = ("Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays")
MAX_NAME = 200


def _day(token: str) -> int | None:
    token = token.strip().lower()
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token) % 7
    return DAY_NAMES.index(token[:3]) if token[:3] in DAY_NAMES else None


def _days(field: str) -> str | None:
    """A cron day-of-week field in words: "weekdays", "weekends", "Mondays and Thursdays"."""
    days: set[int] = set()
    for part in field.split(","):
        start, _, end = part.partition("-")
        first, last = _day(start), _day(end) if end else None
        if first is None or (end and last is None):
            return None
        if last is None:
            days.add(first)
        else:
            span = range(first, (last if last >= first else last + 7) + 1)
            days.update(d % 7 for d in span)
    if days == {1, 2, 3, 4, 5}:
        return "weekdays"
    if days == {0, 6}:
        return "weekends"
    if len(days) == 7:
        return "daily"
    names = [PLURAL_DAYS[d] for d in sorted(days, key=lambda d: (d + 6) % 7)]  # Monday first
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def when_from_cron(cron: str) -> str | None:
    """A short "when" for the common cron shapes; None for the others."""
    fields = cron.split()
    if len(fields) != 5:
        return None
    minute, hour, dom, month, dow = fields
    if month != "*":
        return None
    if re.fullmatch(r"\*/\d+", minute) and hour == "*" and dom == dow == "*":
        return f"every {minute[2:]} minutes"
    if minute.isdigit() and hour == "*" and dom == dow == "*":
        return "hourly"
    if minute.isdigit() and re.fullmatch(r"\*/\d+", hour) and dom == dow == "*":
        return f"every {hour[2:]} hours"
    if not (minute.isdigit() and hour.isdigit()):
        return None
    at = f"{int(hour)}:{int(minute):02d}"
    if dom == "*" and dow == "*":
        return f"daily {at}"
    if dom == "*":
        days = _days(dow)
        return f"{days} {at}" if days else None
    if dow == "*" and dom.isdigit():
        return f"monthly on the {_ordinal(int(dom))} {at}"
    return None


def automation_name(skill: str, when: str | None, fallback_words: str) -> str:
    """ "Pipeline report, Mondays 9:00"; with no short "when", the trigger words without
    their time zone."""
    base = skill_title(skill)
    if not when:
        words = re.sub(r"\s*\([A-Za-z_]+(?:/[A-Za-z_+\-0-9]+)*\)\s*$", "", fallback_words)
        when = f"{words[:1].lower()}{words[1:]}" if words else "scheduled"
    return f"{base}, {when}"[:MAX_NAME]


def is_generated(auto: Automation) -> bool:
    """Whether the automation's name is the one skilltick gives it (in any case: names given
    before acronyms kept theirs still follow)."""
    generated = generated_name(auto)
    return generated is not None and auto.name.casefold() == generated.casefold()


def generated_name(auto: Automation) -> str | None:
    """The name skilltick gives an automation with this skill and trigger, as it names one made
    from words; None when its schedule cannot be read. A stored name equal to it was generated,
    so it follows the automation's changes; any other name was given by a person and stays."""
    if auto.trigger_type == "event":
        return event_name(auto.skill, auto.event_type or "", auto.event_filter or {})
    if auto.trigger_type == "poll":
        minutes = auto.poll_interval_minutes
        return automation_name(auto.skill, f"every {minutes} minutes", "") if minutes else None
    when = when_from_cron(auto.cron_expression) if auto.cron_expression else None
    if when:
        return automation_name(auto.skill, when, "")
    try:
        schedule = schedule_of(auto)
    except ScheduleError:
        return None
    return automation_name(auto.skill, None, describe(schedule)) if schedule else None
