"""How long an event automation waits after its event, changed in words: "make it 3 days
after", "wait a week", "send it right away instead", "change the delay to 12 hours".

The wait is the event filter's {"relative_to": "event", "offset_minutes": N}; no wait is no
such filter. A wait that is negative, said "before" the event, or longer than MAX_DELAY_DAYS
is refused with one line, and nothing changes."""

from __future__ import annotations

import re
from typing import Any

from assistant.language.words import NUMBER_RE, number
from models.errors import InvalidInput

#: the longest a run may wait after its event (a note weeks late reads as an afterthought)
MAX_DELAY_DAYS = 30
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}
_SPAN = (
    r"(?P<sign>-\s*|\bminus\s+)?\b(?P<amount>half\s+an?|\d+(?:\.\d+)?|" + NUMBER_RE + r")\s*"
    r"(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)\b"
)
# "3 days after", "2 days after they're rejected" ("a week later" is left to schedule edits)
_AFTER = re.compile(_SPAN + r"\s+(?:after|following|afterwards?)\b", re.I)
# "wait a week", "wait for 2 days", "change the delay to 3 days", "delay it by 2 days"
_WAIT = re.compile(
    r"\b(?:wait(?:s|ing)?|delay(?:ed)?|hold\s+it)(?:\s+(?:it|to|of|by|for))*\s+" + _SPAN, re.I
)
_BEFORE = re.compile(_SPAN + r"\s+(?:before|earlier\s+than|ahead\s+of)\b", re.I)
_AT_ONCE = re.compile(
    r"\b(?:right\s+away|straight\s+away|immediately|at\s+once|instantly|"
    r"(?:with\s+)?no\s+(?:delay|wait(?:ing)?)|without\s+(?:a\s+|any\s+)?(?:delay|waiting)|"
    r"don'?t\s+wait|do\s+not\s+wait|the\s+moment\s+(?:it\s+happens|they(?:'re|\s+are)\s+\w+))\b",
    re.I,
)


def _minutes(m: re.Match[str]) -> int:
    """The span a match says, in minutes; InvalidInput for a negative or vague one."""
    said = m.group(0).strip()
    if m.group("sign"):
        raise InvalidInput(
            f"“{said}” is a negative wait; say how long after the event, or “right away”."
        )
    word = re.sub(r"\s+", " ", m.group("amount").lower())
    amount: float | None
    if word.startswith("half"):
        amount = 0.5
    elif re.fullmatch(r"\d+\.\d+", word):
        amount = float(word)
    else:
        amount = number(word)
    if amount is None:
        raise InvalidInput(f"How long exactly? “{said}” is too vague.")
    return round(amount * _UNIT_MINUTES[m.group("unit")[0].lower()])


def read_delay(request: str) -> int | None:
    """The wait after the event a change asks for, in minutes (0: right away), or None when
    it says none. InvalidInput, one line, for a wait it cannot take."""
    # "right away instead of 2 days after": what it was is not what it becomes
    text = re.sub(r"\binstead\s+of\b.*", "", request.replace("\u2019", "'"), flags=re.I)
    if m := _BEFORE.search(text):
        raise InvalidInput(
            f"It runs after its event, not before (“{m.group(0).strip()}”): say how long after, "
            "or “right away”."
        )
    m = _AFTER.search(text) or _WAIT.search(text)
    if m is None:
        return 0 if _AT_ONCE.search(text) else None
    minutes = _minutes(m)
    if minutes > MAX_DELAY_DAYS * 1440:
        raise InvalidInput(
            f"It can wait at most {MAX_DELAY_DAYS} days after its event (“{m.group(0).strip()}” "
            "is longer); nothing changed."
        )
    return minutes


def is_delay_change(message: str) -> bool:
    """A short message that only changes how long to wait: "wait a week", "wait 2 days
    instead", "no delay"."""
    low = message.lower().replace("\u2019", "'").strip().rstrip(".!")
    if len(low.split()) > 8:
        return False
    return bool(
        re.fullmatch(r"(?:(?:please|ok|okay|actually|no)[,\s]+)*" + _WAIT.pattern + r".*", low)
        or re.fullmatch(
            r"(?:(?:please|ok|okay|actually|no)[,\s]+)*(?:no\s+delay|don'?t\s+wait|"
            r"do\s+not\s+wait)(?:\s+(?:instead|anymore|please))?",
            low,
        )
    )


def with_delay(event_filter: dict[str, Any], minutes: int) -> dict[str, Any]:
    """The event filter waiting `minutes` after the event (none for 0)."""
    kept = {k: v for k, v in event_filter.items() if k not in ("relative_to", "offset_minutes")}
    if minutes:
        kept.update({"relative_to": "event", "offset_minutes": minutes})
    return kept
