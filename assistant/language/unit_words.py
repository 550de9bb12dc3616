"""Units of time as people abbreviate them, spelled out before any rule reads what was said:
"24h" is "24 hours", "2 hrs" "2 hours", "90 mins" "90 minutes", "5d" "5 days", "2 wks" "2
weeks", "1h30" "90 minutes", "1.5 hours" "90 minutes". Every reading of a duration (an offset
before an event, a window, a wait, a repeat, an edit) then takes them alike, and the rules keep
one spelling each.

"m" is minutes, never months: recruiting chat says "5m" for five minutes, and writes months
out or as "mo", "mos", "mth" or "mths". Quoted words are left as said (a reminder's text), and
so are amounts glued to other words ("#team-24h", "sam24h@…", "$5m") and an hour after "at"
("at 9h", a time of day)."""

from __future__ import annotations

import re

_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}
# each spelling of a unit, longest first so a regular expression takes the whole of it
_SPELLINGS = {
    "minute": ("minutes", "minute", "mins", "min", "m"),
    "hour": ("hours", "hour", "hrs", "hr", "h"),
    "day": ("days", "day", "d"),
    "week": ("weeks", "week", "wks", "wk", "w"),
    "month": ("months", "month", "mths", "mth", "mos", "mo"),
    "year": ("years", "year", "yrs", "yr"),
}
_UNIT_OF = {spelling: unit for unit, forms in _SPELLINGS.items() for spelling in forms}


def _any(*units: str) -> str:
    return "(?:" + "|".join(s for u in units for s in _SPELLINGS[u]) + ")"


# an amount starts a word of its own: not inside an address, a channel, a sum or a version
_START = r"(?<![\w#@$£€.,/:'-])(?<!\bat\s)(?<!@\s)"
_END = r"(?![\w@'-]|\.\w)"
_COMPOUND = re.compile(
    _START + r"(?P<big>\d+)\s?(?P<bu>" + _any("day", "hour") + r")(?:(?P<glued>(?=\d))|\s+"
    r"(?:and\s+)?(?=\d+\s?" + _any("hour", "minute") + _END + r"))(?P<small>\d+)\s?"
    r"(?P<su>" + _any("hour", "minute") + r")?" + _END,
    re.I,
)
_DECIMAL = re.compile(
    _START
    + r"(?P<whole>\d+)\.(?P<part>\d+)\s?(?P<unit>"
    + _any("week", "day", "hour")
    + ")"
    + _END,
    re.I,
)
_SIMPLE = re.compile(
    _START + r"(?P<n>\d+)\s?(?P<unit>" + _any(*_SPELLINGS) + ")" + _END,
    re.I,
)
_QUOTED = re.compile(r"(“[^”]*”|\"[^\"]*\")")


def _amount(minutes: int) -> str:
    """Minutes as an amount in the largest unit that holds them whole: 90 -> "90 minutes",
    2160 -> "36 hours", 1440 -> "1 day"."""
    for unit in ("week", "day", "hour"):
        size = _UNIT_MINUTES[unit]
        if minutes >= size and minutes % size == 0:
            return _plural(minutes // size, unit)
    return _plural(minutes, "minute")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _compound(m: re.Match[str]) -> str:
    big = _UNIT_OF[m.group("bu").lower()]
    small = "hour" if big == "day" else "minute"
    said_small = _UNIT_OF.get((m.group("su") or "").lower(), small)
    if said_small != small or (m.group("su") is None and m.group("glued") is None):
        return m.group(0)  # "2 days 30 minutes", "1 hour 30": not one amount
    total = int(m.group("big")) * _UNIT_MINUTES[big] + int(m.group("small")) * _UNIT_MINUTES[small]
    return _amount(total)


def _decimal(m: re.Match[str]) -> str:
    size = _UNIT_MINUTES[_UNIT_OF[m.group("unit").lower()]]
    fraction = int(m.group("part")) / 10 ** len(m.group("part"))
    minutes = (int(m.group("whole")) + fraction) * size
    if minutes != int(minutes):
        return m.group(0)  # "1.33 hours": no whole minutes, left for a question
    return _amount(int(minutes))


def _simple(m: re.Match[str]) -> str:
    return _plural(int(m.group("n")), _UNIT_OF[m.group("unit").lower()])


def spelled_out(said: str) -> str:
    """`said` with each abbreviated or fractional duration in whole words (see the module)."""
    parts = _QUOTED.split(said)
    for index in range(0, len(parts), 2):  # odd parts are quoted
        part = _COMPOUND.sub(_compound, parts[index])
        part = _DECIMAL.sub(_decimal, part)
        parts[index] = _SIMPLE.sub(_simple, part)
    return "".join(parts)
