"""Whether words could refer to an automation at all: "it", "#5", "the second one", "my
pipeline report", "the Monday one", "dana's alert" could; "the weather" or "the capital of
France" could not. A phrase could refer to one when a word of it belongs to the vocabulary
automations are spoken of in: what the skills do (their names, labels and descriptions), when
automations run, the words of the speaker's automations (names and triggers), or a pointer
("it", "#5", an ordinal, someone's). A phrase none of whose words do is about something
skilltick does not hold, so it is answered as such rather than looked for among automations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.language.words import SKILL_LABELS
from skills.base import SkillSpec

_POINTERS = {
    "it", "that", "this", "them", "those", "these", "one", "ones", "automation", "automations",
    "job", "jobs", "skill", "skills", "schedule", "scheduled", "trigger", "run", "runs",
}  # fmt: skip
# words that only point together with one of the others ("the latest one", "the second one")
_MODIFIERS = {
    "same", "last", "latest", "first", "second", "third", "fourth", "fifth", "sixth",
    "seventh", "eighth", "ninth", "tenth", "previous", "next", "other", "another",
}  # fmt: skip
_KINDS = {
    "report", "alert", "reminder", "summary", "message", "email", "notification", "digest",
    "recap", "briefing", "note", "update", "list", "ping", "dm", "post", "nudge", "check",
    "followup", "follow", "sequence", "sla", "pipeline", "sourcing", "interview", "offer",
    "candidate", "hiring", "renewal", "nurture", "prep", "stale", "new", "noop",
}  # fmt: skip
_WHEN = {
    "daily", "weekly", "monthly", "hourly", "yearly", "quarterly", "nightly", "weekday",
    "weekend", "morning", "afternoon", "evening", "night", "noon", "midnight", "am", "pm",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "wed", "thu", "fri", "sat", "sun", "day", "week", "month", "hour", "minute", "fortnightly",
    "biweekly", "every", "once", "today", "tomorrow", "yesterday", "paused", "active",
    "failing", "broken",
}  # fmt: skip
# words that say nothing about what a phrase is: a phrase of these alone points at nothing
_FILLER = {
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "of", "for", "about", "on",
    "in", "at", "to", "and", "or", "with", "please", "me", "us", "is", "are", "was", "what",
    "whats", "how", "who", "where", "why", "which", "going", "today's", "current", "called",
    "named", "thing", "stuff", "again", "now", "just", "any", "some",
}  # fmt: skip

_NOT_PLURAL = {"news", "always", "perhaps", "series", "lens", "bus", "gas", "this", "us"}


def stem(word: str) -> str:
    """A word's comparable form: lower case, no punctuation or possessive, no plural s."""
    word = word.lower().strip("'\u2019\".,!?()\u201c\u201d#")
    word = re.sub(r"['\u2019]s$", "", word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word not in _NOT_PLURAL:
        word = word[:-1]
    return word


def _stems(text: str) -> set[str]:
    return {stem(w) for w in re.split(r"[\s\-:,()/.]+", text) if w} - {""}


def automation_vocabulary(
    specs: Mapping[str, SkillSpec], known: Iterable[str] = ()
) -> frozenset[str]:
    """Every word an automation may be spoken of by: the skills' words, the words of `known`
    (the speaker's automations' names and triggers), kinds, times and pointers."""
    words = set(_POINTERS) | set(_KINDS) | set(_WHEN)
    for name, spec in specs.items():
        what = re.sub(r"\([^)]*\)", "", spec.description)  # an aside says how, not what
        words |= _stems(name) | _stems(what) | _stems(SKILL_LABELS.get(name, ""))
    for text in known:
        words |= _stems(text)
    return frozenset(stem(w) for w in words) - {stem(w) for w in _FILLER | _MODIFIERS}


def could_refer(phrase: str, vocabulary: frozenset[str]) -> bool:
    """Whether `phrase` could name an automation: a number ("#5", "5"), someone's ("sam's"),
    or a word of `vocabulary`. An empty phrase (nothing named) could: it means the one
    spoken about."""
    said = phrase.strip().lower()
    if re.search(r"#\s*\d+|\b\d+(?:st|nd|rd|th)?\b", said):
        return True
    possessors = {stem(w) for w in re.findall(r"(\w+)['\u2019]s\b", said)}
    if possessors - _WHEN - {stem(w) for w in _FILLER}:  # "sam's", not "today's"
        return True
    words = _stems(said) - {stem(w) for w in _FILLER | _MODIFIERS}
    return not words or bool(words & vocabulary)
