"""Which runs "skip …" leaves out, in words: "the next run", "the next 3 runs", "tomorrow",
"Monday's run", "next week", "this week", "Christmas day", "Dec 14 and 21", "everything between
Dec 24 and Jan 2". Either a count of the next runs, or spans of time (in the speaker's zone)
whose runs are skipped; days are whole days, weeks run Monday to Sunday."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.language.words import MONTH_NUMBERS, MONTH_RE, NUMBER_WORDS
from models.errors import InvalidInput

_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_COUNT = r"(\d+|" + "|".join(w for w, n in NUMBER_WORDS.items() if n) + r")"
_RUN = r"(?:runs?|ones?|sends?|times?|reports?|e-?mails?|messages?|occurrences?)"
_NEXT = re.compile(
    rf"(?:(?:it|that|this)\s+)?(?:(?:the|its)\s+)?(?:next|upcoming|coming)(?:\s+{_COUNT})?\s+"
    rf"{_RUN}|(?:(?:the|its)\s+)?next\s+{_COUNT}|(?:it|that|this)(?:\s+once)?|(?:the\s+)?(?:next\s+)?{_COUNT}\s+{_RUN}|"
)
_DAY = re.compile(
    r"(?:(?:it|that|this)\s+)?(?:on\s+|for\s+)?(?:the\s+)?(?:(this|next|coming)\s+)?"
    rf"({'|'.join(_DAYS)}|today|tomorrow)(?:'s)?(?:\s+{_RUN})?"
)
_WEEK = re.compile(
    rf"(?:(?:it|that|this)\s+)?(?:for\s+)?(?:the\s+)?(this|next)\s+week(?:'s)?(?:\s+{_RUN})?"
)
# "the week of the 21st", "the week of December 21": the week (Monday to Sunday) holding it
_WEEK_OF = re.compile(r"(?:(?:it|that|this)\s+)?(?:for\s+)?(?:the\s+)?week\s+of\s+(.+)")
_REST_OF_WEEK = re.compile(
    r"(?:(?:it|that|this)\s+)?(?:for\s+)?the\s+rest\s+of\s+(?:the|this)\s+week"
)
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
# "the run on December 14", "Dec 14th", "14 December", "the 14th", "Monday the 7th's run"
_DATE = re.compile(
    rf"(?:(?:it|that|this)\s+)?(?:the\s+{_RUN}\s+)?(?:on\s+|for\s+)?(?:the\s+)?"
    rf"(?:({'|'.join(_DAYS)})\s+(?:the\s+)?)?"
    rf"(?:({MONTH_RE})\.?\s+(?:the\s+)?{_ORDINAL}|{_ORDINAL}\s+(?:of\s+)?({MONTH_RE})\.?"
    rf"|(\d{{1,2}})(?:st|nd|rd|th))(?:'s)?(?:\s+{_RUN})?"
)
# "Christmas day", "new year's eve": days people name by what they are
_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "boxing day": (12, 26),
    "new year": (1, 1),
    "new year's": (1, 1),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
}
_HOLIDAY = re.compile(
    rf"(?:(?:it|that|this)\s+)?(?:the\s+{_RUN}\s+)?(?:on\s+|for\s+|over\s+)?"
    rf"({'|'.join(sorted(_HOLIDAYS, key=len, reverse=True))})(?:'s)?(?:\s+{_RUN})?"
)
# "everything between Dec 24 and Jan 2", "the runs from the 24th to the 2nd": whole days
_BETWEEN = re.compile(
    rf"(?:(?:it|that|this)\s+)?(?:everything|anything|all(?:\s+the)?(?:\s+{_RUN})?"
    rf"|(?:the\s+)?{_RUN})?\s*(?:between|from)\s+(.+?)\s+(?:and|to|until|till|through|thru)"
    r"\s+(.+)"
)
# "Dec 14 and 21", "the 14th, the 21st and the 28th": days listed
_LIST_CUT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
# "the run after next", "the one after the next": the second run from now
_AFTER_NEXT = re.compile(rf"(?:(?:it|that|this)\s+)?(?:the\s+)?{_RUN}\s+after\s+(?:the\s+)?next")
EXAMPLES = (
    "“skip the next run”, “skip Monday's run”, “skip Dec 14 and 21” or “skip everything "
    "between Dec 24 and Jan 2”"
)


@dataclass(frozen=True, slots=True)
class SkipWish:
    """The next `count` runs, or the runs in [start, end); `said`: the span in words."""

    count: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    said: str = ""
    # the same day a week later, for a day named on that day once its runs are over
    then: SkipWish | None = None
    # the one run at this place from now ("the run after next": 2), not the runs before it
    position: int | None = None


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def says_runs(words: str) -> bool:
    """Whether `words` (after "skip") name runs to skip, as skips_in_words reads them."""
    low = _plain(words)
    if (m := _WEEK_OF.fullmatch(low)) and _DATE.fullmatch(m.group(1)):
        return True
    if (m := _BETWEEN.fullmatch(low)) and all(_a_day(g) for g in m.groups()):
        return True
    parts = _LIST_CUT.split(low)
    if len(parts) > 1 and _a_day(parts[0]) and all(_a_day(p) or p.isdigit() for p in parts):
        return True
    return _HOLIDAY.fullmatch(low) is not None or any(
        p.fullmatch(low) for p in (_NEXT, _WEEK, _REST_OF_WEEK, _DAY, _DATE, _AFTER_NEXT)
    )


def _a_day(words: str) -> bool:
    return any(p.fullmatch(words) for p in (_DATE, _HOLIDAY, _DAY))


def skips_in_words(words: str, tz: str, now: datetime) -> list[SkipWish]:
    """What `words` (after "skip") leave out, one wish a day or span listed; InvalidInput when
    they say no runs."""
    low = _plain(words)
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    if m := _BETWEEN.fullmatch(low):
        first = _day_in(m.group(1), today)
        last = _day_in(m.group(2), first) if first is not None else None
        if first is not None and last is not None:
            return [
                SkipWish(
                    start=max(now, _midnight(first, zone)),
                    end=_midnight(last + timedelta(days=1), zone),
                    said=f"from {first:%a %d %b} to {last:%a %d %b}",
                )
            ]
    parts = _LIST_CUT.split(low)
    if len(parts) > 1:
        wishes: list[SkipWish] = []
        month = ""
        for part in parts:
            if part.isdigit() and month:  # "Dec 14 and 21": the month said before
                part = f"{month} {part}"
            wishes.append(skip_in_words(part, tz, now))
            if (m := _DATE.fullmatch(part)) and (m.group(2) or m.group(5)):
                month = m.group(2) or m.group(5)
        return wishes
    return [skip_in_words(words, tz, now)]


def _day_in(words: str, today: date) -> date | None:
    """The day `words` name ("Dec 24", "the 2nd", "Christmas"), the first from `today` on."""
    if m := _DATE.fullmatch(words):
        return _date_of(m, today)
    if m := _HOLIDAY.fullmatch(words):
        return _holiday(m.group(1), today)
    return None


def _holiday(name: str, today: date) -> date:
    month, day = _HOLIDAYS[name]
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def _plain(words: str) -> str:
    return " ".join(words.lower().replace("\u2019", "'").strip(" ?.!").split())


def skip_in_words(words: str, tz: str, now: datetime) -> SkipWish:
    """What `words` (after "skip") leave out; InvalidInput when they say no runs."""
    low = _plain(words)
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    if m := _NEXT.fullmatch(low):
        said = next((g for g in m.groups() if g), "1")
        count = int(said) if said.isdigit() else NUMBER_WORDS.get(said) or 1
        return SkipWish(count=count)
    if m := _WEEK.fullmatch(low):
        monday = today - timedelta(days=today.weekday())
        if m.group(1) == "next":
            monday += timedelta(days=7)
        start = max(now, _midnight(monday, zone))
        return SkipWish(
            start=start, end=_midnight(monday + timedelta(days=7), zone), said=f"{m.group(1)} week"
        )
    if _REST_OF_WEEK.fullmatch(low):
        monday = today - timedelta(days=today.weekday())
        return SkipWish(
            start=now, end=_midnight(monday + timedelta(days=7), zone), said="this week"
        )
    if m := _DAY.fullmatch(low):
        which, name = m.group(1), m.group(2)
        if name in ("today", "tomorrow"):
            day = today + timedelta(days=0 if name == "today" else 1)
        else:
            ahead = (_DAYS.index(name) - today.weekday()) % 7
            day = today + timedelta(days=ahead + (7 if which == "next" and ahead == 0 else 0))
        start = max(now, _midnight(day, zone))
        later = day + timedelta(days=7)
        then = SkipWish(
            start=_midnight(later, zone),
            end=_midnight(later + timedelta(days=1), zone),
            said=f"on {later:%a %d %b}",
        )
        return SkipWish(
            start=start,
            end=_midnight(day + timedelta(days=1), zone),
            said=f"on {day:%a %d %b}",
            then=then if day == today and name != "today" and which != "this" else None,
        )
    if (week := _WEEK_OF.fullmatch(low)) and (m := _DATE.fullmatch(week.group(1))):
        monday = _date_of(m, today) - timedelta(days=_date_of(m, today).weekday())
        return SkipWish(
            start=max(now, _midnight(monday, zone)),
            end=_midnight(monday + timedelta(days=7), zone),
            said=f"in the week of {monday:%a %d %b}",
        )
    if m := _HOLIDAY.fullmatch(low):
        day = _holiday(m.group(1), today)
        return SkipWish(
            start=max(now, _midnight(day, zone)),
            end=_midnight(day + timedelta(days=1), zone),
            said=f"on {day:%a %d %b}",
        )
    if _AFTER_NEXT.fullmatch(low):
        return SkipWish(position=2, said="after the next")
    if m := _DATE.fullmatch(low):
        day = _date_of(m, today)
        return SkipWish(
            start=max(now, _midnight(day, zone)),
            end=_midnight(day + timedelta(days=1), zone),
            said=f"on {day:%a %d %b}",
        )
    raise InvalidInput(f"Which runs should I skip? Say {EXAMPLES}.")


def _date_of(m: re.Match[str], today: date) -> date:
    """The day a match of _DATE names: the next such date from today on; InvalidInput when
    there is none or the weekday said is not its own."""
    weekday, month_said = m.group(1), m.group(2) or m.group(5)
    number = m.group(3) or m.group(4) or m.group(6)
    month = MONTH_NUMBERS[month_said.rstrip(".")[:3]] if month_said else None
    found: date | None = None
    for ahead in range(0, 400):  # the first such day from today, within the year ahead
        day = today + timedelta(days=ahead)
        if day.day == int(number) and (month is None or day.month == month):
            found = day
            break
    said = " ".join(g for g in (month_said, number) if g)
    if found is None:
        raise InvalidInput(f"There is no day “{said}” ahead; which day should I skip?")
    if weekday and _DAYS.index(weekday) != found.weekday():
        raise InvalidInput(
            f"{found:%A %d %B} is not a {weekday.capitalize()}; which day should I skip?"
        )
    return found
