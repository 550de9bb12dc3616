"""A stage said with no wait: "the stale candidates in Screen", "who's stuck in Offer",
"candidates in the Onsite stage". The words keep a list to the candidates in that stage; with
"stuck", "sitting", "waiting" or "parked" they also say the wait counts from entering it.
A name is taken for a stage when it is one of the usual stages or the words say it is one
("the Onsite stage", "stuck in Onsite"); "candidates in Berlin" is a place, read elsewhere."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.language.clock_words import Text
from assistant.language.stage_words import known_stage, stage_name

_WAITING = r"(?:stuck|sitting|sat|waiting|parked|idle|languishing|lingering|stalled)"
_NAME = r"(?P<stage>[\w&/+-]+(?:\s+(?!stage\b|column\b)[\w&/+-]+)?)"
_IN_STAGE = re.compile(
    r"\b(?:(?P<waiting>" + _WAITING + r")\s+in|(?:still\s+)?in)\s+"
    r"(?:the\s+)?(?P<cue>stage\s+)?" + _NAME + r"(?P<after>\s+(?:stage|column)\b)?",
    re.I,
)
# names after "in" that are never a stage
_NOT_STAGES = frozenset(
    "the a an my our your their his her this that it them me us slack email e-mail app inbox "
    "dashboard pipeline ats morning afternoon evening total advance time order case future "
    "general particular one row person".split()
)


@dataclass(frozen=True, slots=True)
class StageFilter:
    """The stage a list keeps to, as the ATS names it when it is a usual one."""

    stage: str
    waiting: bool  # "stuck in": the wait counts from entering the stage
    said: str  # the words, for the read-back


def read_stage_filter(text: Text) -> StageFilter | None:
    """The stage a request keeps its list to, taken out of the working text; None when it
    names none."""
    for m in _IN_STAGE.finditer(text.low):  # the words no rule read
        found = _stage_of(m, text.raw)
        if found is None:
            continue
        stage, end = found
        said = text.raw[m.start() : end]
        text.low = text.low[: m.start()] + " " * (end - m.start()) + text.low[end:]
        return StageFilter(stage, bool(m.group("waiting")), said)
    return None


def _stage_of(m: re.Match[str], raw: str) -> tuple[str, int] | None:
    """The stage `m` names (in `raw`'s capitals) and where its words end, or None."""
    name = raw[m.start("stage") : m.end("stage")]
    words = list(re.finditer(r"\S+", name))
    first = words[0].group(0)
    if first.lower() in _NOT_STAGES:
        return None
    after = m.end("after") if m.group("after") else None
    whole = m.end("stage")
    one = m.start("stage") + words[0].end()
    if usual := known_stage(name):
        return usual, after or whole
    if usual := known_stage(first):
        # "in Screen every Monday": the stage is one word, the next is not its
        return usual, after if after and len(words) == 1 else one
    if not (m.group("waiting") or m.group("cue") or after):
        return None
    if after:  # "the Onsite stage", "the Final Round stage"
        return stage_name(name), after
    # "stuck in Final Round": a name said with capitals ends where they do
    if len(words) > 1 and first[:1].isupper() and words[1].group(0)[:1].isupper():
        return stage_name(name), whole
    return stage_name(first), one
