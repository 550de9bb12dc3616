"""The kinds of automation a listing names: "my reminders", "which reports do I have?", "my
alerts", "my workflows". A reminder and a workflow are their skills; an alert waits for an
event or polls for one; a report is any other scheduled automation.

A listing may also name how its automations are started: "my event automations", "the ones
that run on a schedule", "the ones that poll" (their trigger: event, cron or poll)."""

from __future__ import annotations

import re
from typing import Protocol


class Kinded(Protocol):
    """An automation as stored or as viewed: what its kind is read from."""

    @property
    def skill(self) -> str: ...
    @property
    def trigger_type(self) -> str: ...


KINDS = ("reminders", "alerts", "reports", "workflows")
_KIND = re.compile(r"\b(reminder|alert|report|workflow)s?\b")
# the kinds named by how an automation starts, and the trigger each is
TRIGGER_KINDS = {"event": "event", "scheduled": "cron", "polling": "poll"}
# how people name each, singular and plural ("an automation that runs on events")
_NOUNS = {
    "event": ("automation that runs on events", "automations that run on events"),
    "scheduled": ("automation that runs on a schedule", "automations that run on a schedule"),
    "polling": ("automation that polls", "automations that poll"),
}
_THAT = r"(?:(?:that|which|who)\s+)?"
_RUN = r"(?:run|runs|fire|fires|go|goes|go\s+off|goes\s+off|are\s+triggered|is\s+triggered|start|starts)"
_TRIGGER_WORDS = (
    (
        "event",
        r"\bevent[- ](?:driven|triggered|based|automations?|alerts?|ones?|workflows?)\b"
        rf"|\b{_THAT}(?:{_RUN}\s+(?:on|by|for|from|after|when)|wait\s+for|waits\s+for|react\s+to|"
        r"reacts\s+to|respond\s+to|responds\s+to|listen\s+for|listens\s+for)\s+(?:an?\s+)?"
        r"(?:ats\s+)?events?\b|\b(?:triggered|started|driven)\s+by\s+(?:an?\s+)?events?\b"
        r"|\b(?:on|by)\s+events?\b",
    ),
    (
        "scheduled",
        # before what is listed: "what do I have scheduled?" asks about every automation
        r"\b(?:scheduled|timed|cron|recurring|repeating)[- ](?:automations?|alerts?|ones?|"
        r"workflows?)\b"
        rf"|\b{_THAT}{_RUN}\s+(?:on|by)\s+(?:a\s+)?(?:schedule|timer|cron|the\s+clock)\b"
        r"|\b(?:on|by)\s+(?:a\s+)?(?:schedule|timer)\b",
    ),
    (
        "polling",
        rf"\b{_THAT}(?:polls?|polling|check\s+periodically|checks\s+periodically)\b"
        r"|\bpoll(?:ing|ed)?[- ](?:automations?|alerts?|ones?)\b",
    ),
)


def kind_in(low: str) -> str | None:
    """The kind a listing's words name ("reminders"), or None for automations of any kind."""
    found = {m.group(1) + "s" for m in _KIND.finditer(low)}
    return found.pop() if len(found) == 1 else None


def trigger_kind_in(low: str) -> tuple[str, str] | None:
    """The trigger a listing's words name ("my event automations", "the ones that run on a
    schedule") and the words without it ("my automations"), or None when they name none or
    more than one."""
    found = [(kind, m) for kind, pattern in _TRIGGER_WORDS if (m := re.search(pattern, low))]
    if len(found) != 1:
        return None
    kind, m = found[0]
    said = m.group(0)
    # "event automations": the noun after the kind word stays the listing's
    noun = re.search(r"(automations?|alerts?|ones?|workflows?)$", said)
    rest = f"{low[: m.start()]}{noun.group(1) if noun else ''}{low[m.end() :]}"
    return kind, " ".join(rest.split())


def kind_noun(kind: str, count: int = 2) -> str:
    """What automations of `kind` are called: "reminders", "automations that poll"."""
    if kind in _NOUNS:
        return _NOUNS[kind][count != 1]
    return kind if count != 1 else kind[:-1]


def of_kind(view: Kinded, kind: str) -> bool:
    if kind in TRIGGER_KINDS:
        return view.trigger_type == TRIGGER_KINDS[kind]
    if view.skill in ("reminder", "workflow"):
        return kind == view.skill + "s"
    alert = view.trigger_type in ("event", "poll") or "alert" in view.skill
    return kind == ("alerts" if alert else "reports")
