"""The words that set a skill's filter params, the same in a new request and in a change:
"only in Berlin", "only if they're in Berlin", "Berlin candidates only" (a `location` text),
"with python or go in their CV", "mentioning python" (a `keywords` list), "only high-priority
ones" (a `high_priority_only` switch), and the words that lift each: "any location", "drop the
Berlin filter", "any keywords", "any priority".

A filter is read for a skill only when it declares a param of that name and type; what is read
is returned with the spans of its words, so a reader that follows leaves them alone."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.language.stage_words import known_stage

# a place as written: capitalised words ("New York"), or "remote" in any case
_PLACE = r"(?P<place>(?:[A-Z][\w'-]*|[Rr]emote)(?:\s+[A-Z][\w'-]*){0,2})"
_THEY_ARE = r"(?:they\s*'?re|they\s+are|who\s+are|who'?re|that\s+are|who\s+live|who\s+lives)"
_PEOPLE = r"(?:candidates?|applicants?|applications?|people|someone|anyone|those|ones|jobs?|roles?)"
_LOCATION_SAID = tuple(
    re.compile(pattern)
    for pattern in (
        # "only in Berlin", "only if they're in Berlin", "just those based in London"
        r"(?i:\b(?:only|just)\s+(?:if\s+|when\s+)?(?:(?:the\s+)?" + _PEOPLE + r"\s+)?"
        r"(?:" + _THEY_ARE + r"\s+)?(?:(?:based|located|living)\s+)?(?:in|from)\s+)" + _PLACE,
        # "candidates in Berlin", "someone based in London applies", "they're in Berlin"
        r"(?i:\b(?:" + _PEOPLE + r"|" + _THEY_ARE + r")\s+(?:(?:based|located|living)\s+)?"
        r"in\s+)" + _PLACE,
        r"(?i:\b(?:based|located|living)\s+in\s+)" + _PLACE,
        # "only Berlin candidates", "Berlin-based applicants only"
        r"(?i:\b(?:only|just)\s+(?:the\s+)?)" + _PLACE + r"(?i:(?:[- ]based)?\s+" + _PEOPLE + r")",
        _PLACE + r"(?i:(?:[- ]based)?\s+" + _PEOPLE + r"\s+only)\b",
        r"(?i:\bin\s+)" + _PLACE + r"(?i:\s+only)\b",
    )
)
# capitalised words that are no place: days, months, channels, the speaker
_NOT_PLACES = {
    *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december", "slack", "teams", "i", "the"),
    *("email", "e-mail", "utc", "gmt", "if", "when", "only", "just"),
}
# words after a place that make it something else: a time zone, a department, a stage, a job
_NOT_AFTER = re.compile(
    r"\s*(?:/|time\b|department\b|team\b|stage\b|jobs?\b|roles?\b|positions?\b|office\b)", re.I
)
_ANY_LOCATION = re.compile(
    r"\b(?:any|every|all)\s+(?:locations?|places?|cities|countries)\b|\banywhere\b|"
    r"\bwherever\s+they\s+are\b|\b(?:drop|remove|clear|lift|no|without)\s+(?:the\s+)?"
    r"(?:location|place|city)(?:\s+filter)?\b",
    re.I,
)
_WORDS = r"[\w+#.-]+(?:(?:\s*,\s*|\s+or\s+|\s+and\s+|\s*/\s*)[\w+#.-]+)*"
_KEYWORDS_SAID = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        # "with python or go in their CV"
        r"\b(?:with|having|that\s+have|who\s+have)\s+(?P<words>" + _WORDS + r")\s+(?:in|on)\s+"
        r"(?:their|the|his|her)\s+(?:cvs?|resumes?|résumés?|profiles?|headlines?|titles?)\b",
        # "mentioning python", "whose CV mentions go", "keywords python and go"
        r"\b(?:mentioning|that\s+mentions?|which\s+mentions?|who\s+mentions?|whose\s+(?:cvs?|"
        r"resumes?|profiles?|headlines?)\s+mentions?|(?:with\s+)?(?:the\s+)?keywords?)\s+"
        r"(?P<words>" + _WORDS + r")",
    )
)
_ANY_KEYWORDS = re.compile(
    r"\b(?:any|no|without)\s+keywords?\b|\b(?:drop|remove|clear|lift)\s+(?:the\s+)?keywords?"
    r"(?:\s+filter)?\b|\bwhatever\s+(?:their\s+)?(?:cv|resume|profile)\s+says\b",
    re.I,
)
_HIGH = r"high[- ]?priority"
_HIGH_ONLY = re.compile(
    r"\b(?:only|just)\s+(?:if\s+(?:it'?s|they'?re|they\s+are)\s+|(?:for\s+)?(?:the\s+)?)"
    + _HIGH
    + r"(?:\s+(?:ones|applicants?|candidates?|applications?|people))?\b"
    r"|\b" + _HIGH + r"(?:\s+(?:ones|applicants?|candidates?|applications?|people))?\s+only\b"
    r"|\b(?:only|just)\s+(?:the\s+)?(?:ones|applicants?|candidates?|applications?|people)\s+"
    r"(?:flagged|marked)\s+(?:as\s+)?" + _HIGH + r"\b",
    re.I,
)
_ANY_PRIORITY = re.compile(
    r"\b(?:any|all|every|whatever)\s+priorit(?:y|ies)\b|\bregardless\s+of\s+priority\b|"
    r"\b" + _HIGH + r"\s+or\s+not\b|\bnot\s+(?:just|only)\s+(?:the\s+)?" + _HIGH + r"(?:\s+ones)?\b"
    r"|\b(?:drop|remove|clear|lift)\s+(?:the\s+)?(?:" + _HIGH + r"|priority)(?:\s+filter)?\b",
    re.I,
)
# "drop the Berlin filter": the filter named by its value
_NAMED_FILTER = re.compile(
    r"\b(?:drop|remove|clear|lift|forget)\s+(?:the\s+)?[“\"']?(?P<value>[\w+#. -]+?)[”\"']?\s+"
    r"(?:filter|condition|criterion|restriction)\b",
    re.I,
)


@dataclass
class FiltersSaid:
    """The filter params words set, and the spans of those words in the text read."""

    params: dict[str, Any] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)


def read_filters(
    text: str, declared: Mapping[str, str], current: Mapping[str, Any] | None = None
) -> FiltersSaid:
    """The filters `text` sets among the params `declared` (name -> type) of a skill;
    `current`: the params as they are, which "drop the Berlin filter" is read against."""
    said = FiltersSaid()
    current = current or {}
    if declared.get("location") == "string":
        _location(text, said, current)
    if declared.get("keywords") == "list":
        _keywords(text, said, current)
    if declared.get("high_priority_only") == "boolean":
        _priority(text, said)
    return said


#: the filter params these words set, by name, with their type
FILTERS = {"location": "string", "keywords": "list", "high_priority_only": "boolean"}


def says_filter(text: str) -> bool:
    """Whether `text` sets or lifts any filter these words know (a change said alone)."""
    return bool(read_filters(text, FILTERS).params) or bool(_NAMED_FILTER.search(text))


def _location(text: str, said: FiltersSaid, current: Mapping[str, Any]) -> None:
    if m := _ANY_LOCATION.search(text):
        said.params["location"] = ""
        said.spans.append(m.span())
        return
    if (m := _NAMED_FILTER.search(text)) and _same(m.group("value"), current.get("location")):
        said.params["location"] = ""
        said.spans.append(m.span())
        return
    for pattern in _LOCATION_SAID:
        for m in pattern.finditer(text):
            place = _place(m.group("place"), text[m.end("place") :])
            if place:
                said.params["location"] = place
                said.spans.append(m.span())
                return


def _place(words: str, after: str) -> str | None:
    """The place of `words`, or None when they name something else."""
    kept: list[str] = []
    for word in words.split():
        if word.lower() in _NOT_PLACES or (len(kept) == 0 and len(word) < 2):
            break
        kept.append(word)
    if not kept or (len(kept) == len(words.split()) and _NOT_AFTER.match(after)):
        return None
    place = " ".join(kept)
    if known_stage(place.lower()) is not None:
        return None  # "only those in Interview" is a stage
    return "Remote" if place.lower() == "remote" else place


def _keywords(text: str, said: FiltersSaid, current: Mapping[str, Any]) -> None:
    if m := _ANY_KEYWORDS.search(text):
        said.params["keywords"] = []
        said.spans.append(m.span())
        return
    before = [str(w) for w in current.get("keywords") or []]
    if (m := _NAMED_FILTER.search(text)) and any(_same(m.group("value"), w) for w in before):
        said.params["keywords"] = [w for w in before if not _same(m.group("value"), w)]
        said.spans.append(m.span())
        return
    for pattern in _KEYWORDS_SAID:
        if m := pattern.search(text):
            words = re.split(r"\s*,\s*|\s+or\s+|\s+and\s+|\s*/\s*", m.group("words"))
            said.params["keywords"] = [w.strip() for w in words if w.strip()]
            said.spans.append(m.span())
            return


def _priority(text: str, said: FiltersSaid) -> None:
    named = _NAMED_FILTER.search(text)
    if (m := _ANY_PRIORITY.search(text)) or (
        named and re.fullmatch(rf"(?:{_HIGH}|priority)", named.group("value").strip(), re.I)
    ):
        said.params["high_priority_only"] = False
        said.spans.append((m or named).span())  # type: ignore[union-attr]
    elif m := _HIGH_ONLY.search(text):
        said.params["high_priority_only"] = True
        said.spans.append(m.span())


def _same(said: str, value: Any) -> bool:
    return bool(value) and said.strip().lower() == str(value).strip().lower()
