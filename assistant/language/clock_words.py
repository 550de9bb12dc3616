"""Times of day and time zones in words: "9am", "17:30", "noon", "5pm PT", "9 in the morning",
"half past 4". Each match is blanked out of the working text so later rules do not read its
digits again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.language.words import IANA_RE, MONTH_RE, ZONE_WORDS_RE, ZONES


@dataclass
class Text:
    """The request being read: `low` is lower-cased and loses what rules have consumed; `raw`
    keeps the user's spelling (stage and job names keep their capitals)."""

    raw: str
    low: str = ""

    def __post_init__(self) -> None:
        self.low = self.raw.lower()

    def take(self, match: re.Match[str], group: int = 0) -> None:
        start, end = match.span(group)
        self.low = self.low[:start] + " " * (end - start) + self.low[end:]

    def find(self, pattern: re.Pattern[str] | str) -> re.Match[str] | None:
        return re.search(pattern, self.low)

    def pop(self, pattern: re.Pattern[str] | str) -> re.Match[str] | None:
        found = re.search(pattern, self.low)
        if found:
            self.take(found)
        return found


@dataclass
class TimesOfDay:
    times: list[tuple[int, int]] = field(default_factory=list)
    part_of_day: str | None = None  # morning | afternoon | evening | night
    question: str | None = None
    # how an hour said without am or pm was read, for the read-back to say
    assumed: list[str] = field(default_factory=list)


_WHICH = "which time do you mean, e.g. 9am or 17:30?"
_AMPM = r"(a\.?m\.?|p\.?m\.?)"
_CLOCK = re.compile(r"\b(?:at\s+|@\s*)?(\d{1,2})[:.](\d{2})\s*" + _AMPM + r"?(?![\d.:])")
_HOUR_AMPM = re.compile(
    r"\b(?:at\s+|@\s*)?(\d{1,2})(?:\s*" + _AMPM + r"(?![a-z])|([ap])\b(?![.']))"
)
_HOUR_PART = re.compile(
    r"\b(?:at\s+)?(\d{1,2})(?:\s*o'?clock)?\s+(in the morning|in the afternoon|in the evening|"
    r"at night|tonight)"
)
_PAST = re.compile(
    r"\b(?:at\s+)?(half|quarter) (past|to) (\d{1,2})\b(?:\s+(in the morning|in the "
    r"afternoon|in the evening|at night|tonight))?"
)
_NAMED = re.compile(
    r"\b(?:at\s+)?(noon|midday|lunchtime|lunch time|midnight|end of (?:the )?"
    r"(?:work ?)?day|close of business|cob|eod)\b"
)
_NOT_AN_HOUR = (
    r"(?!\s*(?:(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\b|%|st\b|nd\b|rd\b|th\b|[:./-]\d|"
    r"people|candidates|(?:of\s+)?" + MONTH_RE + r"\b))"
)
_BARE = re.compile(
    r"\b(?:at|@|by|around)\s+(\d{1,2})(?:\s*o'?clock)?\b"
    + _NOT_AN_HOUR
    + r"|\b(\d{1,2})\s*o'?clock\b"
)
# "at 7 and 9", "at 7:30, 8 and 9": a bare hour listed right after a time read
_LISTED_HOUR = re.compile(
    r"(?:,|\band\b|\bor\b|&)\s*(\d{1,2})(?:\s*o'?clock)?\b(?!\s*times\b)" + _NOT_AN_HOUR
)
_PARTS = re.compile(r"\b(morning|afternoon|evening|night|tonight)s?\b")
# a part of the day written right after a time is that time's own ("5 in the afternoon")
_PART_AFTER = re.compile(r"\s*(in the morning|in the afternoon|in the evening|at night|tonight)\b")
_AFTER_TIME = re.compile(r"(\d+)(?:\s*o'?clock|\s*[ap]\.?m\.?)?\s*(?:in\s+the|at)?\s*$")
# one written right before a clock ("in the morning at 7:30") is that clock's and the listed after
_BEFORE_CLOCK = re.compile(r"\s*,?\s*(?:at\s+|@\s*)?(?:\d|half\b|quarter\b)")
# a number after a month ("March 3") or in a written date ("3/3") is a day, not an hour
_DATE_BEFORE = re.compile(r"(?:\b" + MONTH_RE + r"\.?\s+(?:the\s+)?|[/-])$")
_NAMED_TIMES = {
    "noon": (12, 0),
    "midday": (12, 0),
    "lunchtime": (12, 0),
    "lunch time": (12, 0),
    "midnight": (0, 0),
}


