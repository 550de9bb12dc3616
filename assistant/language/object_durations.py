"""Durations that say which items are listed, not when the automation runs: "roles that have
been open for more than 30 days", "candidates who haven't heard from us in a week", "applicants
older than 2 weeks". A duration belongs to the object when a filter word governs it in its own
clause: a relative pronoun ("who", "that"), a negation ("no", "haven't"), a comparison right
before it ("more than", "older than", "in the last", "since") or a state it measures ("open
for", "stuck for"). The schedule is read without such durations; whatever no skill reads of them
is said in the read-back, never taken as the schedule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.language.clock_words import Text
from assistant.language.words import NUMBER_RE, number

_UNIT = r"(?:hours?|hrs?|days?|weeks?|fortnights?|months?|years?)"
_DURATION = re.compile(
    r"\b(?P<n>"
    + NUMBER_RE
    + r")\s+(?P<kind>business\s+|working\s+|calendar\s+)?(?P<unit>"
    + _UNIT
    + r")\b(?:\s+(?:ago|old))?"
)
# the words before a duration that make it a rate, an interval or a span ahead: the schedule's
_SCHEDULE_BEFORE = re.compile(
    r"\b(?:every|each|per|once|twice|thrice|times|other|next|coming|following|after|before)\s*$"
)
# what ends the clause a duration sits in, looking back from it
_CLAUSE_END = re.compile(
    r"[,;.:!?]|\b(?:every|each|send|email|e-mail|post|message|tell|notify|ping|dm|remind|then"
    r"|when|whenever|if|and|please|at)\b"
)
# anywhere in its clause: a relative pronoun or a negation governs the duration
_CLAUSE_FILTER = re.compile(
    r"\b(?:who|that|which|whose|whom|no|not|never|without|nobody|none|\w+n['\u2019]t)\b"
)
_NEGATION = re.compile(r"\b(?:no|not|never|without|nobody|none|\w+n['\u2019]t)\b")


def negated(low: str, start: int) -> bool:
    """Whether the clause before `start` in the working text is negated ("roles with no
    applicants in the last 10 days"): a time phrase there says which items are listed."""
    before = low[:start]
    ends = list(_CLAUSE_END.finditer(before))
    clause = (before[ends[-1].end() :] if ends else before).split()
    # "but not today's": a negation right before the phrase excludes it, it filters nothing
    return _NEGATION.search(" ".join(clause[:-1])) is not None


# right before it (with its preposition): a comparison or a state it measures
_COMPARISON = (
    r"(?:more|less|fewer|older|longer|shorter|newer|younger)\s+than|at\s+(?:least|most)|over"
    r"|under|since|(?:the\s+)?(?:last|past|previous)"
)
_STATE = r"(?:open|stuck|idle|stale|inactive|untouched|waiting|sitting|pending|unanswered)"
_RIGHT_BEFORE = re.compile(
    r"(?:\b" + _STATE + r"(?:\s+(?:for|in))?(?:\s+(?:" + _COMPARISON + r"))?"
    r"|\b(?:(?:in|for|within|over|during)\s+)?(?:" + _COMPARISON + r"))\s*$"
)
# the prepositions and comparisons said with the duration, blanked with it
_WITH_IT = re.compile(
    r"(?:\b(?:in|for|within|over|during|since)\s+)?(?:(?:the\s+)?(?:" + _COMPARISON + r")\s+)?$"
)
_DAYS = {"h": 1 / 24, "d": 1, "w": 7, "f": 14, "m": 30, "y": 365}


@dataclass(frozen=True)
class ObjectDuration:
    """One duration of the object: as said (with its preposition), and its length in days
    (None when vague: "a few days")."""

    said: str
    days: float | None
    start: int
    end: int


def object_durations(text: Text) -> list[ObjectDuration]:
    """The durations of `text`'s working text that a filter word ties to what is listed."""
    found = []
    for m in _DURATION.finditer(text.low):
        before = text.low[: m.start()]
        if _SCHEDULE_BEFORE.search(before):
            continue
        ends = list(_CLAUSE_END.finditer(before))
        clause = before[ends[-1].end() :] if ends else before
        if not (_RIGHT_BEFORE.search(before) or _CLAUSE_FILTER.search(clause)):
            continue
        lead = _WITH_IT.search(before)
        start = lead.start() if lead else m.start()
        amount = number(m.group("n"))
        days = amount * _DAYS[m.group("unit")[0]] if amount else None
        found.append(ObjectDuration(text.raw[start : m.end()].strip(), days, start, m.end()))
    return found


_RELATIVE = re.compile(r"\b(?:who|that|which|whose|whom)\b")


def blank_relative_clauses(text: Text, keep: list[tuple[int, int]]) -> list[ObjectDuration]:
    """Blank the relative clauses that end in an object's duration ("who applied more than 2
    weeks ago"): their verbs describe what is listed, never an event to run on. `keep`: spans
    another rule reads (a condition on contact); the durations blanked."""
    blanked = []
    for d in object_durations(text):
        before = text.low[: d.start]
        ends = list(_CLAUSE_END.finditer(before))
        start = ends[-1].end() if ends else 0
        pronoun = _RELATIVE.search(before, start)
        if pronoun is None or any(a < d.end and pronoun.start() < b for a, b in keep):
            continue
        text.low = text.low[: pronoun.start()] + " " * (d.end - pronoun.start()) + text.low[d.end :]
        blanked.append(d)
    return blanked


def blank_object_durations(text: Text) -> list[ObjectDuration]:
    """Blank the object's durations out of the working text; the ones blanked."""
    durations = object_durations(text)
    for d in durations:
        text.low = text.low[: d.start] + " " * (d.end - d.start) + text.low[d.end :]
    return durations


def unread_durations(durations: list[ObjectDuration], params: dict[str, Any]) -> list[str]:
    """The durations no param carries: a param of the same length in days, hours or business
    days (five a week) reads it."""
    values = {v for v in params.values() if isinstance(v, int | float) and v is not True}
    unread = []
    for d in durations:
        lengths = {d.days, d.days * 24, d.days * 5 / 7} if d.days is not None else set()
        if not any(abs(length - v) < 0.01 for length in lengths for v in values):
            unread.append(d.said)
    return unread
