"""Time words that place the data, not the run: "today's interviews", "the interviews I have
today", "candidates who applied yesterday", "new applicants in the last 24 hours", "since the last
report". In a request that repeats they say what each run covers; understand() reads them out of
the working text only once the rest of the request has read as a repeating schedule, so a request
whose only time words are these still asks when it should run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from assistant.language.clock_words import Text
from assistant.language.event_words import condition_spans
from assistant.language.object_durations import negated
from assistant.language.words import NUMBER_RE, number
from skills.windows import LOOKAHEAD_DAYS, STATED_MARGIN

_APOSTROPHE = "['\u2019]"  # typed or typographic
_SPAN = r"(?:hours?|hrs?|days?|weeks?|fortnights?|months?)"
# windows that lie before the run: a schedule cannot mean them, so any preposition may carry them
_PAST = (
    r"(?:yesterday|(?:the\s+)?(?:last|past|previous|preceding)\s+(?:(?:"
    + NUMBER_RE
    + r")\s+)?"
    + _SPAN
    # "the last week of/in March" is a schedule's; "the last 2 weeks in the morning" is not
    + r"(?!\s+(?:of|in)\s(?!the\s+(?:morning|afternoon|evening)\b))|last\s+night)"
)
# windows around the run ("this week", "tomorrow") are also how schedules and their bounds are
# said ("every day at 9 this week", "from tomorrow"): only a possessive or a verb ties them to data
_THE_DAY = r"the\s+day(?:\s+ahead)?(?!\s+after)"  # the run's day
_AROUND = (
    r"(?:today|tonight|tomorrow|"
    + _THE_DAY
    + r"|this\s+(?:week|month|fortnight)|(?:the\s+)?(?:next|coming)\s+"
    r"(?:(?:" + NUMBER_RE + r")\s+)?" + _SPAN + r")"
)
_WINDOW = r"(?:" + _PAST + r"|" + _AROUND + r")"
PERIOD = _WINDOW  # a period in words, as a question about what happened says it too
# after a verb ("scheduled for the next 2 weeks") a span ahead is how a schedule's end is said
_DAY_AROUND = (
    r"(?:" + _PAST + r"|today|tonight|tomorrow|" + _THE_DAY + r"|this\s+(?:week|month|fortnight))"
)
_HAPPENED = (
    r"(?:applied|apply|came\s+in|come\s+in|arrived|joined|signed\s+up|added|sourced|created|"
    r"received|submitted|moved|booked|scheduled|happening|coming\s+up|planned|lined\s+up|"
    r"taking\s+place|set\s+up|contacted|hired|rejected|withdrew|replied|on\s+(?:my|the)\s+"
    r"(?:calendar|schedule|agenda))"
)
# what a report lists or is: a window right after it is the report's
_MET = (
    r"(?:interviews?|calls?|meetings?|phone\s+screens?|onsites?|applicants?|applications?|"
    r"candidates?)"
)
_LISTED = (
    r"(?:" + _MET + r"|report|recap|summary|digest|update|overview|stats|pipeline|activity|"
    r"numbers|metrics|follow[- ]?ups?)"
)
_THIS = r"(?:today|tonight|tomorrow|" + _THE_DAY + r"|this\s+(?:week|month|fortnight))"
_DATA_PHRASES = tuple(
    re.compile(rx)
    for rx in (
        # "today's interviews", "last week's applicants", "the last 24 hours' activity"
        r"\b(?P<w>" + _WINDOW + r")(?:" + _APOSTROPHE + r"s?)(?!\w)",
        # "the interviews I have today", "what we've got on tomorrow"
        r"\b(?:(?:that|which)\s+)?(?:i|we|you)\s*(?:have|"
        + _APOSTROPHE
        + r"ve|have\s+got|"
        + _APOSTROPHE
        + r"ve\s+got|got|am"
        r"\s+doing|are\s+doing)\s+(?:on\s+|lined\s+up\s+|booked\s+|scheduled\s+|coming\s+up\s+)?"
        r"(?:for\s+|on\s+)?(?P<w>" + _WINDOW + r")\b",
        # "candidates who applied yesterday", "interviews scheduled for tomorrow"
        r"\b(?:(?:who|that|which)\s+)?(?:(?:has|have|had)\s+(?:been\s+)?|(?:is|are|was|were)\s+)?"
        + _HAPPENED
        + r"\s+(?:for\s+|on\s+|in\s+|during\s+|over\s+|within\s+|since\s+)?(?P<w>"
        + _DAY_AROUND
        + r")\b",
        # "applicants from yesterday", "activity in the last 24 hours", "since yesterday"
        r"\b(?:from|in|during|over|within|since|of|for|covering)\s+(?P<w>" + _PAST + r")\b",
        # "interviews in (of) the next 4 hours", "interviews scheduled for the next 2 days": only
        # right after what is listed, as bounds say it too
        r"\b(?:interviews?|calls?|meetings?|phone\s+screens?|onsites?)\s+(?P<x>"
        r"(?:(?:(?:that|which)\s+)?(?:(?:are|is)\s+)?(?:scheduled|booked|planned|lined\s+up"
        r"|set\s+up|coming\s+up|happening|taking\s+place)\s+)?(?:for|in|within|over|during|of)\s+"
        r"(?P<w>(?:the\s+)?(?:next|coming)\s+(?:(?:" + NUMBER_RE + r")\s+)?" + _SPAN + r"))\b",
        r"\bfor\s+(?P<w>today|tonight|tomorrow|" + _THE_DAY + r")\b",
        # "a pipeline report of this week" ("for this week", "from tomorrow" may bound the runs)
        r"\b" + _LISTED + r"\s+(?P<x>of\s+(?P<w>" + _THIS + r"))\b",
        # "my interviews today"
        r"\b" + _MET + r"\s+(?P<x>(?P<w>today|tonight|tomorrow))\b",
        # since the previous run: the window each run already covers
        r"\bsince\s+(?:the\s+(?:last|previous)\s+(?:one|run|time|report|e-?mail|alert|message|"
        r"recap|update|digest|summary|check)|(?:the\s+)?last\s+time|then)\b",
    )
)
# an interview briefing on a schedule also lists the interviews starting this long after its window
BRIEFING_MARGIN_MINUTES = int(STATED_MARGIN.total_seconds()) // 60
_HOURS = {"h": 1, "d": 24, "w": 168, "f": 336, "m": 720}


@dataclass(frozen=True)
class DataWindow:
    """One phrase placing the data: `hours` back (or ahead) from each run when it says a length,
    `day` the day it names relative to the run's (-1 yesterday, 0 today, 1 tomorrow)."""

    said: str
    hours: int | None = None
    ahead: bool = False
    day: int | None = None


