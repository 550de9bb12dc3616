"""Being told when something happens: "tell me when someone is hired", "post in #hiring when a
candidate withdraws", "email the hiring manager when an interview is cancelled". An event said
with somewhere to send it, and no skill named, is the event alert, except where another skill
says the event better: the offer-accepted alert, the new-candidate alert, the post-interview
follow-up after each interview or to its interviewer, a note for the candidate, a workflow's
steps. Also "how many hires we made": the pipeline report, whose movement counts the moves into
Hired."""

from __future__ import annotations

import re
from typing import Any

from assistant.language.event_words import EventFacts
from assistant.language.what_words import OutputFacts, SkillFacts
from assistant.language.words import SKILL_PATTERNS

ALERT = "event-alert"
#: skills an event without a named skill defaults to that the alert replaces when the output is
#: not for the candidate: a note on a rejection or withdrawal is the candidate's
_REPLACED = ("candidate-note",)
#: the events an interviewer can be found for: those about one interview
INTERVIEW_EVENTS = (
    "interview.scheduled",
    "interview.rescheduled",
    "interview.cancelled",
    "interview.completed",
)


#: a message said in the request's own words ("email the hiring manager “prepare the offer”"):
#: a workflow's email says it, where the alert would say what happened instead
_OWN_WORDS = re.compile(
    r"[\"“”]|(?:^|\s)'\w|\b(?:saying|that\s+says|which\s+says|with\s+the\s+(?:subject|message|"
    r"text|body)|subject(?:\s+line)?\s*:|message\s*:)",
    re.I,
)


#: things a request may ask to have sent that the alert does not carry: "email the hiring
#: manager their resume" asks for the resume, and an alert saying who moved would drop it
_NOT_CARRIED = re.compile(
    r"\b(?:resumes?|r[ée]sum[ée]s?|cvs?|cover\s+letters?|scorecards?|feedback|offer\s+letters?|"
    r"contracts?|portfolios?|profiles?|attachments?|documents?|files?|transcripts?|"
    r"references?|interview\s+notes?)\b",
    re.I,
)


def alert_instead(events: EventFacts, skill: SkillFacts, output: OutputFacts, about: str) -> bool:
    """Whether the request is the event alert: an event (not an interview's start, which the
    briefing and follow-up hang off), somewhere to send it other than the candidate, and no
    skill named in its words (nor one its event has that fits better)."""
    if events.event_type is None or events.question or skill.question:
        return False
    if events.filters.get("relative_to") == "interview.starts_at":
        return False
    if not output.mentioned or output.question or "candidate" in output.to:
        return False
    if any(pattern.search(about) for _, pattern in SKILL_PATTERNS) or _OWN_WORDS.search(about):
        return False
    if _NOT_CARRIED.search(about):
        return False
    if skill.skill == "post-interview-followup":
        # "let me know when an interview is over": the alert; "after each interview, email the
        # interviewer" is the follow-up, whose scorecard reminder is for the interviewer
        after = any(m.lower().startswith("after") for m in events.mentions)
        return not after and "interviewer" not in output.to
    return skill.skill is None or skill.skill in _REPLACED


def told_skill(
    events: EventFacts, skill: SkillFacts, output: OutputFacts, about: str
) -> SkillFacts:
    """The skill `read_skill` read, or the event alert or hires report the request is instead."""
    if skill.skill is None and events.event_type is None:
        return hires_report(about) or skill
    return SkillFacts(skill=ALERT) if alert_instead(events, skill, output, about) else skill


def alert_question(skill: str | None, event_type: str | None, to: list[str]) -> str | None:
    """The event alert tells of an event as it happens: asked which when none is said. An alert
    to "the interviewer" of an event about no interview finds nobody: said so."""
    if skill != ALERT:
        return None
    if event_type is None:
        return (
            "The event alert tells of something as it happens: which event, for example "
            "“when someone is hired” or “when a candidate withdraws”?"
        )
    if "interviewer" not in to or event_type in INTERVIEW_EVENTS:
        return None
    return (
        "That event is not about one interview, so no interviewer can be found for it: name "
        "who should hear of it (for example “send it to sam” or an address), or say “my team”."
    )


_HIRES = re.compile(
    r"\b(?:how\s+many|number\s+of|count\s+of|total\s+of|tally\s+of)\s+(?:new\s+)?"
    r"(?:hires|offers|people\s+(?:we\s+)?hired|candidates\s+(?:we\s+)?hired|"
    r"(?:people|candidates)\s+(?:we\s+)?(?:made\s+)?offers?\s+to)\b"
    r"|\bhires\s+(?:we|you|the\s+team)\s+(?:made|have\s+made|did)\b"
    r"|\b(?:our|my|the\s+team'?s|monthly|weekly)\s+hires\b",
    re.I,
)
#: what the pipeline report says of hires, for the read-back of a request that asks how many
HIRES_NOTE = (
    "the report counts hires as moves into the Hired stage (and offers as moves into Offer) in "
    "its movement since the previous report."
)
_OURS = re.compile(r"\b(?:we|our|us|the\s+team|the\s+company|everyone)\b", re.I)


def asks_hires(request: str) -> bool:
    return bool(_HIRES.search(request))


def hires_report(about: str) -> SkillFacts | None:
    """ "email me how many hires we made": the pipeline report (its movement counts the moves
    into Hired and Offer), the whole organisation's when the request says "we"."""
    if not asks_hires(about) or any(pattern.search(about) for _, pattern in SKILL_PATTERNS):
        return None
    scope = "organization" if _OURS.search(about) else "mine"
    return SkillFacts(skill="pipeline-report", params={"scope": scope})


_APPLIED_JOB = re.compile(
    r"\b(?:applications?|applicants?|candidates?)\s+(?:for|to)\s+(?:the\s+)?"
    r"(?P<job>[A-Z][\w&+#-]*(?:\s+[A-Z][\w&+#-]*){0,3})"
)


def applied_filter(filters: dict[str, Any], about: str) -> dict[str, Any]:
    """The filter of a new-candidate alert on each application: the job its event words named,
    else "new applications for Backend Engineer", a title said in capitals without "role"."""
    if filters.get("job"):
        return {"job": filters["job"]}
    m = _APPLIED_JOB.search(about)
    return {"job": m.group("job")} if m else {}