#: the last hour a bare 12-hour clock reads as afternoon; from the next one to 11, morning
LAST_AFTERNOON_HOUR = 6


def work_hour(hour: int, minute: int, said: str) -> tuple[int, str | None]:
    """An hour said without am or pm ("at 3", "3:30", "half past 4"), read as a working day's:
    1 to 6 the afternoon, 7 to 11 the morning; 0, 12 and 13 to 23 as they are. Returns the
    24-hour hour and, for 1 to 7 (a reading the other way is plausible), what the read-back
    says of it."""
    if not 1 <= hour <= 11:
        return hour, None
    pm = hour <= LAST_AFTERNOON_HOUR
    clock = f"{hour}" if minute == 0 else f"{hour}:{minute:02d}"
    read, other = ("pm", "am") if pm else ("am", "pm")
    note = (
        f"“{said.strip()}” is {clock}{read} (say “{clock}{other}” if you meant the "
        f"{'morning' if pm else 'evening'})"
        if hour <= 7
        else None
    )
    return hour + 12 if pm else hour, note


def _pm(hour: int, suffix: str | None, what: str) -> tuple[int | None, str | None]:
    """Apply am/pm; returns (hour, problem)."""
    if suffix is None:
        return hour, None
    if not 1 <= hour <= 12:
        return None, f"'{what}' is not a time of day I can read; {_WHICH}"
    pm = suffix.startswith("p")
    return (hour % 12) + (12 if pm else 0), None


def _is_day_of_date(low: str, start: int, end: int) -> bool:
    """Whether the number low[start:end] is a date's day or year, not an hour ("March 3")."""
    return end - start > 2 or bool(_DATE_BEFORE.search(low, 0, start))


@dataclass
class _LoosePart:
    """The parts of the day not written right after a time: each one written right before a
    clock (`before`: where it ends, and the part) is that clock's and the times listed after
    it; the first other one is said for the schedule as a whole ("at 7 and 9 every evening")."""

    before: list[tuple[int, str]] = field(default_factory=list)
    schedule: str | None = None

    def at(self, position: int) -> str | None:
        """The part of the day for a time written at `position` with none of its own."""
        said = [part for end, part in self.before if end <= position]
        return said[-1] if said else self.schedule


def _part_word(part: str | None) -> str | None:
    return part.replace("tonight", "night") if part else None


def _loose_parts(low: str) -> _LoosePart:
    found = _LoosePart()
    for m in _PARTS.finditer(low):
        after = _AFTER_TIME.search(low, 0, m.start())
        if after and not _is_day_of_date(low, *after.span(1)):
            continue  # "5 in the afternoon": that time's own
        if _BEFORE_CLOCK.match(low, m.end()):
            found.before.append((m.end(), m.group(1)))
        elif found.schedule is None:
            found.schedule = m.group(1)
    return found


def _is_morning(part: str, hour: int) -> bool:
    """Whether a clock hour said with `part` ("in the evening", "night") is before noon."""
    return "morning" in part or ("night" in part and hour == 12)


def _clock_hour(m: re.Match[str], said: str | None) -> tuple[int | None, str | None]:
    """The hour of a clock match ("7:30", "7:30pm") with the part of the day `said` for it:
    (hour, problem), or (hour, what was assumed) for one read by the working-day rule."""
    hour, minute, suffix = int(m.group(1)), int(m.group(2)), m.group(3)
    # "07:45", "17:30": a 24-hour clock, which no part of the day moves
    twelve_hour = 1 <= hour <= 12 and not m.group(1).startswith("0")
    if suffix is None and said and twelve_hour:
        suffix = "am" if _is_morning(said, hour) else "pm"
    elif suffix is None and twelve_hour and hour <= 7:
        return work_hour(hour, minute, m.group(0).removeprefix("at").strip("@ "))
    return _pm(hour, suffix, m.group(0))


