"""Asking to see a skill's output now rather than to automate it: "show me my pipeline",
"preview the open roles", "what does my pipeline look like?", "who is in Offer right now?",
"how many candidates applied this week?", "which candidates applied for Backend Engineer?".

`wish_to_see` returns what the words ask to see as the object of a request ("my pipeline",
"candidates who applied this week"), which the caller reads as a repeating request would be
read (the same skill and filter words), and whether the words say "now". A question about one
candidate, about automations or runs, or one that names when to run is no such wish."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from assistant.language.clock_words import Text
from assistant.language.data_words import blank, data_spans
from assistant.language.request_reading import read_schedule
from assistant.language.stage_words import known_stage

# "now" said of the data: the answer is wanted at once, whatever automation the words also name
_NOW = re.compile(
    r"\s*,?\s*\b(?:right\s+now|now|currently|at\s+the\s+moment|as\s+of\s+(?:now|today)|"
    r"so\s+far|at\s+this\s+point)\b\s*",
    re.I,
)
_PLEASE = re.compile(r"^(?:(?:please|ok|okay|hey|so|and)\b[\s,]*)+|[\s,]*\bplease\b\s*$", re.I)
# the ways of asking to see something, the object in group "what"
_SHOW = tuple(
    re.compile(rx, re.I)
    for rx in (
        r"^(?:(?:can|could|would|will)\s+you\s+)?(?:show(?:\s+(?:me|us))?|(?:give|get|pull\s+up|"
        r"bring\s+up)\s+(?:me|us))\s+(?P<what>.+)$",
        r"^(?:(?:can|could|may)\s+(?:i|we)|let\s+(?:me|us)|i\s*'?d\s+like\s+to|i\s+want\s+to|"
        r"i\s+wanna)\s+(?:see|view|look\s+at|have\s+a\s+look\s+at|take\s+a\s+look\s+at)"
        r"\s+(?P<what>.+)$",
        r"^(?:preview|display)\s+(?P<what>.+)$",
        r"^what\s+(?:does|do|would|will)\s+(?P<what>.+?)\s+look\s+like(?:\s+(?:today|now))?$",
        r"^how\s+(?:does|do|is|are)\s+(?P<what>(?:my|our|the)\s+pipelines?)(?:\s+look(?:ing)?)?$",
    )
)
_LOOKS = 3  # the forms from here on ask how the data looks
# who is in a stage: the people in it, listed by how long they have been there
_IN_STAGE = re.compile(
    r"^(?:who\s*(?:'s|\s+is|\s+are)|which\s+(?:candidates|applicants|people)\s+(?:is|are)|"
    r"how\s+many\s+(?:candidates|applicants|people)\s+(?:is|are)|how\s+many\s+are)"
    r"\s+(?:still\s+)?(?:in|at)\s+(?:the\s+)?(?P<stage>[a-z][a-z -]*?)(?:\s+stage)?$",
    re.I,
)
# which or how many candidates did something: the object is the candidates who did it
_WHICH = re.compile(
    r"^(?:which|what|how\s+many)\s+(?P<who>(?:new\s+)?(?:candidates|applicants|applications|"
    r"people))\s+(?P<rest>(?:have\s+|has\s+|did\s+)?(?:applied|came\s+in|signed\s+up|"
    r"(?:have|has)\s+(?:not|n't)\s+been|haven'?t\s+been|are\s+stuck|were|are|have).*)$",
    re.I,
)
_WHO_DID = re.compile(r"^who\s+(?P<rest>(?:has\s+|have\s+)?(?:applied|signed\s+up).*)$", re.I)
# words that make it a question about automations or runs, or about one person: not data
_NOT_DATA = re.compile(
    r"\b(?:automations?|runs?|ran|failed|failing|fail|schedules?|scheduled\s+to\s+run|"
    r"plan|tokens?|team|admins?|members?|users?|audit|history|"
    r"e-?mail\s+address|phone|address|salary|cv\s+of|resume\s+of)\b|#\d|"
    r"\b(?:it|its|them|that\s+one|this\s+one)\b\s*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class SeeWish:
    """What the words ask to see (a request's object), whether they say "now", and whether
    they ask who did something ("who applied ...": its verb is no event to run on)."""

    what: str
    now: bool
    who_did: bool = False


def wish_to_see(text: str) -> SeeWish | None:
    """The object of "show me ..." and the other ways of asking to see data now, None when
    the words are not such a wish."""
    low = " ".join(text.replace("\u2019", "'").split()).strip(" ?.!")
    low = _PLEASE.sub("", low).strip(" ,")
    now = bool(_NOW.search(low))
    low = " ".join(_NOW.sub(" ", low).split()).strip(" ,")
    if not low or _NOT_DATA.search(low):
        return None
    if m := _IN_STAGE.match(low):
        stage = known_stage(m.group("stage"))
        if stage is None:
            return None
        # everyone in the stage, however long: a stage said alone lists them all
        return SeeWish(f"candidates in {stage}", now)
    if m := _WHICH.match(low):
        who = m.group("who").lower().replace("applications", "applicants")
        return SeeWish(_who_did(who, m.group("rest")), now, who_did=True)
    if m := _WHO_DID.match(low):
        return SeeWish(_who_did("candidates", m.group("rest")), now, who_did=True)
    for form, pattern in enumerate(_SHOW):
        if m := pattern.match(low):
            what = m.group("what").strip(" ,")
            # "what does my pipeline look like?" asks about the data as "now" does
            return SeeWish(what, now or form >= _LOOKS) if what else None
    return None


# "applied for the Backend Engineer job this week": the job, then the window of the data
_APPLIED_FOR = re.compile(
    r"^applied\s+(?:for|to)\s+(?:the\s+)?(?P<job>.+?)(?:\s+(?:job|role|position|opening))?"
    r"(?P<window>\s+(?:this|today|yesterday|in\s+the|over|during|last|since|within)\b.*)?$",
    re.I,
)


def _who_did(who: str, rest: str) -> str:
    """ "candidates" + "have applied this week" -> "candidates who applied this week"; one who
    applied for a job is a new candidate for that job ("new candidates for the Backend
    Engineer job who applied this week"), as a request names the job to watch."""
    rest = re.sub(r"^(?:have|has|did)\s+(?=applied|came|signed)", "", rest, flags=re.I)
    if m := _APPLIED_FOR.match(rest):
        new = who if who.startswith("new ") else f"new {who}"
        window = m.group("window") or ""
        return f"{new} for the {m.group('job')} job" + (f" who applied{window}" if window else "")
    return f"{who} who {rest}"


def recurring_request(what: str, when: str) -> str:
    """The request that makes a seen object recurring: "every Monday at 9am send me my
    pipeline"."""
    return f"{when.strip()} send me {what}"


def says_when(wish: SeeWish, tz: str, now: datetime) -> bool:
    """Whether the words name when to run (a schedule, or an event unless they ask who did
    it), the time words placing the data ("this week", "yesterday") aside: such words ask for
    an automation, not a look now."""
    text = Text(wish.what)
    reading = read_schedule(blank(text, data_spans(text)), tz, now, None)
    return bool(
        reading.when.schedule is not None
        or reading.when.question is not None
        or (reading.events.event_type and not wish.who_did)
    )


# one person's details: no report lists them
_ONE_PERSON = re.compile(
    r"^(?:what\s*(?:'s|\s+is|\s+are)|where\s*(?:'s|\s+is)|(?:can|could)\s+(?:you|i)\s+"
    r"(?:give|show|get|see|have)(?:\s+me)?|show\s+me|give\s+me|tell\s+me|get\s+me)\s+"
    r"(?:the\s+)?[a-z][\w.-]*(?:\s+[a-z][\w.-]*)?'s?\s+(?:e-?mail(?:\s+address)?|phone"
    r"(?:\s+number)?|(?:home\s+)?address|number|cv|resume|salary|linkedin)\b"
)


def asks_about_one_person(text: str) -> bool:
    """ "what is Lena Park's email?", "show me Sam's phone number": a question about one
    person's details, which no report answers."""
    low = " ".join(text.lower().replace("\u2019", "'").split()).strip(" ?.!")
    return bool(_ONE_PERSON.match(_PLEASE.sub("", low)))
