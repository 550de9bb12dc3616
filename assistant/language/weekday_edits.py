"""A change to a repeating automation in its own terms: "move it to Thursday" moves its
weekday, "every other week" keeps the days it runs on, "twice a week" asks on which days."""

from __future__ import annotations

import re

from assistant.language.words import NUMBER_WORDS
from models.errors import InvalidInput
from models.tables.automations import Automation
from worker.schedule.rrule import rrule_parts

_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_BYDAY = dict(zip(("SU", "MO", "TU", "WE", "TH", "FR", "SA"), _DAYS, strict=True))
_DAY_RE = "|".join(_DAYS)
# "move it to Thursday": for a repeating automation, its weekday (not one Thursday)
_ONE_DAY = re.compile(rf"(?<!next )(?<!this )(?<!coming )\b({_DAY_RE})\b(?!s|')", re.I)
_A_DATE = re.compile(
    r"\b(?:next|this|coming|tomorrow|today|tonight|once|\d{1,2}(?:st|nd|rd|th)|\d{1,2}/\d|"
    r"jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)
# "every other week", "biweekly": a step of weeks, on the days it runs now unless others are named
_WEEKS = re.compile(
    r"\b(?:bi-?weekly|fortnightly|every\s+(?:other|second|two|three|four|\d{1,2})\s+weeks?)\b", re.I
)
# "twice a week": how many runs a week, not on which days
_WEEK_RATE = re.compile(
    r"\b(twice|thrice|(?:two|three|four|five|six|[2-6])\s+times)\s+(?:a|per|each)\s+week\b", re.I
)
_ANY_DAY = re.compile(rf"\b(?:{_DAY_RE}|weekdays?|weekends?|daily|every day)s?\b", re.I)


def _rate_example(rate: re.Match[str]) -> str:
    """Days that fit "twice a week" (or 3, 4, 5, 6 times) as an example."""
    count = {"twice": 2, "thrice": 3}.get(rate.group(1).lower())
    if count is None:
        said = rate.group(1).split()[0].lower()
        count = int(said) if said.isdigit() else NUMBER_WORDS.get(said) or 2
    days = (
        "Monday and Thursday",
        "Monday, Wednesday and Friday",
        "Monday to Thursday",
        "weekday",
        "day but Sunday",
    )
    return f"“every {days[min(count, 6) - 2]} at 9am”"


def days_now(auto: Automation) -> list[str]:
    """The weekdays a repeating automation runs on, when it names them."""
    if auto.cron_expression:
        field = auto.cron_expression.split()[4]
        days: list[int] = []
        for part in field.split(","):
            low, _, high = part.partition("-")
            if not low.isdigit() or (high and not high.isdigit()):
                return []
            days.extend(range(int(low), int(high or low) + 1))
        return [_DAYS[d % 7] for d in days]
    if auto.rrule:
        byday = rrule_parts(auto.rrule).get("BYDAY", "")
        return [_BYDAY[d] for d in byday.split(",") if d in _BYDAY]
    return []


def in_repeating_terms(auto: Automation, request: str) -> str:
    """A change to a repeating automation in its own terms: "move it to Thursday" moves its
    weekday, "every other week" keeps its days."""
    if not (auto.cron_expression or auto.rrule) or _A_DATE.search(request):
        return request
    request = _ONE_DAY.sub(lambda m: m.group(1) + "s", request)
    if (weeks := _WEEKS.search(request)) and not _ANY_DAY.search(request):
        days = days_now(auto)
        if not days:
            raise InvalidInput("On which days of the week? Say e.g. “every other Monday”.")
        step = re.sub(
            r"bi-?weekly|fortnightly|every\s+(?:other|second)\s+week",
            "every 2 weeks",
            weeks.group(0),
            flags=re.I,
        )
        request = (
            f"{request[: weeks.start()]}{step} on {' and '.join(days)}{request[weeks.end() :]}"
        )
    return request


def check_week_rate(request: str) -> None:
    """ "twice a week" without the days: asked on which, with days that fit as an example."""
    if (rate := _WEEK_RATE.search(request)) and not _ANY_DAY.search(request):
        raise InvalidInput(
            f"{rate.group(0).capitalize()} on which days? Say e.g. {_rate_example(rate)}."
        )
