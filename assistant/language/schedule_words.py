"""The schedule part of a request, read on its own: the rules about hours, windows, times, days,
dates and bounds in their fixed order, then one When. Any time word no rule read makes the When
a question. Used for requests, for read-backs and for schedules Claude proposes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from assistant.language.calendar_rules import When, build_when
from assistant.language.calendar_words import read_calendar
from assistant.language.clock_words import Text, read_times, read_zone
from assistant.language.hour_words import read_past_hour, read_window
from assistant.language.leftovers import leftover_question
from models.clock import utc


def read_when(text: Text, tz: str, now: datetime) -> When:
    """What `text` says about when (the working text loses what was read). `when.unread` is the
    question about a time word no rule read, for the caller to ask once nothing else is."""
    past_hour = read_past_hour(text)
    window = read_window(text, hourly=past_hour is not None)
    times = read_times(text)
    facts = read_calendar(text, now.astimezone(ZoneInfo(tz)).date(), window)
    facts.past_hour = past_hour
    if past_hour is not None:
        facts.hour_range = window
    when = When()
    if times.times or facts.recurring or facts.once or times.question or facts.question:
        when = build_when(facts, times, tz, now)
    when.unread = leftover_question(text)
    return when


def understand_schedule(words: str, *, tz: str, now: datetime) -> When:
    """A schedule said in words alone ("Every 2 weeks on Tuesday at 10:00 (Europe/London)"):
    a When with a schedule, or with the question to ask instead."""
    now = utc(now)
    text = Text(words.strip())
    zone, question = read_zone(text)
    when = read_when(text, zone or tz, now)
    when.question = question or when.question or when.unread
    if when.schedule is None and when.question is None:
        when.question = "When should it run? For example “every Monday at 9am”."
    if when.question:
        when.schedule = None
    return when
