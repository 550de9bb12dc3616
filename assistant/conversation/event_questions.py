"""Questions about what runs on an event: "what happens when a candidate is rejected?", "what
runs when someone applies?", "is anything set up for offers?". They are answered with the
automations waiting for that event (a member's own, the organisation's for an admin), or by
saying that none does and how to set one up; a question never drafts anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.reply import Reply
from assistant.language.clock_words import Text
from assistant.language.draft import event_words
from assistant.language.event_words import read_events
from models.store.automations import list_automations_and_owners

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

_SOMETHING = r"(?:anything|something|any\s+automations?|any\s+alerts?|any\s+workflows?|any\s+of\s+(?:my|our)\s+automations)"
_DONE = (
    r"(?:happens?|runs?|fires?|goes\s+out|go\s+out|gets?\s+sent|is\s+sent|are\s+sent|is\s+done|"
    r"kicks?\s+(?:in|off)|triggers?|gets?\s+triggered|(?:is|are)\s+triggered|starts?)"
)
_SET_UP = r"(?:set\s+up|running|in\s+place|configured|ready|waiting)"
_LEAD = re.compile(
    r"(?:so\s+|and\s+|then\s+|tell\s+me\s+)?(?:"
    rf"(?:what|which)(?:\s+(?:automations?|ones?|alerts?|workflows?))?\s+(?:{_DONE}|"
    rf"(?:do|did)\s+(?:i|we)\s+(?:have|get)(?:\s+{_SET_UP})?|have\s+(?:i|we)\s+(?:got|set\s+up)|"
    rf"(?:is|are)\s+{_SET_UP}|(?:is|are)\s+there)"
    rf"|(?:does|do|will|would)\s+{_SOMETHING}\s+(?:run|happen|fire|go\s+out|get\s+sent|trigger|"
    r"kick\s+in|start)"
    rf"|(?:is|are)\s+(?:there\s+)?{_SOMETHING}\s+(?:{_SET_UP}|that\s+runs?|that\s+fires?)"
    rf"|(?:do|have)\s+(?:i|we)\s+(?:have|got|set\s+up)\s+{_SOMETHING}(?:\s+{_SET_UP})?"
    rf"|{_SOMETHING}\s+{_SET_UP}"
    r")\s+(?:(?:for\s+)?(?P<when>when(?:ever)?|if|once|each\s+time|after)\s+|(?:for|on|about)\s+)"
    r"(?P<rest>.+?)[\s?.!]*",
    re.I,
)
# what a question names instead of an event ("is anything set up for offers?")
_TOPICS = (
    (r"offers?", ("offer.created", "offer.accepted")),
    (r"rejections?|rejected\s+(?:candidates?|applicants?|people)", ("candidate.rejected",)),
    (
        r"(?:new\s+)?(?:applications?|applicants?)|new\s+candidates?",
        ("application.created", "candidate.created"),
    ),
    (
        r"interviews?",
        (
            "interview.scheduled",
            "interview.rescheduled",
            "interview.cancelled",
            "interview.completed",
        ),
    ),
    (r"hires?|new\s+hires?|hiring", ("candidate.hired",)),
    (r"withdrawals?|withdrawn\s+candidates?|drop[- ]?outs?", ("candidate.withdrawn",)),
    (r"replies|candidate\s+replies", ("candidate.replied",)),
    (r"stage\s+(?:changes?|moves?)", ("candidate.stage_changed",)),
)
# the filters a question may name that an automation's own filter must agree with
_FILTERS = ("to_stage", "from_stage", "job", "department")
# a note to the candidate is what people set up on these; an alert to themselves on others
_NOTE_EVENTS = ("candidate.rejected", "candidate.withdrawn")


@dataclass(frozen=True)
class EventAsk:
    """The events a question asks about, and the filters it names ("moves to Offer")."""

    event_types: tuple[str, ...]
    filters: dict[str, Any] = field(default_factory=dict)

    def said(self) -> str:
        """ "a candidate is rejected", "an offer is made or an offer is accepted"."""
        return " or ".join(
            event_words(t, self.filters).removeprefix("When ") for t in self.event_types
        )

    def example(self) -> str:
        """A request that sets up an automation on the first of these events."""
        first = self.event_types[0]
        action = "email them a kind note" if first in _NOTE_EVENTS else "email me"
        return f"when {event_words(first, self.filters).removeprefix('When ')}, {action}"


def event_question(text: str) -> EventAsk | None:
    """The events `text` asks what runs on, or None when it asks no such question."""
    said = " ".join(text.replace("\u2019", "'").split())
    m = _LEAD.fullmatch(said)
    if m is None:
        return None
    rest = m.group("rest")
    if not m.group("when"):
        for pattern, types in _TOPICS:
            if re.fullmatch(rf"(?:the\s+|my\s+|our\s+)?(?:{pattern})", rest, re.I):
                return EventAsk(types)
    facts = read_events(Text(f"when {rest}"))
    if facts.event_type is None or facts.question or facts.relative:
        return None
    filters = {k: v for k, v in facts.filters.items() if k in _FILTERS}
    return EventAsk((facts.event_type,), filters)


def event_answer(tools: Toolset, actor: Actor, state: dict[str, Any], text: str) -> Reply:
    """The automations that run on the events `text` asks about, or that none does."""
    asked = event_question(text)
    if asked is None:  # read as one when classified: only a changed reader gets here
        return Reply("I couldn't tell which event you mean.", "error")
    owner_id = None if actor.is_admin else actor.user_id
    found = [
        (auto, email)
        for auto, email in list_automations_and_owners(
            tools.engine, actor.org_id, owner_id=owner_id
        )
        if auto.trigger_type == "event"
        and auto.event_type in asked.event_types
        and _agrees(asked.filters, auto.event_filter or {})
    ]
    state["listed"] = [auto.id for auto, _ in found]
    if not found:
        who = (
            "Nothing in the organisation runs"
            if actor.is_admin
            else "None of your automations runs"
        )
        return Reply(
            f"{who} when {asked.said()}; say “{asked.example()}” to set one up.", "list", data=[]
        )
    views = [tools.get_automation(actor, auto.id or 0) for auto, _ in found]
    if len(views) == 1:
        state["focus"] = views[0].id
    owner = any(v.owner_email != actor.email for v in views)
    lines = [f"{i + 1}. {words.line(v, owner=owner)}" for i, v in enumerate(views)]
    head = f"Set up for when {asked.said()}:"
    return Reply("\n".join([head, *lines]), "list", data=[v.model_dump(mode="json") for v in views])


def _agrees(asked: dict[str, Any], has: dict[str, Any]) -> bool:
    """An automation's filter agrees with the question's when it names no other value for
    what the question names (one on every stage change runs on a move to Offer too)."""
    for key, value in asked.items():
        theirs = has.get(key)
        if theirs is None or theirs == "":
            continue
        values = theirs if isinstance(theirs, list) else [theirs]
        if str(value).lower() not in {str(v).lower() for v in values}:
            return False
    return True