def data_spans(text: Text) -> list[re.Match[str]]:
    """Every data phrase of the working text, first ones first, none overlapping; none in a
    condition on contact ("no activity in the last 14 days" says which candidates)."""
    found: list[re.Match[str]] = []
    conditions = condition_spans(text.low)
    for pattern in _DATA_PHRASES:
        for m in pattern.finditer(text.low):
            start, end = _span(m)
            if negated(text.low, start):
                continue  # "no applicants in the last 10 days": a filter, not a run's window
            taken = [_span(o) for o in found] + conditions
            if not any(start < other_end and other_start < end for other_start, other_end in taken):
                found.append(m)
    return sorted(found, key=lambda m: _span(m)[0])


def _span(m: re.Match[str]) -> tuple[int, int]:
    """The phrase's own words: group x when it names them (the rest only anchors it)."""
    return m.span("x") if m.groupdict().get("x") else m.span()


def blank(text: Text, spans: list[re.Match[str]]) -> Text:
    """A copy of `text` without the phrases of `spans`."""
    copy = Text(text.raw)
    copy.low = text.low
    for m in spans:
        start, end = _span(m)
        copy.low = copy.low[:start] + " " * (end - start) + copy.low[end:]
    return copy


def window_of(text: Text, m: re.Match[str]) -> DataWindow:
    """What a data phrase of `text` (a match of data_spans) says about the window."""
    start, end = _span(m)
    said = text.raw[start:end].strip()
    words = m.groupdict().get("w") or ""
    if not words:
        return DataWindow(said)
    if words in ("yesterday", "last night"):
        return DataWindow(said, hours=24, day=-1)
    if words in ("today", "tonight") or words.startswith("the day"):
        return DataWindow(said, hours=24, day=0)
    if words == "tomorrow":
        return DataWindow(said, hours=24, ahead=True, day=1)
    unit = re.search(_SPAN + r"$", words)
    amount_said = re.search(r"(?:last|past|previous|preceding|next|coming)\s+(.+?)\s+\S+$", words)
    amount = number(amount_said.group(1)) if amount_said else 1
    hours = _HOURS[unit.group(0)[0]] * amount if unit and amount else None
    return DataWindow(said, hours=hours, ahead=bool(re.match(r"(?:the\s+)?(?:next|coming)", words)))


