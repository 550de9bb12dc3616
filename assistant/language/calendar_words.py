"""Days and dates in words: "weekdays", "Mondays and Thursdays", "every other Tuesday", "on the
1st", "the last Friday of the month", "on March 3rd", "tomorrow", "in 2 hours", "every 15
minutes". Produces the raw facts; calendar_rules.py turns them into a schedule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from assistant.language.bound_words import Bounds, read_bounds
from assistant.language.clock_words import Text
from assistant.language.hour_words import INTERVAL
from assistant.language.weekday_words import codes_of, read_weekdays
from assistant.language.words import (
    DAY_RE,
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
    every_days: int = 1  # "every 6 days"
    every_months: int = 1  # "every 4 months", "every other quarter" (6)
    every_years: int = 1
    daily: bool = False
    part_daily: bool = False  # "every morning": daily unless days are named
    weekly: bool = False
    monthly: bool = False
    quarterly: bool = False
    quarter_end: bool = False  # days counted from the end of the quarter: its last month's
    yearly: bool = False
    month_days: list[int] = field(default_factory=list)
    last_day_of_month: bool = False
    from_end: int = 1  # with last_day_of_month: 1 the last day, 2 the second to last...
    nth_weekday: tuple[int, str] | None = None  # (1..4 | -1, "MO" | "WD" for a weekday)
    nths: list[int] = field(default_factory=list)  # every nth of nth_weekday ("1st and 3rd")
    past_hour: int | None = None  # "at 20 past every hour": the minute
    date: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    relative_day: int | None = None  # tomorrow = 1, today = 0
    after: timedelta | None = None  # "in 2 hours"
    next_time: bool = False  # "just once": the next time the clock reads the time said
    interval_minutes: int | None = None  # every N minutes / hours
    # "between 9 and 5": (9, 17, False); "between 09:00 and 05:59 PM": (9, 17, True), the last
    # hour included whole
    hour_range: tuple[int, int, bool] | None = None
    times_a_day: int | None = None  # "twice a day"
    bounds: Bounds = field(default_factory=Bounds)
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
            or self.past_hour is not None
            or self.times_a_day
            or self.bounds.every_month_named
        )

    @property
    def once(self) -> bool:
        return bool(
            self.single_day
            or (self.date and not self.yearly)
            or self.relative_day is not None
            or self.after
            or self.next_time
        )


# "at 3pm, just once" (what "How often should it run at 15:00?" offers), not "once a week"
_JUST_ONCE = re.compile(
    r"\b(?:just\s+|only\s+)?once\b(?!\s+(?:a|an|per|every|each|more|again|in|daily|weekly|"
    r"monthly)\b)"
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
_NTHS = (
    r"(?:"
    + ORDINAL_RE
    + r"\s+(?:to|from)\s+(?:the\s+)?last|"
    + ORDINAL_RE
    + r"[- ]last|penultimate"
    r"|next[- ]to[- ]last|" + ORDINAL_RE + r")"
)
_NTH_WEEKDAY = re.compile(
    r"\b(?:on\s+)?(?:the\s+|every\s+|each\s+)?("
    + _NTHS
    + r"(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:the\s+)?"
    + _NTHS
    + r")*)\s+("
    + DAY_RE
    + r"|weekday|business day|working day|work day|day)"
    r"(?:\s+(?:of|in)\s+(?:the|each|every|a)\s+(month|quarter))?"
)
_MONTH_DAYS = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?((?:\d{1,2}(?:st|nd|rd|th)(?:\s*(?:,|and|&)"
    r"\s*(?:the\s+)?)?)+)"
)
_WORD_MONTH_DAY = re.compile(
    r"\b(?:on\s+)?the\s+(first|second|third|fourth|fifth)(?=\s+of\s+(?:the|each|every)\s+month\b)"
)
_MONTH_END = re.compile(
    r"\b(?:at\s+|on\s+)?the\s+(end|start|beginning)\s+of\s+(?:the|each|every)\s+month\b"
)
# "at the end of each quarter", "at quarter end", "at the start of every quarter"
_QUARTER_EDGE = re.compile(
    r"\b(?:at\s+|on\s+)?(?:the\s+)?(end|close|start|beginning)\s+of\s+(?:the|each|every|a)\s+"
    r"quarter\b|\b(?:at\s+|on\s+)?(?:each\s+|every\s+|the\s+)?quarter[- ](end)\b"
)
_DAY_N = re.compile(
    r"\b(?:on\s+days?\s+(\d{1,2}(?:\s*(?:,\s*(?:and\s+)?|and\s+)\d{1,2})*)\b(?![:.]?\d|\s*[ap]\.?m)"
    r"(?:\s+of\s+(?:the|each|every)\s+month)?|\bdays?\s+(\d{1,2}(?:\s*(?:,\s*(?:and\s+)?|and\s+)"
    r"\d{1,2})*)\s+of\s+(?:the|each|every)\s+month)"
)
_EVERY_OTHER_DAY = re.compile(
    r"\bevery\s+(other|second|alternate|" + NUMBER_RE + r")\s+(days?|months?|quarters?|years?)\b"
)


def nth_value(word: str) -> int:
    """ "third" -> 3, "last" -> -1, "second to last" -> -2."""
    word = word.strip()
    if word in ("penultimate",) or word.startswith("next"):
        return -2
    if m := re.match(ORDINAL_RE, word):
        value = ORDINALS[m.group(0)]
        return -value if word != m.group(0) and value > 0 else value
    return 0


def read_calendar(
    text: Text, today: date, window: tuple[int, int, bool] | None = None
) -> CalendarFacts:
    """What the request says about days and dates (the working text loses what was read)."""
    facts = CalendarFacts(bounds=read_bounds(text, today))
    facts.question = facts.bounds.question
    _read_intervals(text, facts, window)
    _read_once(text, facts)
    # "the first of each month": a day said as an ordinal word, read before "of each month" is
    if m := text.pop(_WORD_MONTH_DAY):
        facts.month_days.append(ORDINALS[m.group(1)])
        facts.mentions.append(m.group(0).strip())
    _read_rhythm(text, facts)
    _read_days_of_month(text, facts)
    read_weekdays(text, facts)
    return facts


def _read_intervals(text: Text, facts: CalendarFacts, window: tuple[int, int, bool] | None) -> None:
    """Every n minutes or hours, several times a day."""
    mention = facts.mentions.append
    # --- intervals ---------------------------------------------------------------------------
    if m := text.pop(INTERVAL):
        word = m.group(0)
        if "half" in word:
            facts.interval_minutes = 30
        elif "quarter" in word:
            facts.interval_minutes = 15
        else:
            said = (m.group(1) or "").strip()
            amount = 2 if said in ("other", "second") else number(said) if said else 1
            unit = m.group(2) or "hour"
            if amount is None or amount <= 0:
                facts.question = f"How often exactly? '{word.strip()}' is not a number I can use."
                amount = 1
            facts.interval_minutes = amount * (60 if unit.startswith("h") else 1)
        mention("every few minutes or hours")
        facts.hour_range = window
    if m := text.pop(r"\b(twice|three times|3 times|two times|2 times)\s+(?:a|per|each)\s+day\b"):
        facts.times_a_day = 2 if m.group(1) in ("twice", "two times", "2 times") else 3
        mention("several times a day")


def _read_once(text: Text, facts: CalendarFacts) -> None:
    """One-off moments: "in 2 hours", dates, tomorrow, "just once"."""
    mention = facts.mentions.append
    if m := text.pop(_JUST_ONCE):
        facts.next_time = True
        mention(m.group(0).strip())
    # --- once: "in 2 hours", dates, tomorrow -------------------------------------------------
    if m := text.pop(_AFTER):
        amount_word, unit = m.group(1), m.group(2)
        amount = 0.5 if amount_word.startswith("half") else number(amount_word)
        if amount is None:
            facts.question = f"In how long exactly? '{m.group(0).strip()}' is too vague for me."
        else:
            unit_minutes = {"m": 1, "h": 60, "d": 1440, "w": 10080}[unit[0]]
            facts.after = timedelta(minutes=amount * unit_minutes)
            mention(m.group(0).strip())
    if m := text.pop(_ISO_DATE):
        facts.date = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        mention(m.group(0))
    elif m := (text.pop(_MONTH_DAY) or text.pop(_DAY_MONTH)):
        groups = m.groups()
        if groups[0].isdigit():
            day, month_word, year = int(groups[0]), groups[1], groups[2]
        else:
            month_word, day, year = groups[0], int(groups[1]), groups[2]
        facts.date = (int(year) if year else None, MONTH_NUMBERS[month_word.lower()[:3]], day)
        if re.search(r"\b(?:every|each)\s+$", text.low[: m.start()]) and not year:
            facts.yearly = True  # "every July 4th"
        mention(m.group(0).strip())
    if m := text.pop(
        r"(?<!due )(?<!for )\b(the\s+day\s+after\s+tomorrow|tomorrow|today|"
        r"tonight|this\s+evening|this\s+afternoon|this\s+morning)\b"
    ):
        word = m.group(1)
        facts.relative_day = 2 if "after" in word else 1 if word == "tomorrow" else 0
        if word == "tonight":
            text.low = text.low + " tonight"  # keeps "8 tonight" meaning 20:00
        mention(word)


def _read_rhythm(text: Text, facts: CalendarFacts) -> None:
    """Recurrence words: every few days, months or years, daily, weekly..."""
    mention = facts.mentions.append
    # --- recurrence words ---------------------------------------------------------------------
    if m := text.pop(_QUARTER_EDGE):
        if (m.group(1) or m.group(2)) in ("end", "close"):
            facts.last_day_of_month = facts.quarter_end = True
        else:
            facts.month_days.append(1)
        facts.quarterly = True
        mention(m.group(0).strip())
    if m := text.pop(_MONTH_END):
        if m.group(1) == "end":
            facts.last_day_of_month = True
        else:
            facts.month_days.append(1)
        facts.monthly = True
        mention(m.group(0).strip())
    if m := text.pop(_DAY_N):  # before "of the month" is read on its own
        said = m.group(1) or m.group(2)
        facts.month_days.extend(int(d) for d in re.findall(r"\d{1,2}", said))
        facts.monthly = True
    if m := text.pop(_EVERY_OTHER_DAY):
        said, unit = m.group(1), m.group(2)
        steps = 2 if said in ("other", "second", "alternate") else number(said)
        if steps is None or steps < 1:
            facts.question = f"How often exactly? '{m.group(0).strip()}' is not a number I can use."
            steps = 1
        if unit.startswith("day"):
            facts.every_days, facts.daily = steps, True
            mention("every day")
        elif unit.startswith("month"):
            facts.every_months, facts.monthly = steps, True
        elif unit.startswith("quarter"):
            facts.every_months, facts.quarterly = steps * 3, True
        else:
            facts.every_years, facts.yearly = steps, True
    if m := text.pop(
        r"\b(?:every|each)\s+(?:other|second|alternate)\s+(?:week\b)?"
        r"(?!\s*(?:" + DAY_RE + r")\s+(?:of|in)\s+(?:the|each|every|a)\s+month)"
        r"(?!\s*(?:and|&|,|to|from)\s)|\bbi-?weekly\b"
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
        mention("every day")
    if text.pop(r"\b(?:every|each)\s+(?:single\s+)?(?:morning|afternoon|evening|night)\b"):
        facts.part_daily = True
    if m := text.pop(r"\b(?:weekly|every\s+week|once\s+a\s+week|each\s+week)\b"):
        facts.weekly = True
    if m := text.pop(r"\b(?:quarterly|(?<!of )(?:every|each)\s+quarter|once\s+a\s+quarter)\b"):
        facts.quarterly = True
    if m := text.pop(
        r"\b(?:monthly|every\s+month|each\s+month|once\s+a\s+month|of\s+(?:the|each|"
        r"every)\s+month|a\s+month)\b"
    ):
        facts.monthly = True
    if m := text.pop(r"\b(?:yearly|annually|every\s+year|each\s+year|once\s+a\s+year)\b"):
        facts.yearly = True


def _read_days_of_month(text: Text, facts: CalendarFacts) -> None:
    """Nth weekdays, days from the end, the 1st and 15th."""
    mention = facts.mentions.append
    if m := text.pop(_NTH_WEEKDAY):
        nths = [nth_value(w) for w in re.findall(_NTHS, m.group(1))]
        nth = nths[0]
        what = m.group(2)
        if what == "day":
            ends = [-n for n in nths if n < 0]
            facts.month_days.extend(n for n in nths if n > 0)
            if len(ends) > 1:
                facts.question = "Which one day from the end of the month do you mean?"
            elif ends:
                facts.last_day_of_month, facts.from_end = True, ends[0]
        else:
            code = (
                "WD"
                if what in ("weekday", "business day", "working day", "work day")
                else (codes_of(what))
            )
            if 5 in nths or any(n < -4 for n in nths):
                facts.question = "A month does not always have a fifth one; did you mean the last?"
            if code == "WD" and len(nths) > 1:
                facts.question = "Which one weekday of the month do you mean?"
            facts.nth_weekday, facts.nths = (nth, code or "MO"), nths
        if m.group(3) == "quarter":
            # "the last Friday of the quarter" falls in its last month
            facts.quarterly, facts.quarter_end = True, any(n < 0 for n in nths)
        else:
            facts.monthly = True
        mention(m.group(0).strip())
    if m := text.pop(r"\b(?:the\s+)?last\s+day\s+of\s+(?:the|each|every)\s+month\b"):
        facts.last_day_of_month = True
        mention("the last day of the month")
    for m in list(_MONTH_DAYS.finditer(text.low)):
        days = [int(d) for d in re.findall(r"(\d{1,2})(?:st|nd|rd|th)", m.group(1))]
        facts.month_days.extend(days)
        text.take(m)
        mention(m.group(0).strip())
    bad = [d for d in facts.month_days if not 1 <= d <= 31]
    if bad:
        facts.question = f"A month has no day {bad[0]}; which day of the month do you mean?"
