"""When a pause ends, for the words that name a span rather than a day: "for 3 hours", "a
fortnight", "next week", "the end of the month", "the weekend", "January", "the 15th", "5pm",
"tonight". Days and dates ("Monday", "March 3rd at 9am") are the calendar words' business;
until_in_words reads a pause's end either way.

A pause "until next week" or "until the end of the month" ends when that period starts: at
midnight, in the speaker's zone, so the automations are back for the first working morning."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from assistant.language.calendar_rules import once_at
from assistant.language.calendar_words import read_calendar
from assistant.language.clock_words import Text, read_times
from assistant.language.words import NUMBER_WORDS
from models.errors import InvalidInput

#: the amounts said in words ("a", "two", "a couple of"); "several" names none
_COUNTS = {word: n for word, n in NUMBER_WORDS.items() if n is not None}
_COUNT = r"(\d+|" + "|".join(sorted(_COUNTS, key=len, reverse=True)) + r")"
_UNITS = {
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "hr": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "fortnight": timedelta(weeks=2),
}
# "in 2 weeks" is a date (the calendar words read it); "2 weeks" and "the next 2 weeks" a span
_SPAN = re.compile(
    r"(?:for\s+)?(?:the\s+next\s+)?"
    + _COUNT
    + r"\s+(minute|min|hour|hr|day|week|fortnight|month)s?"
)
_HALF = re.compile(r"(?:for\s+)?half\s+an\s+hour")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH = re.compile(r"(?:the\s+)?(?:start\s+of\s+|beginning\s+of\s+)?(" + "|".join(_MONTHS) + r")")
_DAY_OF_MONTH = re.compile(r"the\s+(\d{1,2})(?:st|nd|rd|th)?")
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)|(\d{1,2}):(\d{2})|(noon|midday|midnight)")
# a part of today: the pause ends when it starts (or tomorrow's, once it has)
_PARTS = {"this afternoon": time(12), "this evening": time(18), "tonight": time(18)}
_END_OF = r"(?:the\s+)?(?:end|rest)\s+of\s+(?:the|this)\s+"


def span_end(words: str, tz: str, now: datetime) -> datetime | None:
    """The instant a pause "until/for `words`" ends, or None when the words name no span (they
    may still name a day: the caller reads those)."""
    low = re.sub(r"\s+", " ", words.strip().lower()).removesuffix(".")
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    today = local.date()
    if _HALF.fullmatch(low):
        return now + timedelta(minutes=30)
    if m := _SPAN.fullmatch(low):
        count = _COUNTS.get(m.group(1).replace("-", " ")) or int(m.group(1))
        if m.group(2) == "month":  # the same day of the month, later: a calendar step
            return (local + relativedelta(months=count)).astimezone(now.tzinfo)
        return now + count * _UNITS[m.group(2)]
    start: date | None = None
    if re.fullmatch(
        r"(?:the\s+)?next\s+week|" + _END_OF + r"week|(?:after|the\s+end\s+of)\s+the\s+weekend", low
    ):
        start = today + timedelta(days=7 - today.weekday())
    elif re.fullmatch(r"(?:the\s+)?weekend", low):
        start = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    elif re.fullmatch(r"(?:the\s+)?next\s+month|" + _END_OF + r"month", low):
        start = (today + relativedelta(months=1)).replace(day=1)
    elif re.fullmatch(r"(?:the\s+)?next\s+year|(?:the\s+)?new\s+year|" + _END_OF + r"year", low):
        start = date(today.year + 1, 1, 1)
    elif m := _MONTH.fullmatch(low):
        month = _MONTHS.index(m.group(1)) + 1
        start = date(today.year + (month <= today.month), month, 1)
    elif m := _DAY_OF_MONTH.fullmatch(low):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            return None
        start = _next_day_of_month(today, day)
    if start is not None:
        return _local(start, time(0), zone)
    clock = _clock(low)
    if clock is None:
        return None
    at = _local(today, clock, zone)
    return at if at > now else _local(today + timedelta(days=1), clock, zone)


def until_in_words(request: str, tz: str, now: datetime) -> datetime:
    """ "until Monday" -> the start of Monday in `tz`; "until March 3rd at 9am" -> that time."""
    words = re.sub(r"^\s*(?:until|till|til|through|for)\s+", "", request.strip(), flags=re.I)
    if (end := span_end(words, tz, now)) is not None:
        return end
    text = Text(words)
    times = read_times(text)
    facts = read_calendar(text, now.astimezone(ZoneInfo(tz)).date())
    if times.question or facts.question:
        raise InvalidInput(times.question or facts.question)
    if facts.days and not facts.single_day and len(facts.days) == 1:
        facts.single_day, facts.days = facts.days[0], []
    if not facts.once:
        raise InvalidInput(
            "Until when? Give a day or a date, e.g. “until Monday” or “until March 3rd”."
        )
    hour, minute = times.times[0] if times.times else (0, 0)
    at, question = once_at(facts, hour, minute, True, ZoneInfo(tz), now)
    if at is None:
        raise InvalidInput(question or "That date is in the past.")
    return at


def is_span(words: str) -> bool:
    """Whether `words` name a span a pause can last ("2 weeks", "next month"), whatever now is."""
    return span_end(words, "UTC", datetime(2000, 1, 3, tzinfo=ZoneInfo("UTC"))) is not None


def _clock(low: str) -> time | None:
    if low in _PARTS:
        return _PARTS[low]
    m = _CLOCK.fullmatch(low)
    if m is None:
        return None
    if m.group(6):
        return time(0) if m.group(6) == "midnight" else time(12)
    if m.group(3):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return time(hour % 12 + (12 if m.group(3) == "pm" else 0), minute)
    hour, minute = int(m.group(4)), int(m.group(5))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _next_day_of_month(today: date, day: int) -> date:
    """The next date after today that is the `day`th of its month (months too short skipped)."""
    month = today.replace(day=1)
    for _ in range(14):
        if day > today.day or month != today.replace(day=1):
            try:
                return month.replace(day=day)
            except ValueError:  # the 31st of a 30-day month
                pass
        month = month + relativedelta(months=1)
    raise AssertionError("unreachable: every day 1-31 occurs within 14 months")


def _local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """`day` at `clock` in `zone`. A wall time a DST change skips reads with the offset before
    the change (fold 0): the instant of the change itself; a repeated one is its first."""
    return datetime.combine(day, clock, tzinfo=zone)
