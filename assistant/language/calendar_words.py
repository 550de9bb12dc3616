"""Days and dates in words: "weekdays", "Mondays and Thursdays", "every other Tuesday", "on the
1st", "the last Friday of the month", "on March 3rd", "tomorrow", "in 2 hours", "every 15
minutes". Produces the raw facts; calendar_rules.py turns them into a schedule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from assistant.language.clock_words import Text
from assistant.language.words import (
    DAY_CODES,
    DAY_RE,
    DAY_WORDS,
    MONTH_NUMBERS,
    MONTH_RE,
    NUMBER_RE,
    ORDINAL_RE,
    ORDINALS,
    number,
)


@dataclass
class CalendarFacts:
    days: list[str] = field(default_factory=list)  # MO..SU, recurring
    single_day: str | None = None  # "on Friday", "next Monday": one day, once
    next_week: bool = False  # "next Monday": not this week's
    every_weeks: int = 1
    daily: bool = False
    part_daily: bool = False  # "every morning": daily unless days are named
    weekly: bool = False
    monthly: bool = False
    quarterly: bool = False
    yearly: bool = False
    month_days: list[int] = field(default_factory=list)
    last_day_of_month: bool = False
    nth_weekday: tuple[int, str] | None = None  # (1..4 | -1, "MO" | "WD" for a weekday)
    date: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    relative_day: int | None = None  # tomorrow = 1, today = 0
    after: timedelta | None = None  # "in 2 hours"
    interval_minutes: int | None = None  # every N minutes / hours
    hour_range: tuple[int, int] | None = None  # "between 9 and 5"
    times_a_day: int | None = None  # "twice a day"
    question: str | None = None
    mentions: list[str] = field(default_factory=list)  # what was read, for contradictions

    @property
    def recurring(self) -> bool:
        return bool(
            self.days
            or self.daily
            or self.part_daily
            or self.weekly
            or self.monthly
            or self.quarterly
            or self.yearly
            or self.month_days
            or self.last_day_of_month
            or self.nth_weekday
            or self.interval_minutes
            or self.times_a_day
        )

    @property
    def once(self) -> bool:
        return bool(
            self.single_day
            or (self.date and not self.yearly)
            or self.relative_day is not None
            or self.after
        )


def _codes(word: str) -> str | None:
    word = word.lower().rstrip("s") if word.lower() not in ("tues", "thurs", "weds") else word
    for length in (len(word), 5, 4, 3, 2):
        code = DAY_WORDS.get(word[:length].lower())
        if code:
            return code
    return None


def _day_range(first: str, last: str) -> list[str]:
    a, b = DAY_CODES.index(first), DAY_CODES.index(last)
    if a <= b:
        return list(DAY_CODES[a : b + 1])
    return list(DAY_CODES[a:]) + list(DAY_CODES[: b + 1])


_INTERVAL = re.compile(
    r"\bevery\s+(" + NUMBER_RE + r"\s+)?(minutes?|mins?|hours?|hrs?)\b|\bevery\s+half[- ]hour\b"
    r"|\bevery\s+quarter[- ]hour\b|\bhourly\b|\b(?:every|each)\s+hour\b|\bhalf[- ]hourly\b"
)
_BETWEEN = re.compile(
    r"\b(?:between|from)\s+(\d{1,2})\s*(am|pm)?\s+(?:and|to|till|until|-)\s+"
    r"(\d{1,2})\s*(am|pm)?\b"
)
_AFTER = re.compile(
    r"\bin\s+(half an?|" + NUMBER_RE + r")\s+(minutes?|mins?|hours?|hrs?|days?"
    r"|weeks?)\b"
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(
    r"\b(?:on\s+)?(" + MONTH_RE + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(\d{4}))?"
)
_DAY_MONTH = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
    + MONTH_RE
    + r")\b(?:,?\s+(\d{4}))?"
)
_NTH_WEEKDAY = re.compile(
    r"\b(?:on\s+)?(?:the\s+|every\s+|each\s+)?("
    + ORDINAL_RE
    + r")\s+("
    + DAY_RE
    + r"|weekday|business day|working day|work day|day)"
    r"(?:\s+(?:of|in)\s+(?:the|each|every|a)\s+(month|quarter))?"
)
_MONTH_DAYS = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?((?:\d{1,2}(?:st|nd|rd|th)(?:\s*(?:,|and|&)"
    r"\s*(?:the\s+)?)?)+)"
)
_DAY_N = re.compile(r"\bday\s+(\d{1,2})\s+of\s+(?:the|each|every)\s+month")


def read_window(text: Text) -> tuple[int, int] | None:
    """ "every hour between 9am and 5pm": the hours an interval runs in (read before times)."""
    if not _INTERVAL.search(text.low) or not (b := text.pop(_BETWEEN)):
        return None
    start, end = int(b.group(1)), int(b.group(3))
    start += 12 if b.group(2) == "pm" and start < 12 else 0
    end += 12 if (b.group(4) == "pm" or end < start) and end < 12 else 0
    return start, end


def read_calendar(text: Text, today: date, window: tuple[int, int] | None = None) -> CalendarFacts:
    """What the request says about days and dates (the working text loses what was read)."""
    facts = CalendarFacts()
    _read_intervals(text, facts, window)
    _read_once(text, facts)
    _read_recurrence(text, facts)
    _read_month_days(text, facts)
    _read_week_days(text, facts)
    except_days = _read_except_days(text)
    _read_named_days(text, facts)
    if except_days:
        base = facts.days or (list(DAY_CODES) if facts.daily else list(DAY_CODES[:5]))
        facts.days = [d for d in base if d not in except_days]
        facts.daily = False
    return facts


def _read_intervals(text: Text, facts: CalendarFacts, window: tuple[int, int] | None) -> None:
    """Every n minutes or hours, several times a day."""
    if m := text.pop(_INTERVAL):
        word = m.group(0)
        if "half" in word:
            facts.interval_minutes = 30
        elif "quarter" in word:
            facts.interval_minutes = 15
        else:
            amount = number(m.group(1)) if m.group(1) else 1
            unit = m.group(2) or "hour"
            if amount is None or amount <= 0:
                facts.question = f"How often exactly? '{word.strip()}' is not a number I can use."
                amount = 1
            facts.interval_minutes = amount * (60 if unit.startswith("h") else 1)
        facts.mentions.append("every few minutes or hours")
        facts.hour_range = window
    if m := text.pop(r"\b(twice|three times|3 times|two times|2 times)\s+(?:a|per|each)\s+day\b"):
        facts.times_a_day = 2 if m.group(1) in ("twice", "two times", "2 times") else 3
        facts.mentions.append("several times a day")


def _read_once(text: Text, facts: CalendarFacts) -> None:
    """Once: "in 2 hours", a date, tomorrow."""
    if m := text.pop(_AFTER):
        amount_word, unit = m.group(1), m.group(2)
        amount = 0.5 if amount_word.startswith("half") else number(amount_word)
        if amount is None:
            facts.question = f"In how long exactly? '{m.group(0).strip()}' is too vague for me."
        else:
            unit_minutes = {"m": 1, "h": 60, "d": 1440, "w": 10080}[unit[0]]
            facts.after = timedelta(minutes=amount * unit_minutes)
            facts.mentions.append(m.group(0).strip())
    if m := text.pop(_ISO_DATE):
        facts.date = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        facts.mentions.append(m.group(0))
    elif m := (text.pop(_MONTH_DAY) or text.pop(_DAY_MONTH)):
        groups = m.groups()
        if groups[0].isdigit():
            day, month_word, year = int(groups[0]), groups[1], groups[2]
        else:
            month_word, day, year = groups[0], int(groups[1]), groups[2]
        facts.date = (int(year) if year else None, MONTH_NUMBERS[month_word.lower()[:3]], day)
        facts.mentions.append(m.group(0).strip())
    if m := text.pop(
        r"(?<!due )(?<!for )\b(the\s+day\s+after\s+tomorrow|tomorrow|today|"
        r"tonight|this\s+evening|this\s+afternoon|this\s+morning)\b"
    ):
        word = m.group(1)
        facts.relative_day = 2 if "after" in word else 1 if word == "tomorrow" else 0
        if word == "tonight":
            text.low = text.low + " tonight"  # keeps "8 tonight" meaning 20:00
        facts.mentions.append(word)


def _read_recurrence(text: Text, facts: CalendarFacts) -> None:
    """Recurrence words: every other week, daily, weekly, monthly, quarterly, yearly."""
    if m := text.pop(
        r"\b(?:every|each)\s+(?:other|second|alternate)\s+(?:week\b)?|\bbi-?weekly\b"
        r"|\bfortnightly\b|\bevery\s+fortnight\b|\balternate\s+(?=" + DAY_RE + ")"
    ):
        facts.every_weeks = 2
    elif m := text.pop(r"\bevery\s+(" + NUMBER_RE + r")\s+weeks?\b"):
        facts.every_weeks = number(m.group(1)) or 1
    if m := text.pop(
        r"\b(?:every\s+(?:single\s+)?day|daily|each\s+day|7\s+days\s+a\s+week|"
        r"once\s+a\s+day|every\s+24\s+hours)\b"
    ):
        facts.daily = True
        facts.mentions.append("every day")
    if text.pop(r"\b(?:every|each)\s+(?:single\s+)?(?:morning|afternoon|evening|night)\b"):
        facts.part_daily = True
    if m := text.pop(r"\b(?:weekly|every\s+week|once\s+a\s+week|each\s+week)\b"):
        facts.weekly = True
    if m := text.pop(r"\b(?:quarterly|every\s+quarter|each\s+quarter|once\s+a\s+quarter)\b"):
        facts.quarterly = True
    if m := text.pop(
        r"\b(?:monthly|every\s+month|each\s+month|once\s+a\s+month|of\s+(?:the|each|"
        r"every)\s+month|a\s+month)\b"
    ):
        facts.monthly = True
    if m := text.pop(r"\b(?:yearly|annually|every\s+year|each\s+year|once\s+a\s+year)\b"):
        facts.yearly = True
    if m := text.pop(r"\b(?:the\s+)?last\s+day\s+of\s+(?:the|each|every)\s+month\b"):
        facts.last_day_of_month = True
        facts.mentions.append("the last day of the month")


def _read_month_days(text: Text, facts: CalendarFacts) -> None:
    """Days of the month: the nth weekday, day n, the 1st and 15th."""
    if m := text.pop(_NTH_WEEKDAY):
        nth = ORDINALS[m.group(1)]
        what = m.group(2)
        if what == "day":
            if nth == -1:
                facts.last_day_of_month = True
            elif nth > 0:
                facts.month_days.append(nth)
        else:
            code = (
                "WD"
                if what in ("weekday", "business day", "working day", "work day")
                else (_codes(what))
            )
            if nth == 5:
                facts.question = "A month does not always have a fifth one; did you mean the last?"
            facts.nth_weekday = (nth, code or "MO")
        if m.group(3) == "quarter":
            facts.quarterly = True
        else:
            facts.monthly = True
        facts.mentions.append(m.group(0).strip())
    if m := text.pop(_DAY_N):
        facts.month_days.append(int(m.group(1)))
        facts.monthly = True
    for m in list(_MONTH_DAYS.finditer(text.low)):
        days = [int(d) for d in re.findall(r"(\d{1,2})(?:st|nd|rd|th)", m.group(1))]
        facts.month_days.extend(days)
        text.take(m)
        facts.mentions.append(m.group(0).strip())
    bad = [d for d in facts.month_days if not 1 <= d <= 31]
    if bad:
        facts.question = f"A month has no day {bad[0]}; which day of the month do you mean?"


def _read_week_days(text: Text, facts: CalendarFacts) -> None:
    """Weekdays, weekends and day ranges (Monday to Thursday)."""
    if m := text.pop(
        r"\b(?:every\s+|on\s+|each\s+)?(?:weekdays?|work\s*days?|working\s+days?|"
        r"business\s+days?|monday\s*(?:to|through|thru|-|\u2013)\s*friday|"
        r"mon\s*(?:to|-|\u2013)\s*fri)\b(?:\s+only)?"
    ):
        facts.days = list(DAY_CODES[:5])
        facts.mentions.append("weekdays")
    elif m := text.pop(r"\b(?:every\s+|on\s+|at\s+)?(?:the\s+)?weekends?\b"):
        facts.days = ["SA", "SU"]
        facts.mentions.append("weekends")
    range_re = r"\b(" + DAY_RE + r")\s*(?:to|through|thru|-|\u2013)\s*(" + DAY_RE + r")\b"
    if m := text.pop(range_re):
        first, last = _codes(m.group(1)), _codes(m.group(2))
        if first and last:
            facts.days = _day_range(first, last)
            facts.mentions.append(m.group(0))


def _read_except_days(text: Text) -> list[str]:
    """The days an "except ..." leaves out."""
    if m := text.pop(
        r"\b(?:except|but not|excluding|apart from)\s+(?:on\s+)?((?:"
        + DAY_RE
        + r"(?:\s*(?:,|and|or|&)\s*)?)+)"
    ):
        return [c for w in re.findall(DAY_RE, m.group(1)) if (c := _codes(w))]
    return []


def _read_named_days(text: Text, facts: CalendarFacts) -> None:
    """Named days: a recurring "every Tuesday and Thursday" or a single "next Monday"."""
    named: list[tuple[str, bool]] = []  # (code, plural or after every/each/on ... and)
    for m in list(
        re.finditer(r"\b(every\s+|each\s+|next\s+|this\s+|coming\s+)?(" + DAY_RE + r")\b", text.low)
    ):
        code = _codes(m.group(2))
        if code is None:
            continue
        prefix = (m.group(1) or "").strip()
        plural = m.group(2).endswith("s") and m.group(2) not in ("tues", "thurs", "weds")
        if prefix == "next":
            facts.next_week = True
        named.append((code, prefix in ("every", "each") or plural))
        if prefix in ("next", "this", "coming"):
            named[-1] = (code, False)
            facts.single_day = code
        text.take(m)
    if named:
        codes = list(dict.fromkeys(c for c, _ in named))
        recurring = (
            any(r for _, r in named)
            or len(codes) > 1
            or facts.every_weeks > 1
            or (facts.weekly or facts.daily or bool(facts.days))
        )
        if recurring:
            if facts.days and set(codes) - set(facts.days):
                facts.question = (
                    f"You said {mention_days(facts.days)} and also "
                    f"{mention_days(codes)}; which days should it run?"
                )
            facts.days = facts.days if facts.days and set(codes) <= set(facts.days) else codes
            facts.single_day = None
            facts.mentions.append(mention_days(codes))
        elif facts.single_day is None:
            facts.single_day = codes[0]
            facts.mentions.append(f"on {mention_days(codes)}")


def mention_days(codes: list[str]) -> str:
    names = dict(
        zip(
            DAY_CODES,
            "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
            strict=True,
        )
    )
    if codes == list(DAY_CODES[:5]):
        return "weekdays"
    words = [names[c] + "s" for c in codes]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
