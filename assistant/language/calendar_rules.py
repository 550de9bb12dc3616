"""From what the request says about days, dates and times to one schedule (worker.schedule
builders), a stated default, or one question when the words contradict each other."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from assistant.language.calendar_words import CalendarFacts, mention_days
from assistant.language.clock_words import TimesOfDay, default_time
from models.clock import utc
from models.errors import ScheduleError
from worker.schedule.builders import weekly
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


def _local(zone: ZoneInfo, day: date, hour: int, minute: int) -> datetime:
    # fold=0: a time in a spring-forward gap is read with the offset before it (RFC 5545)
    return utc(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))


def once_at(
    facts: CalendarFacts, hour: int, minute: int, timed: bool, zone: ZoneInfo, now: datetime
) -> tuple[datetime | None, str | None]:
    today = now.astimezone(zone).date()
    if facts.after is not None:
        if timed and facts.after >= timedelta(days=1):
            return _local(zone, (now + facts.after).astimezone(zone).date(), hour, minute), None
        return (now + facts.after).replace(second=0, microsecond=0), None
    if facts.relative_day is not None:
        at = _local(zone, today + timedelta(days=facts.relative_day), hour, minute)
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
        at = _local(zone, date(year or today.year, month, day), hour, minute)
        if at <= now and year is None:
            try:
                at = _local(zone, date(today.year + 1, month, day), hour, minute)
            except ValueError:
                return None, f"{calendar.month_name[month]} {day} does not come next year."
        if at <= now:
            return None, "That date is in the past; which date do you mean?"
        return at, None
    assert facts.single_day is not None
    target = _DAY_INDEX[facts.single_day]
    ahead = (target - today.weekday()) % 7
    if facts.next_week and ahead == 0:
        ahead = 7
    at = _local(zone, today + timedelta(days=ahead), hour, minute)
    if at <= now:
        at = _local(zone, today + timedelta(days=ahead + 7), hour, minute)
    return at, None


def _anchor(days: list[str], hour: int, minute: int, zone: ZoneInfo, now: datetime) -> datetime:
    """Every other week counts from the week of the next matching day, so it starts soon."""
    today = now.astimezone(zone).date()
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]
        if code in days and _local(zone, day, hour, minute) > now:
            return _local(zone, day, 0, 0)
    return _local(zone, today, 0, 0)


def _interval(facts: CalendarFacts, tz: str, when: When) -> Schedule:
    n = facts.interval_minutes or 1
    dow = _dow(facts.days) if facts.days else "*"
    hours = f"{facts.hour_range[0]}-{facts.hour_range[1] - 1}" if facts.hour_range else "*"
    if n < 60 and 60 % n == 0:
        return parse_schedule(cron=f"{'*' if n == 1 else f'*/{n}'} {hours} * * {dow}", tz=tz)
    if n % 60 == 0 and 24 % (n // 60) == 0 and (n == 60 or facts.days or facts.hour_range):
        step = n // 60
        span = f"{facts.hour_range[0]}-{facts.hour_range[1]}" if facts.hour_range else "*"
        return parse_schedule(cron=f"0 {span}{f'/{step}' if step > 1 else ''} * * {dow}", tz=tz)
    freq = "HOURLY" if n % 60 == 0 else "MINUTELY"
    body = f"FREQ={freq};INTERVAL={n // 60 if freq == 'HOURLY' else n}"
    if facts.days:
        body += ";BYDAY=" + ",".join(facts.days)
    if facts.hour_range:
        when.question = "Between which hours exactly? I can only do that for whole-hour steps."
    return parse_schedule(rrule=body, tz=tz)


def build_when(facts: CalendarFacts, times: TimesOfDay, tz: str, now: datetime) -> When:
    """The schedule the words describe; `question` set when they cannot make one."""
    when = When()
    when.question = times.question or facts.question or _contradiction(facts, times)
    if when.question:
        return when
    zone = ZoneInfo(tz)
    if times.times:
        hour, minute = times.times[0]
    else:
        hour, minute = default_time(times.part_of_day)
    timed = bool(times.times)
    if facts.interval_minutes:
        when.schedule = _interval(facts, tz, when)
        if not facts.days and not facts.hour_range:
            when.interval_minutes = facts.interval_minutes
        return when
    if facts.once:
        if not timed and facts.after is None:
            when.defaults.append(f"at {_hhmm(hour, minute)}, as you named no time")
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
    hours = ",".join(str(h) for h in sorted({h for h, _ in times.times})) or str(hour)
    if not timed:
        when.defaults.append(f"at {_hhmm(hour, minute)}, as you named no time")
    try:
        when.schedule = _recurring(facts, hours, hour, minute, tz, zone, now, when)
    except ScheduleError as exc:
        when.question = f"{exc}. Could you say it another way?"
    return when


def _recurring(
    facts: CalendarFacts,
    hours: str,
    hour: int,
    minute: int,
    tz: str,
    zone: ZoneInfo,
    now: datetime,
    when: When,
) -> Schedule | None:
    if facts.yearly or (facts.date and not facts.once):
        if facts.date is None:
            when.question = "On which date each year?"
            return None
        _, month, day = facts.date
        if day > calendar.monthrange(2024, month)[1]:
            when.question = f"{calendar.month_name[month]} has no day {day}; which date?"
            return None
        return parse_schedule(cron=f"{minute} {hours} {day} {month} *", tz=tz)
    months = "1,4,7,10" if facts.quarterly else "*"
    if facts.nth_weekday:
        nth, code = facts.nth_weekday
        if code == "WD":
            interval = ";INTERVAL=3" if facts.quarterly else ""
            body = (
                f"FREQ=MONTHLY{interval};BYDAY=MO,TU,WE,TH,FR;BYSETPOS={nth};"
                f"BYHOUR={hours};BYMINUTE={minute}"
            )
            return parse_schedule(rrule=body, tz=tz)
        field = f"{_CRON_DOW[code]}#{nth}" if nth > 0 else f"{_CRON_DOW[code]}L"
        return parse_schedule(cron=f"{minute} {hours} * {months} {field}", tz=tz)
    if facts.last_day_of_month:
        interval = ";INTERVAL=3" if facts.quarterly else ""
        return parse_schedule(
            rrule=f"FREQ=MONTHLY{interval};BYMONTHDAY=-1;BYHOUR={hours};BYMINUTE={minute}", tz=tz
        )
    if facts.month_days or facts.monthly or facts.quarterly:
        days = sorted(set(facts.month_days))
        if not days:
            days = [1]
            when.defaults.append("on the 1st of the month, as you named no day")
        if any(d > 28 for d in days):
            when.defaults.append("months without that day are skipped")
        return parse_schedule(cron=f"{minute} {hours} {','.join(map(str, days))} {months} *", tz=tz)
    days = facts.days
    if not days and (facts.weekly or facts.every_weeks > 1):
        days = ["MO"]
        when.defaults.append("on Mondays, as you named no day")
    if days and facts.every_weeks > 1:
        if "," in hours:
            when.question = "Every few weeks I can run once a day only; which time?"
            return None
        anchor = _anchor(days, hour, minute, zone, now)
        return weekly(days, hour, minute, tz=tz, every_weeks=facts.every_weeks, anchor=anchor)
    if days:
        return parse_schedule(cron=f"{minute} {hours} * * {_dow(days)}", tz=tz)
    return parse_schedule(cron=f"{minute} {hours} * * *", tz=tz)


def describe_days(days: list[str]) -> str:
    return mention_days(days)
