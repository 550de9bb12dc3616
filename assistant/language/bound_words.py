"""What bounds a recurrence, in words: how many times ("10 times"), how long ("for 6 weeks"),
until when ("until April 30, 2027"), from when ("starting next Monday") and in which months
("only in April", "from October to May", "except in August"). Read before the days and dates, so
a date that ends or starts a schedule is not taken for a one-off date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from assistant.language.clock_words import Text
from assistant.language.words import DAY_RE, MONTH_NUMBERS, MONTH_RE, NUMBER_RE, number

_SUFFIX = r"(?:st|nd|rd|th)?"
DATE_RE = (
    r"(?:(" + MONTH_RE + r")\.?\s+(\d{1,2})" + _SUFFIX + r"(?:,?\s+(\d{4}))?"
    r"|(?:the\s+)?(\d{1,2})" + _SUFFIX + r"\s+(?:of\s+)?(" + MONTH_RE + r")(?:,?\s+(\d{4}))?"
    r"|(\d{4})-(\d{2})-(\d{2}))\b"
)
_MONTH_LIST = (
    r"("
    + MONTH_RE
    + r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?:in\s+)?"
    + MONTH_RE
    + r")*)"
)
# "in March" but not "in March 3rd" (a wider gap is text other rules have read)
_NOT_A_DATE = r"(?!\.?\s?\d)"
_COUNT = re.compile(
    r"\b(?:for\s+)?(?:a\s+total\s+of\s+)?(" + NUMBER_RE + r")\s+(?:times|occurrences|runs)\b"
    r"(?!\s+(?:a|per|each|every)\s+(?:day|week|month|hour))(?:\s+in\s+total)?"
)
_FOR = re.compile(r"\bfor\s+(?:the\s+next\s+)?(" + NUMBER_RE + r")\s+(days?|weeks?|months?)\b")
_UNTIL = re.compile(
    r"\b(?:until|till|til|through|thru|ending(?:\s+on)?|up\s+to)\s+(?:and\s+including\s+)?"
    r"(?:the\s+end\s+of\s+(" + MONTH_RE + r")" + _NOT_A_DATE + r"(?:\s+(\d{4}))?|" + DATE_RE + r")"
    r"(?:,?\s+(?:at\s+)?(\d{2}):(\d{2})\b)?"
)
_UNTIL_MONTH = re.compile(
    r"\b(?:until|till|til)\s+(" + MONTH_RE + r")" + _NOT_A_DATE + r"(?:\s+\d{4})?\b"
)
_START = re.compile(
    r"\b(?:starting|beginning|from|as\s+of|effective)\s+(?:on\s+|from\s+)?(?:(tomorrow|today)"
    r"|next\s+(" + DAY_RE + r"|week|month)|" + DATE_RE + r")(?:\s+on(?:wards)?)?"
)
_RANGE = re.compile(
    r"\b(?:(?:only\s+)?between\s+(" + MONTH_RE + r")" + _NOT_A_DATE + r"\s+and\s+|(?:(?:only\s+)?"
    r"from\s+)?("
    + MONTH_RE
    + r")"
    + _NOT_A_DATE
    + r"\s*(?:to|through|thru|until|till|-|\u2013)\s+)"
    r"(" + MONTH_RE + r")" + _NOT_A_DATE + r"\b"
)
_EXCEPT = re.compile(
    r"\b(?:except|but\s+not|excluding|apart\s+from|other\s+than|skipping|not)\s+(?:in\s+|during\s+)?"
    + _MONTH_LIST
    + _NOT_A_DATE
)
_ONLY_IN = re.compile(
    r"\b(?:only\s+)?(?:in|during|every|each)\s+(?:the\s+month\s+of\s+)?"
    + _MONTH_LIST
    + _NOT_A_DATE
    + r"(?:\s+only)?\b"
)


@dataclass
class Bounds:
    count: int | None = None
    until: date | None = None  # inclusive, local
    until_time: tuple[int, int] | None = None  # "until April 13, 2026 at 10:00": to that minute
    span: relativedelta | None = None  # "for 6 weeks": from the request on
    start: date | None = None
    months: list[int] = field(default_factory=list)  # allowed months, ascending; empty = all
    every_month_named: bool = False  # "every March": a yearly rhythm by itself
    question: str | None = None
    mentions: list[str] = field(default_factory=list)


def _month(word: str) -> int:
    return MONTH_NUMBERS[word.lower()[:3]]


def _months_in(words: str) -> list[int]:
    return [_month(w) for w in re.findall(MONTH_RE, words)]


def date_in(groups: tuple[str | None, ...], today: date) -> date | None:
    """A DATE_RE match's date; without a year, the next such date from `today` on."""
    if groups[6]:
        year, month, day = int(groups[6]), int(groups[7] or 0), int(groups[8] or 0)
    elif groups[0]:
        month, day = _month(groups[0]), int(groups[1] or 0)
        year = int(groups[2]) if groups[2] else 0
    else:
        month, day = _month(groups[4] or ""), int(groups[3] or 0)
        year = int(groups[5]) if groups[5] else 0
    for candidate in (year,) if year else (today.year, today.year + 1):
        try:
            found = date(candidate, month, day)
        except ValueError:
            return None
        if year or found >= today:
            return found
    return None