# skills whose runs on a schedule cover what happened since the previous run
_SINCE_PREVIOUS = ("new-candidate-alert", "sourcing-recap", "pipeline-report")


def fit_window(skill: str, params: dict[str, Any], window: DataWindow, first: datetime) -> str:
    """Set the window parameter the words name clearly; the sentence the read-back states
    about what each run covers. `first`: the first run, in the automation's zone."""
    said = f"“{window.said}” says what each run covers, not when it runs"
    hours = window.hours
    if skill == "new-candidate-alert" and hours and not window.ahead and window.day != 1:
        params["since_hours"] = min(hours, 8760)
        return (
            f"{said}: each alert lists the applications since the previous one, the first "
            f"those of the last {_length(params['since_hours'])}"
        )
    if skill == "sourcing-recap" and hours and not window.ahead and window.day != 1:
        params["days"] = min(max(1, -(-hours // 24)), 365)
        return (
            f"{said}: each recap covers the activity since the previous one, the first that of "
            f"the last {_length(int(params['days']) * 24)}"
        )
    if skill == "pipeline-report" and hours in (24, 168) and not window.ahead:
        params["period"] = "daily" if hours == 24 else "weekly"
        return (
            f"{said}: each report shows stage movement since the previous one, the first that "
            f"of the last {_length(hours)}"
        )
    if skill == "interview-briefing" and (window.ahead or window.day == 0) and hours:
        return f"{said}: {_lead(params, window, first)}"
    if hours is None and skill in _SINCE_PREVIOUS:
        return f"{said}: each run covers what happened since the previous one"
    return (
        f"“{window.said}” is about what it lists, not when it runs; {skill} has no setting for "
        "that window, so it lists what it always does"
    )


def lead_to_midnight(hour: int, minute: int) -> int:
    """The `lead_minutes` with which a briefing run at hour:minute lists the interviews until
    midnight (on the clock: a day that changes to or from summer time has an hour more or less)."""
    return max(1, 1440 - hour * 60 - minute - BRIEFING_MARGIN_MINUTES)


def _lead(params: dict[str, Any], window: DataWindow, first: datetime) -> str:
    """An interview briefing on a schedule lists the interviews starting up to `lead_minutes`
    (and a 5-minute margin) after each run, at most LOOKAHEAD_DAYS ahead."""
    if window.day in (0, 1):
        minutes = lead_to_midnight(first.hour, first.minute) + 1440 * window.day
    else:
        minutes = (window.hours or 24) * 60 - BRIEFING_MARGIN_MINUTES
    furthest = LOOKAHEAD_DAYS * 1440
    lead = params["lead_minutes"] = max(1, min(minutes, furthest))
    if window.day == 0:
        return "each run lists your interviews from then until midnight"
    if window.day == 1:
        return (
            "each run lists your interviews from then until the end of the next day (the rest "
            "of its own day too)"
        )
    if minutes <= furthest:
        return f"each run lists your interviews of the {_length(window.hours or 24)} after it"
    reach = first + timedelta(minutes=lead + BRIEFING_MARGIN_MINUTES)
    return (
        f"each run lists your interviews of the {LOOKAHEAD_DAYS} days after it, not the "
        f"{_length(window.hours or 24)} you said: a briefing looks at most that far ahead "
        f"(from a run on {first:%a %H:%M}, up to {reach:%a %H:%M})"
    )


def _length(hours: float) -> str:
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    if hours == int(hours):
        return "hour" if hours == 1 else f"{int(hours)} hours"
    whole, minutes = int(hours), round((hours - int(hours)) * 60)
    return f"{whole} h {minutes:02d} min"


# what the rest of a request names when no skill phrase does, once a data window was read
_DATA_SKILLS = (
    ("interview-briefing", re.compile(r"\binterviews?\b|\bphone screens?\b|\bonsites?\b")),
    (
        "new-candidate-alert",
        re.compile(r"\bappl(?:icants?|ications?|ied|ies)\b|\bcandidates?\b|\bsign[- ]?ups?\b"),
    ),
)


def data_skill(request: str) -> str | None:
    """The skill serving the data the request asks for, when only one does."""
    low = request.lower()
    found = [skill for skill, pattern in _DATA_SKILLS if pattern.search(low)]
    return found[0] if len(found) == 1 else None
