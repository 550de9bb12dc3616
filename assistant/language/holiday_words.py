"""Words that have an automation skip the organisation's holidays, or run on them again: in a
request ("every Monday except holidays at 9", "not on bank holidays", "skip public holidays",
"every working day") and as a change ("skip holidays for #3", "don't run it on holidays",
"run #3 on holidays too", "stop skipping holidays for the digest"); and how a draft says it."""

from __future__ import annotations

import re
from datetime import date

# "holidays", "bank holidays", "our public holidays", "the organisation's holidays"
_HOLIDAYS = (
    r"(?:(?:the|our|my|public|bank|company|national|official|federal|office|statutory"
    r"|organi[sz]ation'?s|team'?s)\s+)*holidays"
)
# what a request adds to its schedule: said, it is read and taken out of the words
_EXCEPT = re.compile(
    rf"\s*,?\s*\b(?:(?:and|but)\s+)?(?:"
    rf"(?:except|excluding|apart\s+from|other\s+than|not|never)\s+(?:on\s+|during\s+)?{_HOLIDAYS}"
    rf"|(?:skip(?:ping)?|avoid(?:ing)?)\s+{_HOLIDAYS}"
    rf"|(?:not|never)\s+(?:on|during)\s+{_HOLIDAYS}"
    rf")\b(?:\s+too|\s+as\s+well)?",
    re.I,
)
# a working day is neither a weekend day nor a holiday: "every working day", "on working days"
_WORKING_DAYS = re.compile(
    r"\b(?:every|each)\s+(?:working|business|work)\s+day\b"
    r"|\bon\s+(?:working|business|work)\s+days\b",
    re.I,
)
_REF = r"(?P<ref>#\d+|it|this|that|(?:the|my|our)\s+.+?)"
# a change: (the automation named, whether it skips holidays from now on)
_SKIP_NOW = re.compile(
    rf"(?:please\s+)?(?:(?:make\s+{_REF}\s+)?(?:skip|avoid)\s+{_HOLIDAYS}"
    rf"(?:\s+(?:for|on|in|with)\s+{_REF.replace('ref', 'ref2')})?"
    rf"|(?:don'?t|do\s+not|never)\s+(?:run|send|post|e-?mail)\s+{_REF.replace('ref', 'ref3')}"
    rf"\s+(?:on|during)\s+{_HOLIDAYS}"
    rf"|{_REF.replace('ref', 'ref4')}\s+(?:should|must)\s+(?:skip|avoid)\s+{_HOLIDAYS})"
    rf"(?:,?\s+please)?[\s.!]*",
    re.I,
)
_RUN_AGAIN = re.compile(
    rf"(?:please\s+)?(?:(?:run|send|post|e-?mail)\s+{_REF}\s+(?:on|during)\s+{_HOLIDAYS}"
    rf"(?:\s+(?:too|as\s+well|again|after\s+all))?"
    rf"|(?:stop\s+skipping|don'?t\s+skip|do\s+not\s+skip|no\s+longer\s+skip)\s+{_HOLIDAYS}"
    rf"(?:\s+(?:for|on|in|with)\s+{_REF.replace('ref', 'ref2')})?)"
    rf"(?:,?\s+please)?[\s.!]*",
    re.I,
)


def take_holiday_words(request: str) -> tuple[str, bool]:
    """The request without the words that ask to skip holidays, and whether it asks: "every
    working day" asks too, and stays (it is the schedule's weekdays as well)."""
    taken = _EXCEPT.sub(" ", request)
    asked = taken != request or _WORKING_DAYS.search(request) is not None
    return re.sub(r"\s{2,}", " ", taken).strip() if taken != request else request, asked


def holiday_switch(text: str) -> tuple[str, bool] | None:
    """A change that only turns holiday skipping on or off: the automation it names ("it"
    when none) and whether it skips holidays from now on; None for any other words."""
    said = text.strip()
    for pattern, skips in ((_RUN_AGAIN, False), (_SKIP_NOW, True)):
        if m := pattern.fullmatch(said):
            ref = next((g for g in m.groups() if g), None) or "it"
            return ref.strip(), skips
    return None


#: a draft's question when the words ask to skip holidays on a trigger that cannot
NO_HOLIDAYS_HERE = (
    "Only a repeating schedule can skip holidays: a one-off, an event or a check runs as it is. "
    "Say it without “except holidays”, or give it a repeating schedule."
)
#: a draft's note when it skips holidays and the organisation has none yet
NO_HOLIDAYS_YET = (
    "your organisation has no holidays in its calendar yet, so none is skipped until an admin "
    "adds them (“add December 25 as a holiday called Christmas Day”, `skilltick holidays add`, "
    "or the dashboard's admin page)."
)
#: how far ahead a read-back names the holidays it skips
AHEAD_DAYS = 90


def _days(days: list[date]) -> str:
    shown = ", ".join(f"{d:%a} {d.day} {d:%b}" for d in days[:6])
    return shown + (f" and {len(days) - 6} more" if len(days) > 6 else "")


def holiday_lines(skips: bool, days: list[date] | None) -> tuple[list[str], list[str]]:
    """A draft's read-back of holidays: (its lines, its notes). `days`: the local dates of
    its runs in the next 90 days that fall on the organisation's holidays (None: unknown)."""
    if skips:
        if days is None:
            return ["- Holidays: skips your organisation's holidays"], []
        if not days:
            return [
                "- Holidays: skips your organisation's holidays (none falls on its runs in "
                f"the next {AHEAD_DAYS} days)"
            ], []
        count = f"{len(days)} holiday{'s' if len(days) > 1 else ''}"
        return [
            f"- Holidays: skips your organisation's {count} on its runs in the next "
            f"{AHEAD_DAYS} days: {_days(days)}"
        ], []
    if days:
        return [], [
            f"it runs on your organisation's holidays too ({_days(days)} in the next "
            f"{AHEAD_DAYS} days); add “except holidays” to the request to skip them."
        ]
    return [], []
