"""Time spent in a stage: "candidates stuck in screening for over a week", "if a candidate has
been in Interview for more than 5 days", "in the offer stage for 3 business days". The stage is
named as the ATS names it when the words are one of the usual stages ("screening" is Screen);
any other name is kept as said, and the skill matches it to the organisation's stages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.language.clock_words import Text
from assistant.language.words import NUMBER_RE, business_days_in, number

# the demo ATS's stages and the words recruiters use for them
_USUAL_STAGES = {
    "applied": "Applied",
    "application": "Applied",
    "applications": "Applied",
    "new": "Applied",
    "screen": "Screen",
    "screens": "Screen",
    "screening": "Screen",
    "phone screen": "Screen",
    "phone screening": "Screen",
    "interview": "Interview",
    "interviews": "Interview",
    "interviewing": "Interview",
    "offer": "Offer",
    "offers": "Offer",
    "offer stage": "Offer",
}
# words after "in" that are not stages ("in the morning for 5 days")
_NOT_STAGES = re.compile(
    r"(?:the\s+)?(?:morning|afternoon|evening|night|app|dashboard|inbox|slack|e-?mail|"
    r"pipeline|ats|system|queue|total|a\s+row|advance|a\s+week|a\s+day)$"
    # schedule words ("post in #hiring daily for 5 weeks": the channel was read already)
    r"|.*\b(?:daily|weekly|monthly|hourly|yearly|every|each|weekdays?|weekends?|mornings?|"
    r"evenings?|nights?|am|pm|utc|today|tomorrow|january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b"
)
_STAGE_NAME = (
    r"(?P<stage>[a-z][\w&/+-]*(?:\s+(?!for\b|over\b|more\b|longer\b|at\b)[a-z][\w&/+-]*){0,2}?)"
)
_IN_STAGE = re.compile(
    r"\b(?:(?:has|have|had)\s+been\s+|been\s+|are\s+|is\s+|was\s+|were\s+|still\s+|sat\s+)?"
    r"(?:(?:stuck|sitting|sat|waiting|languishing|parked|idle|left|stalled|lingering)\s+)?"
    r"in\s+(?:the\s+)?(?:stage\s+)?" + _STAGE_NAME + r"\s+(?:stage\s+|column\s+|step\s+)?"
    r"(?:for\s+(?:more\s+than\s+|over\s+|longer\s+than\s+|at\s+least\s+)?|over\s+|more\s+than\s+|"
    r"longer\s+than\s+|beyond\s+)"
    r"(?P<amount>" + NUMBER_RE + r")\s+(?P<business>business\s+|working\s+)?"
    r"(?P<unit>days?|weeks?)\b(?:\s+or\s+(?:more|longer))?"
)


@dataclass(frozen=True, slots=True)
class StageCondition:
    stage: str
    days: int  # calendar days
    business_days: int  # what an SLA counts: a week is 5
    calendar_said: str | None = None  # the wait when said in calendar days or weeks


def stage_name(said: str) -> str:
    """The ATS's name for a stage said in words: "screening" -> "Screen"."""
    words = " ".join(said.lower().split())
    words = re.sub(r"\s+stage$", "", words)
    if words in _USUAL_STAGES:
        return _USUAL_STAGES[words]
    return said.strip().title() if said == said.lower() else said.strip()


def known_stage(said: str) -> str | None:
    """The ATS's name for one of the usual stages said in words ("offer stage" -> "Offer"),
    None for any other words."""
    words = " ".join(said.lower().split())
    return _USUAL_STAGES.get(words) or _USUAL_STAGES.get(re.sub(r"\s+stage$", "", words))


def read_stage_condition(text: Text) -> tuple[StageCondition | None, str | None]:
    """ "stuck in screening for over a week" -> (Screen, 7 days, 5 business days), and a
    question when the amount is vague ("for a while", "for several days")."""
    for m in _IN_STAGE.finditer(text.low):
        said = text.raw[m.start("stage") : m.end("stage")]
        if _NOT_STAGES.match(said.lower()):
            continue
        text.take(m)
        amount = number(m.group("amount"))
        if amount is None or amount <= 0:
            return None, f"For how many days in {stage_name(said)}? '{m.group(0)}' is too vague."
        unit, business = m.group("unit"), bool(m.group("business"))
        days = amount * 7 if unit.startswith("week") else amount
        calendar = None if business else f"{m.group('amount')} {unit}"
        condition = StageCondition(
            stage_name(said), days, business_days_in(amount, unit, business), calendar
        )
        return condition, None
    return None, None