def _half_past(m: re.Match[str], said: str | None) -> tuple[int, int, str | None]:
    """ "half past 4", "quarter to 1 in the afternoon" with the part of the day `said` for it:
    (hour, minute, what was assumed by the working-day rule)."""
    amount, direction, hour = m.group(1), m.group(2), int(m.group(3))
    minutes = 30 if amount == "half" else 15
    hour, minute = (hour, minutes) if direction == "past" else (hour - 1, 60 - minutes)
    assumed = None
    if said and 0 <= hour <= 12:  # "quarter to 1 in the afternoon" is 12:45
        h12 = hour % 12 or 12
        hour = h12 % 12 + (0 if _is_morning(said, h12) else 12)
    elif not said and 1 <= hour <= 7:
        hour, assumed = work_hour(hour, minute, m.group(0).removeprefix("at").strip())
    return hour % 24, minute, assumed


def _hour_with_part(hour: int, part: str) -> int | None:
    """ "5 in the afternoon" is 17, "12 at night" 0; None for an hour no part of the day has."""
    if hour > 12:
        return None
    pm = part != "in the morning" and not (part == "at night" and hour == 12)
    return (hour % 12) + (12 if pm else 0)


def _hour_alone(hour: int, part: str | None) -> tuple[int | None, str | None, bool]:
    """A bare hour ("at 3", or listed after another time: "at 9am and 3"): read with the part
    of the day said for it or the schedule as a whole, else by the working-day rule (12 noon,
    0 and 13 to 23 as they are): (hour or None past 23, what was assumed, whether the rule
    read it)."""
    if hour > 23:
        return None, None, False
    if part and 1 <= hour <= 12:
        return (hour % 12) + (0 if _is_morning(part, hour) else 12), None, False
    read, assumed = work_hour(hour, 0, str(hour))
    return read, assumed, read != hour or 1 <= hour <= 11


def _across_noon(
    found: list[tuple[int, int, int]], ruled: dict[int, tuple[int, bool]]
) -> str | None:
    """The question when the working-day rule read an hour as morning beside a time said as
    afternoon or evening: a bare hour listed after it ("at 7pm and 9"), or a 7 ("at 7 and 9 in
    the evening"), where the rule is too likely to be wrong to assume; None otherwise.
    `ruled`: the rule's readings by position, each with whether it was listed bare."""
    said_pm = [position for position, hour, _ in found if position not in ruled and hour >= 12]
    for position, (hour, listed) in sorted(ruled.items()):
        if hour < 12 and said_pm and ((listed and min(said_pm) < position) or hour == 7):
            return (
                f"Do you mean {hour} in the morning or {hour} in the afternoon "
                f"({hour}am or {hour}pm)?"
            )
    return None


