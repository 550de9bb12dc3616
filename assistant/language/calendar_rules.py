"""From what the request says about days, dates and times to one schedule (worker.schedule
builders), a stated default, or one question when the words contradict each other."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from assistant.language.calendar_words import CalendarFacts
from assistant.language.clock_words import TimesOfDay, default_time
from assistant.language.recurrence import Rule, compile_rule
from assistant.language.weekday_words import mention_days
from models.clock import utc
from models.errors import ScheduleError
from worker.schedule.parse import Schedule, parse_schedule

_CRON_DOW = {"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}
_DAY_INDEX = {code: i for i, code in enumerate(("MO", "TU", "WE", "TH", "FR", "SA", "SU"))}


@dataclass
class When:
    schedule: Schedule | None = None
    # a plain "every N minutes/hours" (no days, no hours): new-candidate checks become polls
    interval_minutes: int | None = None
    defaults: list[str] = field(default_factory=list)
    question: str | None = None
    unread: str | None = None  # the question about a time word no rule read
    # a time of day alone, said with no day and no cadence (`question` asks how often)
    time_alone: tuple[int, int] | None = None


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _dow(days: list[str]) -> str:
    if days == ["MO", "TU", "WE", "TH", "FR"]:
        return "1-5"
    return ",".join(str(_CRON_DOW[d]) for d in days)


def _contradiction(facts: CalendarFacts, times: TimesOfDay) -> str | None:
    said = " and ".join(dict.fromkeys(facts.mentions)) or "those days"
    if facts.once and facts.recurring:
        return (
            f"Should this run once or repeat? You said {said}. Tell me either one date "
            "and time, or how often."
        )
    if (
        sum(x is not None for x in (facts.date, facts.single_day, facts.relative_day, facts.after))
        > 1
    ):
        return f"Which date do you mean? You said {said}."
    if facts.daily and (facts.days or facts.month_days or facts.nth_weekday):
        return f"Every day, or only on some days? You said {said}."
    monthly = facts.month_days or facts.nth_weekday or facts.last_day_of_month
    if monthly and facts.days:
        return f"Which days do you mean? You said {said}; pick a day of the month or of the week."
    if facts.interval_minutes and times.times:
        return (
            f"Every {facts.interval_minutes} minutes, or at "
            f"{_hhmm(*times.times[0])}? Say one or the other."
        )
    if facts.once and len(times.times) > 1:
        return f"Once at which time: {' or '.join(_hhmm(*t) for t in times.times)}?"
    return None


def local_at(zone: ZoneInfo, day: date, hour: int, minute: int) -> datetime:
    # fold=0: a time in a spring-forward gap is read with the offset before it (RFC 5545)
    return utc(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))


def once_at(
    facts: CalendarFacts, hour: int, minute: int, timed: bool, zone: ZoneInfo, now: datetime
) -> tuple[datetime | None, str | None]:
    today = now.astimezone(zone).date()
    if facts.after is not None:
        if timed and facts.after >= timedelta(days=1):
            return local_at(zone, (now + facts.after).astimezone(zone).date(), hour, minute), None
        return (now + facts.after).replace(second=0, microsecond=0), None
    if facts.relative_day is not None:
        at = local_at(zone, today + timedelta(days=facts.relative_day), hour, minute)
        if at <= now:
            return None, (
                f"{_hhmm(hour, minute)} today has already passed; did you mean "
                "tomorrow, or a later time?"
            )
        return at, None
    if facts.date is not None:
        year, month, day = facts.date
        try:
            date(year or today.year, month, day)
        except ValueError:
            return None, (f"{calendar.month_name[month]} has no day {day}; which date do you mean?")
        at = local_at(zone, date(year or today.year, month, day), hour, minute)
        if at <= now and year is None:
            try:
                at = local_at(zone, date(today.year + 1, month, day), hour, minute)
            except ValueError:
                return None, f"{calendar.month_name[month]} {day} does not come next year."
        if at <= now:
            return None, "That date is in the past; which date do you mean?"
        return at, None
    if facts.single_day is None:  # "just once": the next time it is that time of day
        at = local_at(zone, today, hour, minute)
        return (at if at > now else local_at(zone, today + timedelta(days=1), hour, minute)), None
    target = _DAY_INDEX[facts.single_day]
    ahead = (target - today.weekday()) % 7
    if facts.next_week and ahead == 0:
        ahead = 7
    at = local_at(zone, today + timedelta(days=ahead), hour, minute)
    if at <= now:
        at = local_at(zone, today + timedelta(days=ahead + 7), hour, minute)
    return at, None


def _minute_hours(facts: CalendarFacts) -> str:
    """The cron hours of minute steps in a window: "9 to 5" runs 9:00-16:59."""
    if facts.hour_range is None:
        return "*"
    first, last, whole_last = facts.hour_range
    return f"{first}-{last if whole_last else last - 1}"


def _interval(facts: CalendarFacts, tz: str, when: When, now: datetime) -> Schedule:
    n = facts.interval_minutes or 1
    dow = _dow(facts.days) if facts.days else "*"
    months = ",".join(map(str, facts.bounds.months)) or "*"
    hours = _minute_hours(facts)
    if n < 60 and 60 % n == 0:
        return parse_schedule(cron=f"{'*' if n == 1 else f'*/{n}'} {hours} * {months} {dow}", tz=tz)
    if n % 60 == 0 and 24 % (n // 60) == 0 and (n == 60 or facts.days or facts.hour_range):
        step = n // 60
        span = f"{facts.hour_range[0]}-{facts.hour_range[1]}" if facts.hour_range else "*"
        return parse_schedule(
            cron=f"0 {span}{f'/{step}' if step > 1 else ''} * {months} {dow}", tz=tz
        )
    freq = "HOURLY" if n % 60 == 0 else "MINUTELY"
    body = f"FREQ={freq};INTERVAL={n // 60 if freq == 'HOURLY' else n}"
    # steps count from 2026-01-05 00:00 local, the default start; asked before it, start
    # whole steps earlier so the first run is not held back
    origin = utc(datetime(2026, 1, 5, tzinfo=ZoneInfo(tz)))
    stride = timedelta(minutes=n)
    anchor = origin - stride * -((now - origin) // stride) if now < origin else None
    if facts.days:
        body += ";BYDAY=" + ",".join(facts.days)
    if facts.bounds.months:
        body += ";BYMONTH=" + months
    if facts.hour_range:
        when.question = "Between which hours exactly? I can only do that for whole-hour steps."
    return parse_schedule(rrule=body, tz=tz, anchor=anchor)


def build_when(facts: CalendarFacts, times: TimesOfDay, tz: str, now: datetime) -> When:
    """The schedule the words describe; `question` set when they cannot make one."""
    when = When()
    when.question = times.question or facts.question or _contradiction(facts, times)
    if when.question:
        return when
    when.defaults.extend(times.assumed)
    zone = ZoneInfo(tz)
    if times.times:
        hour, minute = times.times[0]
    else:
        hour, minute = default_time(times.part_of_day)
    timed = bool(times.times)
    bounds = facts.bounds
    ends = bounds.count or bounds.until or bounds.span or bounds.start
    if (facts.interval_minutes or facts.past_hour is not None) and ends:
        said = " and ".join(bounds.mentions) or "that end"
        when.question = (
            f"I can't yet stop or start an every-few-minutes schedule by date or count "
            f"('{said}'); shall it just run on, or would a daily schedule do?"
        )
        return when
    if facts.past_hour is not None:
        if times.times or facts.interval_minutes not in (None, 60):
            when.question = "Every hour, or at the times you named? Say one or the other."
            return when
        dow = _dow(facts.days) if facts.days else "*"
        months = ",".join(map(str, bounds.months)) or "*"
        hours = _minute_hours(facts)
        when.schedule = parse_schedule(cron=f"{facts.past_hour} {hours} * {months} {dow}", tz=tz)
        return when
    if facts.interval_minutes:
        when.schedule = _interval(facts, tz, when, now)
        if not facts.days and not facts.hour_range:
            when.interval_minutes = facts.interval_minutes
        return when
    if facts.once and (ends or bounds.months):
        said = " and ".join(bounds.mentions)
        when.question = f"Should this run once, or repeat ({said})? Tell me how often."
        return when
    if facts.once:
        if not timed and facts.after is None:
            when.defaults.append(
                f"at {_hhmm(hour, minute)}, as you named no time (say another time if you prefer)"
            )
        at, when.question = once_at(facts, hour, minute, timed, zone, now)
        if at is not None:
            when.schedule = parse_schedule(once=at, tz=tz)
        return when
    if not facts.recurring:
        if timed:
            when.question = (
                f"How often should it run at {_hhmm(hour, minute)}: every day, "
                "on weekdays, once a week, or just once?"
            )
            if len(times.times) == 1:
                when.time_alone = (hour, minute)
        return when
    minutes = {m for _, m in times.times}
    if len(minutes) > 1:
        when.question = (
            "Those times have different minutes; I can run several times a day "
            "only at the same minute past each hour. Which times exactly?"
        )
        return when
    if facts.times_a_day and len(times.times) != facts.times_a_day:
        when.question = f"At which {facts.times_a_day} times of day?"
        return when
    hour_list = sorted({h for h, _ in times.times}) or [hour]
    if not timed:
        when.defaults.append(
            f"at {_hhmm(hour, minute)}, as you named no time (say another time if you prefer)"
        )
    try:
        rule = _rule(facts, hour_list, minute, when)
        when.schedule = compile_rule(rule, tz, now) if rule is not None else None
    except ScheduleError as exc:
        when.question = f"{exc}. Could you say it another way?"
    return when


def _yearly(facts: CalendarFacts, common: dict[str, Any], when: When) -> Rule | None:
    assert facts.date is not None
    _, month, day = facts.date
    if day > calendar.monthrange(2024, month)[1]:
        when.question = f"{calendar.month_name[month]} has no day {day}; which date?"
        return None
    if common["months"] and month not in common["months"]:
        when.question = (
            f"{calendar.month_name[month]} {day} is outside the months you named; which?"
        )
        return None
    common["months"] = [month]
    return Rule("YEARLY", interval=facts.every_years, month_days=[day], **common)


def _rule(facts: CalendarFacts, hours: list[int], minute: int, when: When) -> Rule | None:
    """The recurrence the words describe, or None with `when.question` set."""
    bounds = facts.bounds
    months = list(bounds.months)
    if facts.quarterly:
        quarters = [3, 6, 9, 12] if facts.quarter_end else [1, 4, 7, 10]
        months = [m for m in quarters if m in months] if months else quarters
    common: dict[str, Any] = {
        "hours": hours,
        "minute": minute,
        "months": months,
        "count": bounds.count,
        "until": bounds.until,
        "until_time": bounds.until_time,
        "span": bounds.span,
        "start": bounds.start,
    }
    monthly_every = facts.every_months
    if facts.date and (facts.yearly or not facts.once):
        return _yearly(facts, common, when)
    if facts.yearly and not (facts.nth_weekday or months or facts.month_days):
        when.question = "On which date each year?"
        return None
    if facts.yearly and facts.every_years > 1:
        monthly_every = 12 * facts.every_years
    if facts.every_days > 1 and (facts.days or facts.month_days or facts.nth_weekday):
        when.question = "Every few days, or on the days you named? Say one or the other."
        return None
    if facts.nth_weekday:
        nth, code = facts.nth_weekday
        if code == "WD":
            return Rule(
                "MONTHLY",
                interval=monthly_every,
                days=["MO", "TU", "WE", "TH", "FR"],
                setpos=nth,
                **common,
            )
        nths = facts.nths or [nth]
        return Rule("MONTHLY", interval=monthly_every, days=[f"{n}{code}" for n in nths], **common)
    if facts.last_day_of_month:
        days = [*sorted(set(facts.month_days)), -facts.from_end]
        return Rule("MONTHLY", interval=monthly_every, month_days=days, **common)
    if facts.month_days or facts.monthly or facts.quarterly or bounds.every_month_named:
        days = sorted(set(facts.month_days))
        if not days:
            days = [1]
            when.defaults.append(
                "on the 1st of the month, as you named no day (say another day if you prefer)"
            )
        if any(d > 28 for d in days):
            when.defaults.append("months without that day are skipped")
        return Rule("MONTHLY", interval=monthly_every, month_days=days, **common)
    if facts.every_days > 1:
        return Rule("DAILY", interval=facts.every_days, **common)
    weekdays = facts.days
    if not weekdays and (facts.weekly or facts.every_weeks > 1):
        weekdays = ["MO"]
        when.defaults.append("on Mondays, as you named no day (say another day if you prefer)")
    if weekdays:
        return Rule("WEEKLY", interval=facts.every_weeks, days=weekdays, **common)
    return Rule("DAILY", **common)


def describe_days(days: list[str]) -> str:
    return mention_days(days)
