"""A past window of the speaker's calendar as a question says it: "today", "yesterday", "this
week" (since Monday), "last week" (Monday to Monday before this one), "this month", "last month",
"since Monday", "in the last 3 days". Each is [start, end) in the speaker's zone with the words
an answer says it in, so an answer states exactly which span it covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.language.words import NUMBER_RE, number

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = "(?:" + "|".join(_DAYS) + ")"
_UNIT = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(days=7)}
# the words of a window, as a regular expression a question can carry
WINDOW = (
    r"(?:today|yesterday|this (?:week|month)|last (?:week|month)|since (?:"
    + "|".join(_DAYS)
    + r"|yesterday)|(?:in|over|during|within) the (?:last|past) (?:"
    + NUMBER_RE
    + r") (?:hours?|days?|weeks?)|in the (?:last|past) (?:hour|day|week|month))"
)


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime
    said: str  # "this week (since Mon 30 Nov)"

    def holds(self, instant: datetime) -> bool:
        return self.start <= _aware(instant) < self.end


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=ZoneInfo("UTC"))


def window(words: str, now: datetime, zone: ZoneInfo) -> Window | None:
    """The window `words` name up to `now`; None when they name none."""
    words = re.sub(r"\s+", " ", words.strip().lower())
    now = _aware(now)
    local = now.astimezone(zone)
    today = datetime.combine(local.date(), time(0), zone)
    monday = today - timedelta(days=local.weekday())
    first = today.replace(day=1)
    if words == "today":
        return Window(today, now, "today")
    if words in ("yesterday", "since yesterday"):
        start = _midnight(today - timedelta(days=1), zone)
        end = now if words.startswith("since") else today
        return Window(start, end, f"{words} ({start:%a %d %b})")
    if words == "this week":
        return Window(monday, now, f"this week (since Mon {monday:%d %b})")
    if words == "last week":
        start = _midnight(monday - timedelta(days=7), zone)
        return Window(
            start,
            monday,
            f"last week (Mon {start:%d %b} to Sun {monday - timedelta(days=1):%d %b})",
        )
    if words == "this month":
        return Window(first, now, f"this month (since 1 {first:%b})")
    if words == "last month":
        start = _midnight((first - timedelta(days=1)).replace(day=1), zone)
        return Window(start, first, f"last month ({start:%B})")
    if m := re.fullmatch(rf"(last )?({WEEKDAY})", words):
        # "Monday": the latest Monday, today's included; "last Monday": the one before today
        back = (local.weekday() - _DAYS.index(m.group(2))) % 7 or (7 if m.group(1) else 0)
        start = _midnight(today - timedelta(days=back), zone)
        end = now if back == 0 else _midnight(start + timedelta(days=1, hours=12), zone)
        return Window(start, end, f"on {start:%a %d %b}")
    if m := re.fullmatch(r"since (\w+)", words):
        if m.group(1) not in _DAYS:
            return None
        back = (local.weekday() - _DAYS.index(m.group(1))) % 7
        start = _midnight(today - timedelta(days=back), zone)
        return Window(start, now, f"since {start:%a %d %b}")
    if m := re.fullmatch(
        rf"(?:in|over|during|within) the (?:last|past) (?:({NUMBER_RE}) )?(hour|day|week|month)s?",
        words,
    ):
        amount = number(m.group(1)) if m.group(1) else 1
        if amount is None or amount < 1:
            return None
        unit = m.group(2)
        span = timedelta(days=30) if unit == "month" else _UNIT[unit]
        start = now - span * amount
        said = f"in the last {amount} {unit}s" if amount > 1 else f"in the last {unit}"
        if unit == "day" and amount == 1:
            said = "in the last 24 hours"
        return Window(start, now, said)
    return None


def _midnight(instant: datetime, zone: ZoneInfo) -> datetime:
    """The midnight of `instant`'s date in `zone` (days around a clock change are not 24h)."""
    return datetime.combine(instant.astimezone(zone).date(), time(0), zone)
