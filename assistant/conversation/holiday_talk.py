"""The organisation's holiday calendar by words: "what are our holidays?", "add December 31 as
a holiday called New Year's Eve", "remove Dec 24 from the holidays". Changing it is the admins'
(the tool set refuses anyone else). Business-day counts (the stale-candidate SLA) and candidate
quiet hours skip these days; the replies say so, and no more."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assistant.conversation.reply import Reply
from assistant.language.bound_words import DATE_RE, date_in

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

_OURS = r"(?:the|our|my|this\s+year'?s|the\s+organi[sz]ation'?s?|the\s+team'?s?)"
_CALENDAR = rf"(?:{_OURS}\s+)?(?:holidays|holiday\s+calendar|holiday\s+list|days\s+off)"


def _name(n: int) -> str:
    """A holiday's name said after its day ("called New Year's Eve", "(Boxing Day)")."""
    return rf"(?:\s+(?:called|named|for)\s+(?P<name{n}>.+)|\s*\((?P<named{n}>[^)]+)\))?"


_ADD = re.compile(
    r"(?:please\s+)?(?:add|mark|make|set|put)\s+(?P<day>.+?)\s+(?:as|to\s+be)\s+an?\s+"
    r"(?:(?P<kind>[\w' -]+?)\s+)?(?:holiday|day\s+off)"
    + _name(1)
    + r"|(?:please\s+)?(?:add|put)\s+(?P<day2>.+?)\s+(?:to|on|in)\s+"
    + _CALENDAR
    + _name(2)
    + r"|(?:please\s+)?add\s+an?\s+holiday\s+on\s+(?P<day3>.+?)"
    + _name(3)
    + r"|(?P<day4>.+?)\s+is\s+an?\s+holiday"
    + _name(4),
    re.I,
)
_REMOVE = re.compile(
    r"(?:please\s+)?(?:remove|delete|drop|take)\s+(?:the\s+holiday\s+on\s+)?(?P<day>.+?)"
    rf"(?:\s+(?:from|off|out\s+of)\s+{_CALENDAR})?"
    r"|(?P<day2>.+?)\s+is\s+(?:not|no\s+longer)\s+an?\s+holiday(?:\s+any\s*more)?",
    re.I,
)
_LIST = re.compile(
    rf"(?:what|which)(?:'s|\s+is|\s+are)\s+{_CALENDAR}"
    rf"|(?:list|show)(?:\s+me)?\s+{_CALENDAR}"
    r"|(?:what|which)\s+(?:days|dates)\s+(?:are|do\s+we\s+have\s+as)\s+(?:our\s+)?holidays"
    r"|(?:do\s+we\s+have\s+any|any)\s+holidays|holidays",
    re.I,
)
_SKIPPED = "business-day counts (the stale-candidate list) and candidate quiet hours skip it"


def holiday_said(tools: Toolset, actor: Actor, text: str, tz: str | None) -> Reply | None:
    """The reply to a question about the holidays or a change of them; None when `text` is
    neither."""
    said = re.sub(r"\s+", " ", text.strip().replace("\u2019", "'")).rstrip(" ?.!")
    if _LIST.fullmatch(said):
        return _listed(tools, actor)
    today = tools.clock().astimezone(ZoneInfo(tz or "UTC")).date()
    if m := _ADD.fullmatch(said):
        day = _day(next(g for g in m.group("day", "day2", "day3", "day4") if g), today)
        if day is None:
            return None
        names = [m.group(f"{kind}{n}") for kind in ("name", "named") for n in range(1, 5)]
        kind = f"{m.group('kind')} holiday" if m.group("kind") else ""  # "a bank holiday"
        name = next((n for n in names if n), kind).strip(" \"'“”")
        added = tools.add_holiday(actor, day, name)
        return Reply(f"Added {_said(added.day, added.name)} to the holidays: {_SKIPPED}.", "done")
    if m := _REMOVE.fullmatch(said):
        day = _day(m.group("day") or m.group("day2"), today)
        if day is None or not (m.group("day2") or re.search(r"holiday|days\s+off", said, re.I)):
            return None  # "remove the Berlin filter": not about the calendar
        if day not in {h.day for h in tools.list_holidays(actor)}:
            return Reply(f"{_said(day, '')} is not among the holidays; nothing changed.", "info")
        tools.remove_holiday(actor, day)
        return Reply(f"Removed {_said(day, '')} from the holidays.", "done")
    return None


def _day(words: str, today: date) -> date | None:
    """The date `words` are, and only that: "December 31", "the 24th of December", "2026-12-31"
    (without a year, the next one from today)."""
    m = re.fullmatch(r"(?:on\s+)?" + DATE_RE, words.strip().lower())
    return date_in(m.groups(), today) if m else None


def _listed(tools: Toolset, actor: Actor) -> Reply:
    holidays = tools.list_holidays(actor)
    if not holidays:
        add = "add" if actor.is_admin else "ask an admin to add"
        return Reply(f"No holidays are set; {add} one with “add December 31 as a holiday”.", "info")
    days = "; ".join(_said(h.day, h.name) for h in holidays)
    return Reply(
        f"Your holidays: {days}. Business-day counts (the stale-candidate list) and candidate "
        "quiet hours skip them.",
        "info",
    )


def _said(day: date, name: str) -> str:
    when = datetime(day.year, day.month, day.day).strftime("%a %d %b %Y")
    return f"{when} ({name})" if name else when
