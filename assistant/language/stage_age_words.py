"""An event said in the past with an age, in a clause about the candidates listed: "who applied
over 30 days ago", "that moved to Offer more than 10 days ago", "who reached Interview 2 weeks
ago". The verb says which candidates are listed, never an event to run on: it is a wait in the
stage the event put them in, which the stale-candidate list counts, when the request says they
are still in it ("and are still in Applied"). Without that, no list counts time since the event
whatever stage a candidate has reached since: the request is asked about, naming the stage."""

from __future__ import annotations

import re

from assistant.language.clock_words import Text
from assistant.language.stage_words import StageCondition, known_stage, stage_name
from assistant.language.words import NUMBER_RE, business_days_in, number

_STAGE = r"(?:the\s+)?(?P<{0}>[a-z][\w&/+-]*(?:\s+[a-z][\w&/+-]*)??)(?:\s+stage)?"
_EVENT = (
    r"\b(?:who|that|which)\s+(?:(?:have|has|had|were|was)\s+)?(?:been\s+)?(?:"
    r"(?P<applied>applied|put\s+in\s+an\s+application|submitted\s+an\s+application)"
    r"|(?:(?:moved|advanced|progressed|promoted)\s+(?:in)?to|entered|reached|got\s+to"
    r"|went\s+(?:in)?to|came\s+(?:in)?to)\s+" + _STAGE.format("stage") + r")"
)
_AGE = (
    r"\s+(?:(?:more\s+than|over|at\s+least|longer\s+than|upwards\s+of)\s+)?"
    r"(?P<amount>" + NUMBER_RE + r")\s+(?P<business>business\s+|working\s+)?"
    r"(?P<unit>days?|weeks?|months?)\s+ago\b(?:\s+or\s+(?:more|longer|earlier))?"
)
_AGED_EVENT = re.compile(_EVENT + _AGE)
_STILL_IN = re.compile(
    r"(?:\s*,?\s*(?:and|but)\s+)?(?:(?:are|is)\s+)?still\s+(?:sitting\s+|stuck\s+)?in\s+"
    + _STAGE.format("still")
)
_DAYS_IN = {"d": 1, "w": 7, "m": 30}


def read_stage_age(text: Text) -> tuple[StageCondition | None, str | None]:
    """ "who applied over 30 days ago and are still in Applied" -> a wait of 30 days in
    Applied; the working text loses the clause. Said without "still in" that stage: no
    condition, and the stage the event put them in (for the question to name); the text is
    kept. (None, None) when there is no such clause."""
    m = _AGED_EVENT.search(text.low)
    if m is None:
        return None, None
    said = "Applied" if m.group("applied") else text.raw[m.start("stage") : m.end("stage")]
    stage = known_stage(said) or stage_name(said)
    still = _STILL_IN.search(text.low)
    if still is None:
        return None, stage
    named = text.raw[still.start("still") : still.end("still")]
    amount = number(m.group("amount"))
    if (known_stage(named) or stage_name(named)).lower() != stage.lower() or not amount:
        return None, None
    unit, business = m.group("unit"), bool(m.group("business"))
    days = amount * _DAYS_IN[unit[0]]
    text.take(m)
    text.take(still)
    calendar = None if business else f"{m.group('amount')} {unit}"
    counted = business_days_in(amount, unit, business) if unit[0] != "m" else round(days * 5 / 7)
    return StageCondition(stage, days, max(1, counted), calendar), stage


# the question's offer (see request_reading.unlisted_question), and answers that take it
_OFFERED = re.compile(r"I can list the ones still waiting in (?P<stage>.+?) \(say “")
_TAKEN = re.compile(
    r"(?:yes|yeah|yep|ok|okay|sure|please|do\s+that|that|those|the\s+(?:ones|candidates)"
    r"(?:\s+still\s+waiting)?|still\s+waiting)(?:[,\s]+please)?"
)
_STILL = re.compile(r"\bstill\s+(?:sitting\s+|stuck\s+|waiting\s+)?in\s+(?P<stage>.+)$", re.I)


def still_in_answer(question: str, request: str, answer: str) -> str | None:
    """The request with the stage said ("… and are still in Applied"), when `question`
    offered the ones still waiting in a stage and `answer` takes the offer ("yes", "those")
    or names the stage they are still in; None otherwise."""
    offered = _OFFERED.search(question)
    said = answer.strip().rstrip(".!")
    if offered is None:
        return None
    if _TAKEN.fullmatch(said.lower()):
        return f"{request} and are still in {offered.group('stage')}"
    if still := _STILL.search(said):
        return f"{request} and are still in {still.group('stage')}"
    return None


def says_aged_event(text: Text) -> bool:
    """Whether an unread clause lists candidates by an event's age ("who applied … ago")."""
    return _AGED_EVENT.search(text.low) is not None
