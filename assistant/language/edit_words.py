"""Changes to a schedule said relative to what it is now: "30 minutes later", "push it back 2
hours", "an hour and a half earlier" (a shift of every time), "skip Fridays", "not on weekends",
"except Mondays and Fridays" (days taken out), "also on Saturdays" (days put in), and "undo"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.language.weekday_words import DAY_LIST, EXCLUDED, day_codes
from assistant.language.words import DAY_RE, SMALL_NUMBERS

# minutes and hours of a shift ("forty minutes later", "ninety minutes earlier")
_NUMBER_WORDS = {**SMALL_NUMBERS, "forty": 40, "fifty": 50, "ninety": 90}
_NUM = r"(?:\d+(?:\.\d+)?|forty[- ]five|" + "|".join(_NUMBER_WORDS) + r")"
_HOURS = r"(?:hours?|hrs?|h)"
_MINUTES = r"(?:minutes?|mins?|m)"
_AMOUNT = (
    r"\b(?:(?:a\s+)?couple\s+of\s+hours|half\s+an?\s+hour|half\s+hour|(?:a\s+)?quarter\s+(?:of\s+an\s+)?hour"
    rf"|{_NUM}(?:\s+and\s+a\s+half)?\s*{_HOURS}(?:\s+and\s+a\s+half)?"
    rf"(?:\s*(?:and\s+)?{_NUM}\s*{_MINUTES})?"
    rf"|{_NUM}\s*{_MINUTES})\b"
)
_LATER = r"later|back"
_EARLIER = r"earlier|sooner|forward"
_VERB = r"(?:push|move|shift|bump|put|set|bring|make|pull|have)(?:\s+(?:it|that|this|them))?"
_SHIFTS = (
    # "30 minutes later", "move it an hour earlier", "push it 2 hours back"
    re.compile(rf"(?:{_VERB}\s+)?(?:by\s+)?(?P<amount>{_AMOUNT})\s+(?P<way>{_LATER}|{_EARLIER})\b"),
    # "push it back 2 hours", "move it forward by 15 minutes", "later by half an hour"
    re.compile(rf"(?:{_VERB}\s+)?(?P<way>{_LATER}|{_EARLIER})\s+(?:by\s+)?(?P<amount>{_AMOUNT})"),
    # "delay it by an hour", "postpone it 30 minutes"
    re.compile(
        rf"(?P<way>delay|postpone)(?:\s+(?:it|that|this))?\s+(?:by\s+)?(?P<amount>{_AMOUNT})"
    ),
)

# "move it 30 minutes": a shift without its direction, asked about
_UNSIGNED_SHIFT = re.compile(
    rf"(?:move|shift|push|bump|reschedule|change)(?:\s+(?:it|that|this|them))?\s+(?:by\s+)?"
    rf"(?P<amount>{_AMOUNT})(?:\s+please)?"
)

# "later", "a bit earlier": a shift without its amount, asked about
_VAGUE_SHIFT = re.compile(
    rf"(?:{_VERB}\s+)?(?:(?:a\s+)?(?:bit|little|touch|tad)\s+)?(?:later|earlier|sooner)"
    r"(?:\s+(?:please|instead))?"
)

_ADDED = re.compile(
    rf"\b(?:also|as\s+well\s+as|plus|add|include)\s+(?:on\s+)?(?P<days>{DAY_LIST})"
    rf"|(?:\bon\s+)?\b(?P<days2>{DAY_LIST})\s+(?:too|as\s+well)\b"
)
# "every day except Fridays" names the days itself: the exception is read with them
_OWN_DAYS = re.compile(rf"\b(?:{DAY_RE}|weekends?|weekdays?|daily|every\s+day)\b")
_FILLER = (
    r"(?:please\s+|actually,?\s+|sorry,?\s+|oh,?\s+|and\s+|(?:let's|lets|can\s+you|could\s+you)\s+|"
    r"(?:make|change|set|have)\s+(?:it|that|this)\s+|it\s+should\s+)*"
)
_UNDO = re.compile(
    rf"{_FILLER}(?:undo(?:\s+(?:that|it|this|the\s+last\s+(?:change|one)))?|revert(?:\s+(?:that|it))?|"
    r"go\s+back|change\s+it\s+back|put\s+it\s+back(?:\s+(?:the\s+way\s+it\s+was|as\s+it\s+was))?|"
    r"take\s+that\s+back)(?:\s+please)?[.!]*",
)
_DM_ME = re.compile(
    rf"{_FILLER}(?:dm|direct[- ]message|slack|message|ping)\s+(?:it\s+to\s+)?me"
    r"(?:\s+(?:on|in|via)\s+slack)?(?:\s+instead)?(?:\s+please)?[.!]*"
)


def _minutes(amount: str) -> int:
    """ "an hour and a half" -> 90, "15 min" -> 15, "1.5 hours" -> 90."""
    amount = re.sub(r"\s+", " ", amount.lower())
    if re.fullmatch(r"half an? hour|half hour", amount):
        return 30
    if re.fullmatch(r"(?:a )?quarter (?:of an )?hour", amount):
        return 15
    if re.fullmatch(r"(?:a )?couple of hours", amount):
        return 120
    half = " and a half" in amount
    total = 30.0 if half else 0.0
    for number, unit in re.findall(
        rf"({_NUM})\s*({_HOURS}|{_MINUTES})\b", amount.replace(" and a half", "")
    ):
        value = _NUMBER_WORDS.get(number.replace("-", " "), 0) or float(number)
        total += value * (60 if re.fullmatch(_HOURS, unit) else 1)
    return round(total)


@dataclass
class RelativeChange:
    """What a change says relative to the schedule it changes; `rest` is the rest of its words."""

    rest: str
    shift: int | None = None  # minutes later (negative: earlier)
    # the amount of a shift said without its direction ("move it 30 minutes"), asked about
    unsigned: str | None = None
    remove: set[str] = field(default_factory=set)
    add: set[str] = field(default_factory=set)


def _blank(text: str, m: re.Match[str]) -> str:
    """`text` without the words of `m`, its other positions unchanged."""
    return text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]


def read_relative(request: str) -> RelativeChange:
    said = request.replace("\u2019", "'")
    low = said.lower()
    change = RelativeChange(rest=request)
    for pattern in _SHIFTS:
        if m := pattern.search(low):
            way = -1 if re.fullmatch(_EARLIER, m.group("way")) else 1
            change.shift = way * _minutes(m.group("amount"))
            low, said = _blank(low, m), _blank(said, m)
            break
    else:
        if _VAGUE_SHIFT.fullmatch(low.strip().rstrip(".!")):
            change.shift = 0  # asked: by how much
            return change
        if m := _UNSIGNED_SHIFT.fullmatch(low.strip().rstrip(".!?")):
            change.unsigned = re.sub(r"\s+", " ", m.group("amount"))  # asked: which way
            return change
    excluded, added = EXCLUDED.search(low), _ADDED.search(low)
    rest = low
    for m in (m for m in (excluded, added) if m is not None):
        rest = _blank(rest, m)
    if _OWN_DAYS.search(rest):
        # a whole new set of days: the schedule words read the exception with them ("every
        # day but Fridays"), as in a new request
        change.rest = said
        return change
    if excluded is not None:
        change.remove = day_codes(excluded.group("days"))
        said = _blank(said, excluded)
    if added is not None:
        change.add = day_codes(added.group("days") or added.group("days2"))
        said = _blank(said, added)
    change.rest = said
    return change


def is_undo(message: str) -> bool:
    return _UNDO.fullmatch(message.lower().strip()) is not None


def is_relative_change(message: str) -> bool:
    """A short message that only makes sense as a change to something existing: a shift
    ("an hour earlier"), days taken out or added ("drop Friday", "also on Saturdays") or
    "DM me instead"."""
    low = message.lower().replace("\u2019", "'").strip().rstrip(".!")
    if len(low.split()) > 9 or re.search(r"\b(?:than|before|after|each|every)\b", low):
        return False
    if _DM_ME.fullmatch(low):
        return True
    if any(p.search(low) for p in _SHIFTS) or _VAGUE_SHIFT.fullmatch(low):
        return True
    if _UNSIGNED_SHIFT.fullmatch(low):
        return True
    for days in (EXCLUDED, _ADDED):
        whole = rf"{_FILLER}(?:{days.pattern})(?:\s+(?:instead|anymore|any\s+more|please))?"
        if re.fullmatch(whole, low):
            return True
    return False
