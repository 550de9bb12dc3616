"""The steps of a request that asks for several things on one event: "When a candidate reaches
Offer, email the hiring manager and create a task to prepare the contract". Its trigger part and
its steps are split here, and each step is read as one workflow action (skills/actions.py):
an email (to the candidate, the job's hiring manager, the requester, a teammate or an
address), a task, or a change to the application's priority or status. A step that is none of
these is kept as said, for the read-back to name it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.language.teammate_words import Teammate
from assistant.language.words import number
from models.addresses import is_email_address
from skills.ats.records import UPDATABLE_FIELDS

# the verbs a step starts with: a joiner splits a request only before one of them, so "email the
# candidate and the hiring manager" stays one step
_VERBS = (
    r"e-?mail|mail|send|create|add|make|open|set|mark|flag|notify|tell|let|ping|message|inform|"
    r"alert|write|post|dm|slack|remind|assign|schedule|text|call|update|change|move|reject|"
    r"archive|tag|give|log"
)
_STEP_START = r"(?:(?:please|also|then|and)\s+)*(?:" + _VERBS + r")\b"
_JOINER = re.compile(
    r"(?:\s*[,;]\s*(?:and\s+)?(?:then\s+)?(?:also\s+)?|\s+and\s+(?:then\s+)?(?:also\s+)?"
    r"|\s+then\s+|\s+(?:&|plus)\s+)(?=" + _STEP_START + ")",
    re.I,
)
# where a trigger said first ends: the first verb of a step after a comma or a space
_LEADING = re.compile(
    r"^\s*(?P<trigger>(?:when(?:ever)?|once|if|each\s+time|every\s+time|as\s+soon\s+as|after|"
    r"[\w-]+\s+(?:minutes?|hours?|days?|weeks?)\s+(?:after|before))\b.*?)"
    r"(?:\s*,\s*|\s+)(?P<steps>" + _STEP_START + r".*)$",
    re.I | re.S,
)
# a trigger said last: "email me and create a task when someone applies"
_TRAILING = re.compile(
    r"^\s*(?P<steps>" + _STEP_START + r".*?)\s*,?\s+(?P<trigger>(?:when(?:ever)?|each\s+time|"
    r"every\s+time|as\s+soon\s+as|once)\b.*)$",
    re.I | re.S,
)


def split_steps(request: str) -> tuple[str, list[str]] | None:
    """The trigger part of `request` and its steps in order; None when it does not read as a
    trigger then steps (or steps then a trigger)."""
    text = request.strip().rstrip(".!")
    found = _LEADING.match(text) or _TRAILING.match(text)
    if found is None:
        return None
    trigger = found.group("trigger").strip().rstrip(",")
    parts = _JOINER.split(found.group("steps"))
    steps = [_bare(p) for p in parts if _bare(p)]
    return (trigger, steps) if steps else None


def _bare(step: str) -> str:
    """A step without the joining words and punctuation around it."""
    step = re.sub(r"^\s*(?:(?:please|also|then|and)\s+)+", "", step, flags=re.I)
    return step.strip().strip(",;").strip()


@dataclass
class StepReading:
    """One step as read: its action definition, or why it cannot be one."""

    said: str
    action: dict[str, Any] | None = None
    problem: str | None = None
    unknown: bool = False  # no action reads like it (else `problem` says what is wrong)
    # an email telling the requester only what happened: alone, the skills that tell of the
    # event are offered instead (they say more)
    tells_me: bool = False
    defaults: list[str] = field(default_factory=list)


_WHO = (
    r"(?P<who>(?:the\s+|their\s+|the\s+job'?s\s+)?hiring\s+manager|the\s+candidate|candidate|"
    r"them|him|her|the\s+applicant|me|myself|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    r"(?-i:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?))"
)
_EMAIL_STEP = re.compile(
    r"^(?:send\s+(?:an?\s+)?(?:email|e-mail|mail|note|message)\s+to|e-?mail|mail|notify|tell|"
    r"alert|inform|write\s+to|ping|message)\s+" + _WHO + r"(?P<rest>\s.*)?$",
    re.I | re.S,
)
_LET_KNOW = re.compile(r"^let\s+" + _WHO + r"\s+know(?P<rest>\s.*)?$", re.I | re.S)
_TASK_STEP = re.compile(
    r"^(?:create|add|make|open|set\s+up|log)\s+(?:me\s+)?(?:an?\s+|one\s+)?(?:new\s+)?"
    r"(?:follow[- ]up\s+)?(?:task|to-?do)(?:\s+for\s+(?P<who>me|myself|the\s+candidate'?s\s+"
    r"owner|their\s+owner|the\s+recruiter|their\s+recruiter|the\s+hiring\s+manager|"
    r"[\w' ]+?))?(?:\s*(?:to|:|called|titled|saying|named)\s*|\s+(?=[“\"']))(?P<title>.+)$",
    re.I | re.S,
)
_DUE = re.compile(
    r"\s*,?\s+(?:due\s+)?(?:(?:in|within)\s+(?P<n>\d+|an?|one|two|three|four|five|six|seven|"
    r"ten|fourteen)\s+(?P<unit>days?|weeks?)|(?P<day>today|tomorrow))\s*$",
    re.I,
)
_FIELD_STEP = re.compile(
    r"^(?:set|change|update|make|mark)\s+(?:the\s+|their\s+|its\s+|the\s+application'?s\s+)?"
    r"(?P<field>priority|status)\s+(?:to|as)\s+(?P<value>\w+)$",
    re.I,
)
_MARK_STEP = re.compile(
    r"^(?:mark|flag|set|make)\s+(?:them|it|the\s+candidate|the\s+application|their\s+"
    r"application)\s+(?:as\s+)?(?:(?P<priority>high|normal)[\s-]+priority|(?P<status>hired|"
    r"rejected|withdrawn|active))$",
    re.I,
)
_QUOTED = re.compile(r"[“\"']([^”\"]+)[”\"']")
_ABOUT = re.compile(r"^\s*(?:about|regarding|that|saying|to\s+say)\s+(?P<what>.+)$", re.I | re.S)

#: what a step can be, said when one cannot
STEP_KINDS = (
    "a step can email someone (the candidate, the job's hiring manager, you, a teammate or an "
    "address), create a task for you or the candidate's owner, or set the application's "
    "priority or status"
)


def read_step(
    said: str, notice: str, people: Sequence[Teammate] = (), stage: str | None = None
) -> StepReading:
    """One step as a workflow action. `notice`: what an email that says nothing of its own
    tells its reader (the event, with the candidate's name); `stage`: the stage the event
    moves to, if any."""
    reading = StepReading(said)
    text = said.strip()
    if m := _EMAIL_STEP.match(text) or _LET_KNOW.match(text):
        return _email(reading, m, notice, people)
    if m := _TASK_STEP.match(text):
        return _task(reading, m)
    if m := _FIELD_STEP.match(text):
        return _field(reading, m.group("field").lower(), m.group("value").lower())
    if m := _MARK_STEP.match(text):
        if m.group("priority"):
            return _field(reading, "priority", m.group("priority").lower())
        return _field(reading, "status", m.group("status").lower())
    reading.problem = f"I can't do “{said}” as a step: {STEP_KINDS}."
    reading.unknown = True
    return reading


def _email(
    reading: StepReading, m: re.Match[str], notice: str, people: Sequence[Teammate]
) -> StepReading:
    who = " ".join(m.group("who").split())
    to = _recipient(who, people)
    if to is None:
        reading.problem = (
            f"I can't do “{reading.said}” as a step: I don't know who “{who}” is (a step can "
            "email the candidate, the job's hiring manager, you, a teammate or an address)."
        )
        return reading
    rest = (m.group("rest") or "").strip()
    quoted = _QUOTED.search(rest)
    about = _ABOUT.match(rest)
    if rest and not quoted and not about:
        reading.problem = (
            f"I can't do “{reading.said}” as a step: an email step says a message of its own "
            "(“… saying …” or in quotes), not a report or a skill's email."
        )
        reading.unknown = True  # perhaps a skill's email ("the prep pack"): read alone
        return reading
    if quoted:
        subject = body = quoted.group(1).strip()
    elif about:
        what = about.group("what").strip().rstrip(".")
        subject, body = f"{what[:1].upper()}{what[1:]}", f"{notice}: {what}."
    elif to == "candidate":
        reading.problem = (
            f"I can't do “{reading.said}” as a step without its message: say what it tells "
            "the candidate, for example “email them saying we will be in touch this week”."
        )
        return reading
    else:
        subject, body = notice, f"{notice} ({{{{ job.title }}}})."
        reading.tells_me = to == "owner"
        reading.defaults.append(
            f"the email to {_to_words(to)} only says what happened, as you did not say what it says"
        )
    reading.action = {"type": "send_email", "to": to, "subject": subject, "body": body}
    return reading


def _recipient(who: str, people: Sequence[Teammate]) -> str | None:
    low = who.lower()
    if "hiring manager" in low:
        return "hiring_manager"
    if low in ("the candidate", "candidate", "them", "him", "her", "the applicant"):
        return "candidate"
    if low in ("me", "myself"):
        return "owner"
    if is_email_address(who):
        return who
    for person in people:
        if low in person.said_as():
            return person.email
    return None


def _to_words(to: str) -> str:
    return {"owner": "you", "hiring_manager": "the job's hiring manager"}.get(to, to)


def _task(reading: StepReading, m: re.Match[str]) -> StepReading:
    who = " ".join((m.group("who") or "me").lower().split())
    if who in ("me", "myself"):
        assignee = "owner"
    elif "owner" in who or "recruiter" in who:
        assignee = "candidate_owner"
    else:
        reading.problem = (
            f"I can't do “{reading.said}” as a step: a task goes to you or the candidate's "
            f"owner, not {who}."
        )
        return reading
    title = m.group("title").strip()
    days = 1
    if due := _DUE.search(title):
        title = title[: due.start()].strip()
        if due.group("day"):
            days = 0 if due.group("day").lower() == "today" else 1
        else:
            amount = number(due.group("n")) or 1
            days = int(amount * (7 if due.group("unit").lower().startswith("week") else 1))
    else:
        reading.defaults.append("the task is due a day after the event, as you did not say when")
    title = _QUOTED.sub(lambda q: q.group(1), title).strip().rstrip(".")
    if not title:
        reading.problem = f"I can't do “{reading.said}” as a step: say what the task is."
        return reading
    title = re.sub(
        r"\bfor\s+(?:them|him|her|the\s+candidate)$", "for {{ candidate.name }}", title, flags=re.I
    )
    if "{{" not in title:
        title += " for {{ candidate.name }}"
    title = title[:1].upper() + title[1:]
    reading.action = {
        "type": "create_task",
        "title": title,
        "due_in_days": min(days, 365),
        "assignee": assignee,
    }
    return reading


def _field(reading: StepReading, name: str, value: str) -> StepReading:
    choices = UPDATABLE_FIELDS["application"][name] or ()
    if value not in choices:
        reading.problem = (
            f"I can't do “{reading.said}” as a step: the application's {name} can be "
            + " or ".join(choices)
            + "."
        )
        return reading
    reading.action = {
        "type": "update_field",
        "entity": "application",
        "field": name,
        "value": value,
    }
    return reading