def _next_weekday(today: date, code_word: str) -> date:
    codes = ("mo", "tu", "we", "th", "fr", "sa", "su")
    target = codes.index(code_word[:2].lower())
    ahead = (target - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def read_bounds(text: Text, today: date) -> Bounds:
    """Counts, ends, starts and month limits (the working text loses what was read)."""
    bounds = Bounds()
    if m := text.pop(_RANGE):  # before "until May" can be read as an end
        first, last = _month(m.group(1) or m.group(2)), _month(m.group(3))
        span = (last - first) % 12
        bounds.months = sorted(((first - 1 + i) % 12) + 1 for i in range(span + 1))
        bounds.mentions.append(m.group(0).strip())
    if m := text.pop(_COUNT):
        amount = number(m.group(1))
        if amount is None or amount < 1:
            bounds.question = f"How many times exactly? '{m.group(0).strip()}' is too vague."
        else:
            bounds.count = amount
        bounds.mentions.append(m.group(0).strip())
    if m := text.pop(_FOR):
        amount = number(m.group(1))
        if amount is None or amount < 1:
            bounds.question = f"For how long exactly? '{m.group(0).strip()}' is too vague."
        else:
            unit = m.group(2)[0]
            bounds.span = relativedelta(
                days=amount if unit == "d" else 0,
                weeks=amount if unit == "w" else 0,
                months=amount if unit == "m" else 0,
            )
        bounds.mentions.append(m.group(0).strip())
    if m := text.pop(_UNTIL):
        if m.group(1):
            month = _month(m.group(1))
            year = int(m.group(2)) if m.group(2) else today.year + (month < today.month)
            bounds.until = date(year, month, calendar.monthrange(year, month)[1])
        else:
            bounds.until = date_in(m.groups()[2:], today)
            if m.group(12):
                bounds.until_time = (int(m.group(12)), int(m.group(13)))
            if bounds.until is None:
                bounds.question = f"'{m.group(0).strip()}' is not a date I can find; until when?"
        bounds.mentions.append(m.group(0).strip())
    elif m := text.pop(_UNTIL_MONTH):
        name = calendar.month_name[_month(m.group(1))]
        before = calendar.month_name[(_month(m.group(1)) - 2) % 12 + 1]
        bounds.question = (
            f"Until when exactly: '{m.group(0).strip()}' could mean up to the end of {before} "
            f"or through the end of {name}. Which one?"
        )
    if m := text.pop(_START):
        if m.group(1):
            bounds.start = today + timedelta(days=1 if m.group(1) == "tomorrow" else 0)
        elif m.group(2):
            word = m.group(2)
            if word == "week":
                bounds.start = today + timedelta(days=7 - today.weekday())
            elif word == "month":
                bounds.start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            else:
                bounds.start = _next_weekday(today, word)
        else:
            bounds.start = date_in(m.groups()[2:], today)
            if bounds.start is None:
                bounds.question = f"'{m.group(0).strip()}' is not a date I can find; from when?"
        bounds.mentions.append(m.group(0).strip())
    _read_months(text, bounds)
    if bounds.count and (bounds.until or bounds.span):
        bounds.question = (
            f"Should it stop after {bounds.count} times or at the end date? Say one of them."
        )
    return bounds


def _read_months(text: Text, bounds: Bounds) -> None:
    if bounds.months:
        return
    if m := text.pop(_EXCEPT):
        gone = set(_months_in(m.group(1)))
        bounds.months = [n for n in range(1, 13) if n not in gone]
        bounds.mentions.append(m.group(0).strip())
    elif m := text.pop(_ONLY_IN):
        bounds.months = sorted(set(_months_in(m.group(1))))
        bounds.every_month_named = m.group(0).lstrip().startswith(("every", "each"))
        bounds.mentions.append(m.group(0).strip())