def read_times(text: Text) -> TimesOfDay:
    """Every time of day the request names, in order of appearance (duplicates removed)."""
    found: list[tuple[int, int, int]] = []  # (position, hour, minute)
    # the hours the working-day rule read, by position, and whether each was listed bare
    ruled: dict[int, tuple[int, bool]] = {}
    result = TimesOfDay()

    ends: list[int] = []  # where each time read ends, for the hours listed after it

    def add(m: re.Match[str], hour: int | None, minute: int, what: str) -> None:
        ends.append(m.end())
        if hour is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
            result.question = result.question or (
                f"'{what.strip()}' is not a time of day I can read; {_WHICH}"
            )
            return
        found.append((m.start(), hour, minute))

    def rule_read(
        position: int, hour: int | None, assumed: str | None, rule: bool, listed: bool = False
    ) -> None:
        """Note an hour the working-day rule read, and what the read-back says of it."""
        result.assumed.extend([assumed] if assumed else [])
        if rule and hour is not None:
            ruled[position] = (hour, listed)

    loose = _loose_parts(text.low)
    for m in list(_CLOCK.finditer(text.low)):
        own = None if m.group(3) else _PART_AFTER.match(text.low, m.end())
        h, problem = _clock_hour(m, own.group(1) if own else loose.at(m.start()))
        if problem and problem.startswith("“"):
            rule_read(m.start(), h, problem, True)
        else:
            result.question = result.question or problem
        add(m, h, int(m.group(2)), m.group(0))
        text.take(m)
        if own:
            text.take(own, 1)
    for m in list(_HOUR_AMPM.finditer(text.low)):
        h, problem = _pm(int(m.group(1)), m.group(2) or m.group(3), m.group(0))
        result.question = result.question or problem
        add(m, h, 0, m.group(0))
        text.take(m)
        if own := _PART_AFTER.match(text.low, m.end()):
            text.take(own, 1)  # "5pm in the evening": said twice, and of this time only
    for m in list(_PAST.finditer(text.low)):
        hour, minute, assumed = _half_past(m, m.group(4) or loose.at(m.start()))
        rule_read(m.start(), hour, assumed, bool(assumed))
        add(m, hour, minute, m.group(0))
        text.take(m)
    for m in list(_HOUR_PART.finditer(text.low)):
        if _is_day_of_date(text.low, *m.span(1)):
            continue  # "on March 3 in the morning": a day and a part of it
        add(m, _hour_with_part(int(m.group(1)), m.group(2)), 0, m.group(0))
        text.take(m)
    for m in list(_NAMED.finditer(text.low)):
        word = m.group(1)
        add(m, *_NAMED_TIMES.get(word, (17, 0)), word)
        text.take(m)
    parts = _PARTS.search(text.low)
    result.part_of_day = parts.group(1).replace("tonight", "night") if parts else None
    if parts and not re.search(r"\b(?:every|each)\s+(?:single\s+)?$", text.low[: parts.start()]):
        text.take(parts)  # "every morning" is left for the calendar rules to read
    for m in list(_BARE.finditer(text.low)):
        hour = int(m.group(1) or m.group(2))
        read, assumed, rule = _hour_alone(hour, _part_word(loose.at(m.start())))
        rule_read(m.start(), read, assumed, rule)
        add(m, read, 0, m.group(0))
        text.take(m)
    for m in list(_LISTED_HOUR.finditer(text.low)):
        if any(not text.low[end : m.start()].strip() for end in ends):
            listed, assumed, rule = _hour_alone(int(m.group(1)), _part_word(loose.at(m.start())))
            rule_read(m.start(), listed, assumed, rule, listed=True)
            add(m, listed, 0, m.group(1))
            text.take(m, 1)
    result.question = result.question or _across_noon(found, ruled)
    seen: list[tuple[int, int]] = []
    for _, hour, minute in sorted(found):
        if (hour, minute) not in seen:
            seen.append((hour, minute))
    result.times = seen
    return result


def default_time(part_of_day: str | None) -> tuple[int, int]:
    """The time a part of the day stands for when no time is given (stated in the summary)."""
    return {"afternoon": (14, 0), "evening": (18, 0), "night": (20, 0)}.get(
        part_of_day or "", (9, 0)
    )


def read_zone(text: Text) -> tuple[str | None, str | None]:
    """A time zone named in the request ("5pm PT", "Europe/Berlin"): (zone, question)."""
    zones: list[str] = []
    for m in list(ZONE_WORDS_RE.finditer(text.raw)):
        word = m.group(1)
        # two-letter abbreviations only when written in capitals ("ET", not "et")
        if len(word) == 2 and word != word.upper():
            continue
        if text.low[m.start() : m.end()].strip() != word.lower():
            continue  # already read as something else
        zones.append(ZONES[word.lower()])
        text.take(m)
    for m in list(IANA_RE.finditer(text.raw)):
        zones.append(m.group(1))
        text.take(m)
    distinct = list(dict.fromkeys(zones))
    if len(distinct) > 1:
        return None, (
            f"You named two time zones ({' and '.join(distinct)}); which one should "
            "the schedule follow?"
        )
    return (distinct[0] if distinct else None), None
