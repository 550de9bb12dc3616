"""Event triggers and relative schedules in words: "when a candidate moves to Interview", "when
someone applies to the Backend role", "when an offer is accepted", "30 minutes before each
interview", and conditions: "anyone who hasn't been contacted in 5 days"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.language.clock_words import Text
from assistant.language.words import NUMBER_RE, business_days_in, number

_STOP = {
    "stage",
    "stages",
    "from",
    "for",
    "in",
    "on",
    "and",
    "then",
    "email",
    "e-mail",
    "send",
    "post",
    "dm",
    "notify",
    "tell",
    "let",
    "ping",
    "message",
    "slack",
    "with",
    "at",
    "to",
    "please",
    "me",
    "them",
    "role",
    "roles",
    "job",
    "jobs",
    "position",
    "opening",
    "req",
    "department",
    "team",
    "or",
    "but",
    "every",
    "each",
    "so",
    "i",
    "we",
    "you",
    "alert",
    "remind",
    "via",
    "by",
    "automatically",
    "it",
    "that",
    "who",
    "which",
    "the",
    "a",
    "an",
    "status",
    "column",
}


@dataclass
class EventFacts:
    event_type: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    relative: bool = False  # hangs off an event's time (interview.starts_at)
    question: str | None = None
    mentions: list[str] = field(default_factory=list)


def _name_at(raw: str, start: int) -> tuple[str, int]:
    """Words from `start` until a stop word or punctuation: a stage, job or department name."""
    words: list[str] = []
    pos = start
    for m in re.finditer(r"[A-Za-z0-9&+#/'-]+|[^\sA-Za-z0-9&+#/'-]", raw[start:]):
        token = m.group(0)
        if not re.match(r"[A-Za-z0-9]", token) or token.lower() in _STOP or len(words) == 4:
            break
        words.append(token.strip("'"))
        pos = start + m.end()
    name = " ".join(words)
    if name and name == name.lower():
        name = name.title()  # "moves to interview" -> the stage "Interview"
    return name, pos


def _take_name(text: Text, after: re.Match[str]) -> str:
    name, end = _name_at(text.raw, after.end())
    text.low = text.low[: after.start()] + " " * (end - after.start()) + text.low[end:]
    return name


# "Backend and Data", "Backend Engineer, Data Analyst or Designer": more names, capitalised
_MORE_NAMES = re.compile(r"\s*,\s*(?:and\s+|or\s+)?(?:the\s+)?|\s+(?:and|or)\s+(?:the\s+)?")


def _take_names(text: Text, after: re.Match[str]) -> str | list[str]:
    """A name as _take_name reads it, or the names of a list ("the Backend and Data jobs")."""
    names = [_take_name(text, after)]
    end = _name_at(text.raw, after.end())[1]
    while names[-1] and (more := _MORE_NAMES.match(text.raw, end)):
        if not text.raw[more.end() : more.end() + 1].isupper():
            break
        name, stop = _name_at(text.raw, more.end())
        if not name:
            break
        names.append(name)
        text.low = text.low[:end] + " " * (stop - end) + text.low[stop:]
        end = stop
    return names[0] if len(names) == 1 else names


_STAGE = re.compile(
    r"\b(?:is\s+|gets\s+|are\s+|get\s+)?(?:moved|moves|move|advanced|advances|advance|progresses|"
    r"progressed|enters|enter|entered|reaches|reach|reached|lands|land|goes|go|is put|put|"
    r"changes|changed)\s+(?:(?:stage\s+)?from\s+(?:the\s+)?(?P<from>[a-z][\w -]*?)\s+"
    r"(?:stage\s+)?)?"
    r"(?:in)?to\s+(?:the\s+)?(?:stage\s+)?(?=\S)"
)
_ENTERS = re.compile(r"\b(?:enters?|reaches|reached|hits)\s+(?:the\s+)?(?=[A-Za-z])")
# "still in Applied": the stage of that name, not someone applying
_APPLY = re.compile(
    r"(?<!\bin\s)(?<!\bin\sthe\s)\b(?:applies|apply|applied|submits an application|new application comes in"
    r"|application (?:is )?(?:received|submitted|created)|applications? come in)"
    r"(?P<prep>\s+(?:to|for)\s+(?:the\s+|a\s+|our\s+|any\s+)?(?=[a-z]))?"
)
_SIMPLE_EVENTS: tuple[tuple[str, str], ...] = (
    (
        "offer.accepted",
        r"\boffer\s+(?:is\s+|gets\s+|has\s+been\s+|was\s+)?accepted|\baccepts?\s+"
        r"(?:an\s+|the\s+|their\s+|our\s+)?offer|\bsigns?\s+(?:the|an|their)\s+"
        r"offer",
    ),
    (
        "offer.created",
        r"\boffer\s+(?:is\s+|gets\s+)?(?:made|created|extended|sent|drafted)|"
        r"\b(?:make|extend|send)\s+an\s+offer|\bnew\s+offer\b",
    ),
    (
        "interview.rescheduled",
        r"\binterviews?\s+(?:is\s+|gets\s+)?(?:rescheduled|moved)|"
        r"\breschedules?\b",
    ),
    (
        "interview.cancelled",
        r"\binterviews?\s+(?:is\s+|gets\s+)?(?:cancell?ed)|\bcancels?\s+"
        r"(?:an\s+|the\s+|their\s+)?interview",
    ),
    (
        "interview.scheduled",
        r"\binterviews?\s+(?:is\s+|gets\s+)?(?:scheduled|booked|set up)|"
        r"\b(?:schedules?|books?)\s+(?:an\s+|the\s+|their\s+)?interview",
    ),
    (
        "interview.completed",
        r"\binterviews?\s+(?:is\s+|gets\s+)?(?:completed|finished|done|over|"
        r"ends)|\bafter\s+(?:each|every|an|the|their)\s+interview\b",
    ),
    ("candidate.replied", r"\b(?:replies|reply|replied|responds|responded|writes back)\b"),
    (
        "candidate.withdrawn",
        r"\b(?:withdraws|withdrew|withdrawn|withdraw|drops out|drop out|pulls out|pull out)\b",
    ),
    ("candidate.hired", r"\b(?:is|gets|are|was)\s+hired\b|\bwe\s+hire\b"),
    (
        "candidate.rejected",
        r"(?:\b(?:is|gets?|are|was|were|been)|['\u2019]re)\s+(?:rejected|declined|turned\s+down)\b"
        r"|\bwe\s+(?:reject|decline|turn\s+down)\b|\brejected\s+(?:candidates?|applicants?"
        r"|people)\b|\b(?:on|upon|after)\s+(?:a\s+|each\s+|every\s+)?rejection\b",
    ),
    (
        "candidate.created",
        r"\b(?:new\s+)?candidates?\s+(?:is\s+|are\s+|gets\s+)?(?:added|created)"
        r"\b|\bnew\s+candidate\s+(?:comes\s+in|appears|shows\s+up)",
    ),
)
_RELATIVE = re.compile(
    r"\b(" + NUMBER_RE + r"|half an?)\s+(minutes?|mins?|hours?|hrs?|days?|business days?)\s+"
    r"(before|ahead of|prior to|after)\s+(?:each|every|the|an?|my|any|their|all)?\s*"
    r"(?:scheduled\s+)?(interviews?|calls?|onsites?|meetings?|phone screens?)\b"
    # "2 days after an interview is cancelled": after that event, not the interview's start
    r"(?!\s+(?:is|was|gets|got|has\s+been)\s+(?:cancell?ed|rescheduled|booked|scheduled|set\s+up)\b)"
)
# "2 days after a candidate is rejected": a run that long after the event itself
_DELAY = re.compile(
    r"\b(" + NUMBER_RE + r"|half an?)\s+(minutes?|mins?|hours?|hrs?|days?|weeks?)\s+"
    r"(?:after|following)\b"
)
# a condition on contact: a negation, what did not happen, then for how long; a few words may
# sit between ("haven't heard from us in a week", "no activity by anyone in the last 14 days")
_NOT = (
    r"(?:has(?:n['\u2019]t| not)|have(?:n['\u2019]t| not)|had(?:n['\u2019]t| not)|nobody has|no one has"
    r"|not|never|without|no)"
)
_CONTACTED = (
    r"(?:contacted|reached\s+out\s+to|reached|heard\s+(?:back\s+)?from|heard\s+back|touched|emailed"
    r"|called|followed\s+up\s+(?:with|on)|contact|activity|touch(?:point)?s?|outreach"
    r"|communication|engagement)"
)
# up to three words between, none of which starts the length or another part of the request
_BETWEEN = (
    r"(?:\s+(?!(?:in|for|within|over|during|and|or|every|each|at|on|send|email|post|then)\b)"
    r"[a-z][\w'\u2019]*){0,3}?"
)
_LENGTH = (
    r"\s+(?:in|for|within|over|during)\s+(?:more\s+than\s+|over\s+|at\s+least\s+)?(?:the\s+)?"
    r"(?:last\s+|past\s+)?(" + NUMBER_RE + r")\s+(business\s+|working\s+)?(days?|weeks?)\b"
)
_CONDITION = re.compile(
    r"\b"
    + _NOT
    + r"\s+(?:been\s+|being\s+|had\s+|got\s+|received\s+|seen\s+)?(?:any\s+)?"
    + _CONTACTED
    + _BETWEEN
    + _LENGTH
    + r"|\b(?:stale|idle|untouched|quiet)\s+(?:for|over)\s+("
    + NUMBER_RE
    + r")\s+(business\s+|"
    r"working\s+)?(days?|weeks?)\b"
)


def condition_spans(low: str) -> list[tuple[int, int]]:
    """Where the working text says a condition on contact: the time words in it say which
    candidates are listed, neither when it runs nor what a run covers."""
    return [m.span() for m in _CONDITION.finditer(low)]


_WORD = r"(?!(?:for|to|on|in|and|the|of|with)\b)[a-z][\w&+#-]*"
_JOB = re.compile(
    r"\b(?:for|on|to)\s+(?:the\s+|our\s+)?(?="
    + _WORD
    + r"(?:(?:\s+(?:and|or)|\s*,)?\s+"
    + _WORD
    + r"){0,5}\s+(?:role|job|position|opening|req)s?\b)"
)


# "if no scorecard within 2 days": the post-interview follow-up that long after each interview
# reminds the interviewers whose scorecard is not in
_NO_SCORECARD = re.compile(
    r"\b(?:no\s+|missing\s+|without\s+(?:a\s+)?|haven'?t\s+(?:submitted|filed)\s+(?:their|a|the)\s+|"
    r"hasn'?t\s+(?:submitted|filed)\s+(?:their|a|the)\s+)scorecards?\s+(?:(?:is|are)\s+)?"
    r"(?:(?:submitted|in|filed|entered)\s+)?(?:within|in|after|for)\s+(" + NUMBER_RE + r")\s+"
    r"(hours?|hrs?|days?|business days?)\b(?:\s+(?:of|after)\s+(?:the|each|an?)\s+interview)?"
    r"|\bscorecards?\s+(?:is|are)\s+(?:still\s+)?(?:missing|not\s+in|outstanding)\s+(?:after|for|"
    r"within)\s+(" + NUMBER_RE + r")\s+(hours?|hrs?|days?|business days?)\b"
)


def read_events(text: Text) -> EventFacts:
    facts = EventFacts()
    if m := text.pop(_RELATIVE) or text.pop(_NO_SCORECARD):
        if m.re is _NO_SCORECARD:
            amount, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            m = _RELATIVE.match(f"{amount} {unit} after each interview") or m
        amount = 0.5 if m.group(1).startswith("half") else number(m.group(1))
        unit = m.group(2)
        if amount is None:
            facts.question = f"How long before or after exactly? '{m.group(0)}' is too vague."
            return facts
        minutes = int(amount * {"m": 1, "h": 60, "d": 1440, "b": 1440}[unit[0]])
        sign = 1 if m.group(3) == "after" else -1
        facts.event_type = "interview.scheduled"
        facts.filters = {"relative_to": "interview.starts_at", "offset_minutes": sign * minutes}
        facts.relative = True
        facts.mentions.append(m.group(0))
        return facts
    delay = text.find(_DELAY)
    when = text.find(r"\b(?:when(?:ever)?|once|as soon as|each time|every time|any ?time|if)\b")
    if m := _STAGE.search(text.low):
        stage = _take_name(text, m)
        if stage:
            facts.event_type = "candidate.stage_changed"
            facts.filters["to_stage"] = stage
            if m.group("from"):
                facts.filters["from_stage"] = _name_at(text.raw, m.start("from"))[0]
            facts.mentions.append(m.group(0))
    elif (
        when is not None
        and (m := _ENTERS.search(text.low))
        and _name_at(text.raw, m.end())[0].lower() not in ("", "out", "back")
    ):
        # "when a candidate reaches Offer": a stage reached, said without "to"
        facts.event_type = "candidate.stage_changed"
        facts.filters["to_stage"] = _take_name(text, m)
        facts.mentions.append(m.group(0))
    if facts.event_type is None and (m := _APPLY.search(text.low)):
        facts.event_type = "application.created"
        # the raw words too: "applies, remind me to screen them" loses "remind me" first
        said = text.raw[m.start("prep") : m.end("prep")].split() if m.group("prep") else []
        if said and said[0].lower() in ("to", "for"):
            job = _take_names(text, m)
            if job and str(job).lower() not in ("job", "role", "any", "position"):
                facts.filters["job"] = job
        else:
            text.take(m)
        facts.mentions.append(m.group(0))
    if facts.event_type is None:
        for event_type, pattern in _SIMPLE_EVENTS:
            if m := text.pop(pattern):
                facts.event_type = event_type
                facts.mentions.append(m.group(0))
                break
    if (
        facts.event_type is None
        and when is not None
        and text.find(r"\b(?:moves?|moved|changes?\s+stage|stage\s+changes?)\b")
    ):
        facts.event_type = "candidate.stage_changed"
    if delay is not None and facts.event_type is not None:
        _delay_after_event(text, delay, facts)
    if m := _JOB.search(text.low):
        facts.filters["job"] = _take_names(text, m)
        text.pop(r"\b(?:role|job|position|opening|req)s?\b")
    if facts.event_type and (
        # the nearest "in (the) X department": at most four words, so "in #hiring whenever
        # someone drops out in the Engineering department" is the Engineering department
        m := re.search(
            r"\bin\s+(?:the\s+)?(?=(?:[A-Za-z][\w-]*\s+){1,4}(?:department|team)\b)", text.low
        )
    ):
        facts.filters["department"] = _take_name(text, m)
        text.pop(r"\b(?:department|team)\b")
    return facts


def _delay_after_event(text: Text, m: re.Match[str], facts: EventFacts) -> None:
    """ "2 days after they're rejected": the run waits that long after the event."""
    amount = 0.5 if m.group(1).startswith("half") else number(m.group(1))
    if amount is None or amount <= 0:
        facts.question = f"How long after exactly? '{m.group(0).strip()}' is too vague."
        return
    text.take(m)
    unit = m.group(2)
    minutes = int(amount * {"m": 1, "h": 60, "d": 1440, "w": 10080}[unit[0]])
    facts.filters.update({"relative_to": "event", "offset_minutes": minutes})
    facts.mentions.append(m.group(0))


def calendar_length(low: str) -> str | None:
    """The length of the working text's condition on contact when said in calendar days or
    weeks ("a week", "14 days"), which an SLA counting business days reads as such; else None."""
    m = _CONDITION.search(low)
    if m is None or any(m.group(i) for i in (2, 5)):
        return None
    index = 1 if m.group(3) else 4
    return f"{m.group(index)} {m.group(index + 2)}"


def read_condition(text: Text) -> tuple[int | None, int | None, str | None]:
    """ "hasn't been contacted in 2 weeks" -> (14 calendar days, 10 business days, question):
    pipeline reports count calendar days, SLAs business days."""
    m = text.pop(_CONDITION)
    if not m:
        return None, None, None
    groups = list(m.groups())
    amount_word, business, unit = next(
        (groups[i], groups[i + 1], groups[i + 2]) for i in (0, 3) if groups[i + 2]
    )
    amount = number(amount_word)
    if amount is None or amount <= 0:
        return None, None, f"After how many days without contact? '{m.group(0)}' is too vague."
    days = amount * 7 if unit.startswith("week") else amount
    return days, business_days_in(amount, unit, bool(business)), None
