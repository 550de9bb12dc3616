"""A change to a request still waiting for an answer ("make it 5pm", "actually on Fridays",
"send it to Slack"): the request's own words of each kind the change speaks about (where it
goes, its time of day, its bounds, its days) give way to the change's words, read by the same
rules that read the request, so the request is read again as if said that way at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date
from typing import Any

from assistant.language.bound_words import read_bounds
from assistant.language.calendar_words import read_calendar
from assistant.language.clock_words import Text, read_times
from assistant.language.event_words import read_events
from assistant.language.output_steps import adds_output, without_adding
from assistant.language.what_words import read_output, read_skill

# words around a change that only say it is one: "actually", "make it", "instead"
_LEAD = re.compile(
    r"^(?:(?:actually|instead|rather|oh|no|sorry|wait|ok|okay|so|and|but|please|hmm|um|"
    r"let's(?:\s+(?:do|say|make\s+it))?|lets|how\s+about|what\s+about|can\s+you|could\s+you|"
    r"i\s+meant?|i'd\s+rather|(?:make|change|move|set|switch|shift|put|send|post|deliver|have|"
    r"run)\s+(?:it|that|this)(?:\s+(?:to|for))?|it\s+should\s+(?:be|run|go)(?:\s+to)?|"
    r"change\s+(?:the\s+)?(?:time|days?)\s+to)[,\s]+)+",
    re.I,
)
_TAIL = re.compile(r"(?:[,\s]+(?:instead|please|then|rather|thanks|thank\s+you))+\s*$", re.I)
# a channel said by its name alone ("to Slack"), as a request would say it
_BARE_CHANNEL = re.compile(
    r"\b(?:to\s+|on\s+|via\s+|by\s+)?(slack|e-?mail|in[- ]?app|in the app)\b"
)
_CHANNEL_WORDS = {"slack": "on slack", "email": "by email", "e-mail": "by email"}

Reader = Callable[[Text], object]


def _readers(today: date) -> list[tuple[str, Reader]]:
    """The kinds of words a change can say anew, in the order the request's reading takes
    them (where it goes first; times of day before the days that hold them)."""
    return [
        ("output", read_output),
        ("time", read_times),
        ("bounds", lambda text: read_bounds(text, today)),
        ("days", lambda text: read_calendar(text, today)),
    ]


def _read_spans(words: str, today: date) -> dict[str, list[tuple[int, int]]]:
    """For each kind, the spans of `words` its reader takes."""
    return {kind: spans for kind, (spans, _) in _read(words, today).items()}


def _read(words: str, today: date) -> dict[str, tuple[list[tuple[int, int]], Any]]:
    """For each kind its reader finds in `words`: the spans it takes and what it read."""
    text = Text(words)
    found: dict[str, tuple[list[tuple[int, int]], Any]] = {}
    for kind, reader in _readers(today):
        before = text.low
        facts = reader(text)
        spans = _blanked(before, text.low)
        if spans:
            found[kind] = (spans, facts)
    return found


def _meaning(words: str, kinds: set[str], today: date) -> list[Any]:
    """What `words` say of `kinds`, without where they said it: "#hiring" and "in #hiring"
    mean the same."""
    read = _read(words, today)
    meant = []
    for kind in sorted(kinds):
        facts = read.get(kind, ([], None))[1]
        if is_dataclass(facts) and not isinstance(facts, type):
            shown = asdict(facts)
            for where in ("mentions", "people_spans", "bounds"):
                shown.pop(where, None)
            facts = shown
        meant.append(facts)
    return meant


def _blanked(before: str, after: str) -> list[tuple[int, int]]:
    """The spans a reader blanked, words a space apart taken as one."""
    spans: list[tuple[int, int]] = []
    for i, (was, now) in enumerate(zip(before, after, strict=True)):
        if was != now:
            if spans and not before[spans[-1][1] : i].strip():
                spans[-1] = (spans[-1][0], i + 1)
            else:
                spans.append((i, i + 1))
    return spans


@dataclass(frozen=True)
class Amended:
    """The request said anew, and what changed in it, in the words of each."""

    request: str
    old: str  # the request's words that gave way ("at 4pm"); "" when only words were added
    new: str  # the change's words ("5pm")
    same: bool = False  # the change says what the request said already

    def said(self) -> str:
        if self.old:
            return f"Changed “{self.old}” to “{self.new}”."
        return f"Added “{self.new}”."


def change_words(change: str) -> str:
    """The words of a change without those that only say it is one."""
    said = _TAIL.sub("", _LEAD.sub("", change.strip().replace("\u2019", "'")))
    said = said.strip().rstrip(".!").strip()
    # "make it 5": an hour, as "at 5" would be
    return f"at {said}" if re.fullmatch(r"\d{1,2}(?:[:.]\d\d)?", said) else said


def is_new_request(message: str, today: date) -> bool:
    """Whether `message` says both what to do and when, as a request of its own does."""
    said = _read_spans(message, today)
    event = read_events(Text(message)).event_type
    if not ("time" in said or "days" in said or event):
        return False
    what = read_skill(
        message, condition_days=None, business_days=None, event_type=event, relative_offset=None
    )
    return bool(what.skill or what.vague)


def amend(request: str, change: str, today: date) -> Amended | None:
    """`request` with the kinds of words `change` says given over to the change; None when
    the change says none of them (an answer of another kind, or not a change)."""
    new = change_words(change)
    if not new:
        return None
    said = _read_spans(new, today)
    if "output" not in said and (bare := _BARE_CHANNEL.search(new.lower())):
        # "to Slack": a request names the channel "on Slack"
        word = bare.group(1)
        new = new[: bare.start()] + _CHANNEL_WORDS.get(word, "in the app") + new[bare.end() :]
        said["output"] = [(0, len(new))]
    if "time" in said and not read_times(Text(new)).times:
        # "in the morning" says which half of the day the request's own time is in
        del said["time"]
    if not said:
        return None
    own = _read_spans(request, today)
    if set(said) == {"output"} and adds_output(new):
        return _added_output(request, new, own)
    replaced = sorted(span for kind in said for span in own.get(kind, []))
    old = " … ".join(request[a:b].strip() for a, b in replaced)
    kept = request
    for start, end in reversed(replaced):
        kept = kept[:start] + " " * (end - start) + kept[end:]
    whole = re.sub(r"\s+", " ", f"{kept} {new}").strip()
    same = bool(old) and _meaning(old, set(said), today) == _meaning(new, set(said), today)
    return Amended(whole, old, new, same)


# how a second output starts, as a request says it ("… and also post it in #hiring")
_PLACED = re.compile(r"(?:to|in|on|via|by)\b", re.I)
_SENDS = re.compile(
    r"^(?:post|send|e-?mail|share|slack|dm|forward|copy)\s+(?:it|that|this)\b", re.I
)


def _added_output(request: str, new: str, own: dict[str, list[tuple[int, int]]]) -> Amended:
    """ "also post it in #hiring": the request with one more place, its own kept (said as
    "to me" when it named none, so the first is not taken for the second)."""
    said = without_adding(new)
    if not _SENDS.match(said):
        said = f"send it {said}" if _PLACED.match(said) else f"send it to {said}"
    first = request.strip().rstrip(".!")
    if "output" not in own:
        first += " to me"
    return Amended(f"{first} and also {said}", "", said)
