"""Where the output goes ("email me", "post in #hiring", "DM me", "send to https://...") and which
skill runs with which params."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.language.clock_words import Text
from assistant.language.place_words import SLACK_VERB, Here, take_channel_ids, take_here
from assistant.language.recipient_words import read_people, which_one, who_question
from assistant.language.teammate_words import Teammate
from assistant.language.words import SKILL_PATTERNS, VAGUE_OUTPUT_RE


@dataclass
class OutputFacts:
    channel: str | None = None  # None: the default channel (email, or Slack when asked there)
    to: list[str] = field(default_factory=list)
    question: str | None = None
    mentioned: bool = False
    # where the request names people to send to ("my team"): words about whom, not about what
    people_spans: list[tuple[int, int]] = field(default_factory=list)
    # the teammates it names, by address: their names, for the read-back
    names: dict[str, str] = field(default_factory=dict)
    here: str | None = None  # what "post it here" was read as, for the read-back


_OUTPUTS: tuple[tuple[str | None, str | None, re.Pattern[str]], ...] = tuple(
    (channel, to, re.compile(rx))
    for channel, to, rx in (
        (
            "slack",
            "me",
            r"\b(?:dm|direct[- ]message|slack|ping|message)\s+me\b(?:\s+(?:on|in|"
            r"via)\s+slack)?|\bslack\s+(?:dm|message)\b|\ba\s+dm\b",
        ),
        # the channel alone: whoever else is named gets it, else the requester
        ("slack", "", r"\b(?:on|via|in|over|through|by)\s+slack\b"),
        ("slack", "", SLACK_VERB.pattern),
        ("in_app", "me", r"\bin[- ]app\b|\bin\s+the\s+(?:app|dashboard)\b|\bapp\s+notification"),
        (
            "email",
            "candidate",
            r"\be-?mail\s+(?:them|the\s+candidates?|each\s+candidate|"
            r"candidates)\b|\bsend\s+(?:them|the\s+candidate)\b|\bto\s+the\s+"
            r"candidate\b|\bto\s+them\b",
        ),
        (
            "email",
            "me",
            r"\b(?:e-?mail|mail)\s+(?:it\s+|this\s+|that\s+|them\s+)?(?:to\s+)?me\b"
            r"|\bto\s+my\s+inbox\b|\bmy\s+e-?mail\b|\bsend\s+me\s+an?\s+e-?mail\b",
        ),
        # the channel alone, as for Slack: "send it to sam by email" goes to sam only
        ("email", "", r"\b(?:by|via|over|through|in\s+an?|as\s+an?)\s+e-?mail\b"),
        # "grouped by hiring manager" says how, not to whom
        (None, "hiring_manager", r"(?<!by )(?<!per )(?<!each )\b(?:the\s+)?hiring\s+managers?\b"),
        (None, "interviewer", r"\b(?:the\s+)?interviewers?\b"),
        (
            None,
            "me",
            r"\b(?:send|tell|notify|alert|remind|let|ping|give|show|warn|flag|"
            r"update|message|text|get)\s+(?:me|us)\b|\bfor\s+me\b|\bto\s+(?:me|myself)\b|\bi\s+(?:want|need|"
            r"would\s+like)\s+to\s+(?:know|see|get)\b|\bkeep\s+me\s+posted",
        ),
    )
)
# "to me and to #hiring", "sam@acme.com and me": the requester listed among the places it
# goes, not the "send me" that every request may say
_LISTED_ME = re.compile(
    r"\b(?:to\s+)?(?:me|myself)\s*(?:,|\band\b|&|\bplus\b|\bas\s+well\s+as\b)\s*(?:to\s+|in\s+"
    r"|on\s+)?(?:#|[\w.+-]+@|the\s+|my\s+|\w+\b)"
    r"|(?:,|\band\b|&|\bplus\b|\bas\s+well\s+as\b)\s+(?:to\s+)?(?:me|myself)\b"
)
_URL = re.compile(r"https?://[^\s,;<>\"']+")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_CHANNEL = re.compile(r"(?<![\w&/])#([a-z0-9][a-z0-9_.-]*[a-z0-9_]|[a-z0-9])")


def read_output(
    text: Text, people: Sequence[Teammate] = (), here: Here | None = None
) -> OutputFacts:
    """Where the output goes; `people`: the organisation's users, whom names are looked up
    among ("send it to sam"); `here`: the place "post it here" means (None: not read)."""
    found: list[tuple[str | None, str]] = []
    unknown: list[str] = []
    names: dict[str, str] = {}
    several: str | None = None
    # "send my manager the report at lee@acme.com": the address says who they are
    addressed = bool(_URL.search(text.raw) or _EMAIL.search(text.raw) or _CHANNEL.search(text.low))
    by_slack = SLACK_VERB.search(text.low) is not None  # "slack it to bea@…": a Slack DM
    listed_me = _LISTED_ME.search(text.low) is not None
    named_people = read_people(text.low, text.raw, people)
    for named in named_people:
        if named.choices:
            several = several or which_one(named.said, named.choices)
        elif named.to is None:
            unknown.append(named.said)
        else:
            if named.name:
                names[named.to] = named.name
            found.append((named.channel, named.to))
        start, end = named.span
        text.low = text.low[:start] + " " * (end - start) + text.low[end:]
    for m in list(_URL.finditer(text.raw)):
        found.append(("webhook", m.group(0).rstrip(".)")))
        text.take(m)
    for m in list(_EMAIL.finditer(text.raw)):
        found.append(("slack" if by_slack else "email", m.group(0)))
        text.take(m)
    for m in list(_CHANNEL.finditer(text.low)):
        found.append(("slack", "#" + m.group(1)))
        text.take(m)
    found.extend(("slack", channel) for channel in take_channel_ids(text))
    said_here = take_here(text) if here is not None else None
    if here is not None and said_here is not None:
        found.append((here.channel, here.to))
        if here.to != "me":
            names[here.to] = here.said
    for channel, to, pattern in _OUTPUTS:
        for m in list(pattern.finditer(text.low)):
            found.append((channel, to if to is not None else "me"))
            text.take(m)
    if listed_me and not any(t == "me" for _, t in found):
        found.append((None, "me"))  # "to #hiring and me": no verb before it says so
    out = OutputFacts(
        mentioned=bool(found or unknown or several),
        people_spans=[n.span for n in named_people],
        names=names,
        here=f"“{said_here}” is {here.said}" if here is not None and said_here else None,
    )
    if several:
        out.question = several
        return out
    if unknown and not addressed:
        out.question = who_question(unknown[0])
        return out
    channels = list(dict.fromkeys(c for c, _ in found if c is not None))
    if len(channels) > 1:
        names = {
            "email": "by email",
            "slack": "on Slack",
            "webhook": "to the webhook",
            "in_app": "in the app",
        }
        out.question = (
            "I can send each automation's output to one place: "
            + " or ".join(names[c] for c in channels)
            + "?"
        )
        return out
    out.channel = channels[0] if channels else None
    addressees = (t for c, t in found if (c == out.channel or c is None) and t)
    out.to = list(dict.fromkeys(addressees)) or (["me"] if found else [])
    if (
        out.channel is not None
        and not listed_me
        and "me" in out.to
        and any(c is None for c, _ in found)
        and not any(c == out.channel and t == "me" for c, t in found)
    ):
        # "send me ... post in #hiring": the channel named wins over the generic "me"
        out.to = [t for t in out.to if t != "me"] or ["me"]
    return out


@dataclass
class SkillFacts:
    skill: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    question: str | None = None
    vague: bool = False  # "send me a report": names output but no skill


def read_skill(
    raw: str,
    *,
    condition_days: int | None,
    business_days: int | None,
    event_type: str | None,
    relative_offset: int | None,
    hint: str | None = None,
    stage: str | None = None,
) -> SkillFacts:
    """The skill the request names; `hint` (the skill its data words point to) when none.
    `stage`: the condition is time spent in that stage, which only stale-candidate-sla checks."""
    low = raw.lower()
    matched = [name for name, pattern in SKILL_PATTERNS if pattern.search(low)]
    if condition_days is not None:
        wants_report = (
            stage is None and "pipeline-report" in matched and VAGUE_OUTPUT_RE.search(low)
        )
        matched = [m for m in matched if m not in ("pipeline-report", "stale-candidate-sla")]
        matched.insert(0, "pipeline-report" if wants_report else "stale-candidate-sla")
    if "new-candidate-alert" in matched and "pipeline-report" in matched:
        matched.remove("pipeline-report")  # "new candidates in my pipeline"
    if "post-interview-followup" in matched and "followups" in matched:
        matched.remove("followups")  # "the post-interview follow-up"
    if "stale-candidate-sla" in matched and "pipeline-report" in matched:
        matched.remove("pipeline-report")  # "stale candidates in my pipeline"
    if "hiring-metrics" in matched:
        # "time to hire for open roles", "acceptance rate of the pipeline": the figures asked
        matched = [m for m in matched if m not in ("open-roles-report", "pipeline-report")]
    if "open-roles-report" in matched and "pipeline-report" in matched:
        # "the pipeline of our open roles" is the pipeline report, unless how long the roles
        # have been open is asked
        aged = re.search(r"\bbeen\s+open\b|\bopen\s+(?:for|longer|more|over)\b", low)
        matched.remove("pipeline-report" if aged else "open-roles-report")
    if "candidate-note" in matched and "new-candidate-alert" in matched:
        matched.remove("new-candidate-alert")  # "when a new application comes in, confirm it"
    if "post-interview-followup" in matched and event_type in NOTE_KINDS:
        # "a thank-you note when they withdraw": a note on that event, not an interview's
        matched = ["candidate-note" if m == "post-interview-followup" else m for m in matched]
    facts = SkillFacts()
    if len(matched) > 1:
        facts.question = (
            "Which one should it do: " + " or ".join(matched) + "? One automation runs one skill."
        )
        return facts
    skill = matched[0] if matched else _event_default(event_type, relative_offset) or hint
    facts.vague = skill is None and bool(VAGUE_OUTPUT_RE.search(low))
    facts.skill = skill
    if skill == "pipeline-report":
        everyone = re.search(
            r"\b(?:whole|entire|team'?s?|company'?s?|org(?:ani[sz]ation)?'?s?|"
            r"everyone'?s|all)\b[\w\s']*\bpipeline|\bpipeline\b[\w\s]*\b(?:for|of"
            r"|across)\s+(?:the\s+)?(?:whole\s+|entire\s+)?(?:team|company|org"
            r"(?:ani[sz]ation)?)\b",
            low,
        )
        facts.params["scope"] = "organization" if everyone else "mine"
        if condition_days is not None:
            facts.params["stale_days"] = condition_days
    elif skill == "stale-candidate-sla":
        # the skill counts business days (SLAs skip weekends and holidays)
        if business_days is not None:
            facts.params["business_days"] = business_days
        if stage is not None:
            facts.params["stage"], facts.params["measure"] = stage, "stage"
    elif skill == "candidate-note":
        kind = note_kind(low, event_type)
        if kind is None:
            facts.question = (
                "Which note should the candidate get: a kind rejection, a confirmation that "
                "their application arrived, or thanks after they withdraw?"
            )
            return facts
        facts.params["kind"] = kind
    elif skill == "interview-briefing" and relative_offset is not None and relative_offset < 0:
        facts.params["lead_minutes"] = -relative_offset
    if skill in ("sourcing-recap", "followups", "stale-candidate-sla") and re.search(
        r"\b(?:whole|entire|everyone'?s|team'?s?|company'?s?|org(?:ani[sz]ation)?'?s?)\b", low
    ):
        facts.params["scope"] = "organization"
    return facts


#: the note a candidate-note sends on each event that has one
NOTE_KINDS = {
    "candidate.rejected": "rejection",
    "application.created": "acknowledgement",
    "candidate.withdrawn": "withdrawal",
}
_NOTE_WORDS = (
    ("rejection", r"\breject|\bdeclin|\bregret|\bturn(?:ed|s)?\s+down|\bunsuccessful"),
    ("acknowledgement", r"\bconfirm|\backnowledg|\breceiv|\bgot\s+their\s+application"),
    ("withdrawal", r"\bwithdr[ae]w|\bdrops?\s+out|\bpulls?\s+out"),
)


def note_kind(low: str, event_type: str | None) -> str | None:
    """The note a candidate-note sends: the one its event calls for, else the one named."""
    if event_type in NOTE_KINDS:
        return NOTE_KINDS[event_type]
    named = [kind for kind, rx in _NOTE_WORDS if re.search(rx, low)]
    return named[0] if len(named) == 1 else None


def _event_default(event_type: str | None, relative_offset: int | None) -> str | None:
    if relative_offset is not None and event_type == "interview.scheduled":
        return "interview-briefing" if relative_offset < 0 else "post-interview-followup"
    return {
        "offer.accepted": "offer-accepted-alert",
        "application.created": "new-candidate-alert",
        "candidate.created": "new-candidate-alert",
        "interview.completed": "post-interview-followup",
        # a rejection or a withdrawal concerns the candidate: the note they get
        "candidate.rejected": "candidate-note",
        "candidate.withdrawn": "candidate-note",
    }.get(event_type or "")
