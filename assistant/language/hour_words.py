"""Hours in words: steps of minutes and hours ("every 15 minutes", "every other hour", "hourly"),
the window they run in ("between 9am and 5pm") and a minute past every hour ("at 20 past every
hour"). Read before the times of day, whose digits they share."""

from __future__ import annotations

import re

from assistant.language.clock_words import Text
from assistant.language.words import NUMBER_RE

INTERVAL = re.compile(
    r"\bevery\s+(" + NUMBER_RE + r"\s+|other\s+|second\s+)?(minutes?|mins?|hours?|hrs?)\b"
    r"|\bevery\s+half[- ]hour\b"
    r"|\bevery\s+quarter[- ]hour\b|\bhourly\b|\b(?:every|each)\s+hour\b|\bhalf[- ]hourly\b"
)
_BETWEEN = re.compile(
    r"\b(?:between|from)\s+(\d{1,2})(?::00)?\s*(am|pm)?\s+(?:and|to|till|until|-)\s+"
    r"(\d{1,2})(:59)?\s*(am|pm)?\b"
)
_PAST_HOUR = re.compile(
    r"\b(?:every\s+hour\s+|hourly\s+|each\s+hour\s+)?at\s+(\d{1,2})\s+(?:minutes?\s+)?(?:past|after)\s+"
    r"(?:every|each|the)\s+hour\b|\b(?:every|each)\s+hour\s+at\s+(\d{1,2})\s+(?:minutes\s+)?past\b"
    r"|\b(?:hourly|every\s+hour|each\s+hour)\s+at\s+:(\d{2})\b"
    r"|\b(?:(?:every|each)\s+hour\s+|hourly\s+)?on\s+the\s+hour\b"
)


def read_past_hour(text: Text) -> int | None:
    """ "at 20 past every hour", "hourly at :20": the minute (read before times of day)."""
    if m := text.pop(_PAST_HOUR):
        return int(m.group(1) or m.group(2) or m.group(3) or 0)
    return None


def read_window(text: Text, hourly: bool = False) -> tuple[int, int, bool] | None:
    """ "every hour between 9am and 5pm": the hours an interval runs in (read before times)."""
    if not (hourly or INTERVAL.search(text.low)) or not (b := text.pop(_BETWEEN)):
        return None
    start, end = int(b.group(1)), int(b.group(3))
    start += 12 if b.group(2) == "pm" and start < 12 else 0
    start -= 12 if b.group(2) == "am" and start == 12 else 0
    end += 12 if (b.group(5) == "pm" or end < start) and end < 12 else 0
    # "between 09:00 AM and 05:59 PM" (a read-back) is the whole of the hours 9 to 17
    return start, end, bool(b.group(4))
