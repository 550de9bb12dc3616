"""Reactions: things that happen on a canonical event besides starting automations, e.g.
ending a candidate's sequence enrolments on hire, rejection, withdrawal, reply or a stage
change, and enrolling new candidates into automatic sequences. The sequences engine registers
its callbacks here; the inbox processor calls them once per processed event, in registration
order. A failing callback is logged and noted on the event; it does not stop the event's runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.store.sequences import enrol_on_event

log = logging.getLogger(__name__)

#: events that end sequence enrolments, unless the sequence says otherwise
ENDS_ENROLMENTS = (
    "candidate.hired",
    "candidate.rejected",
    "candidate.withdrawn",
    "candidate.replied",
    "candidate.stage_changed",
)
#: events that enrol a candidate into automatic sequences
ENROLS = ("candidate.created",)


@dataclass(frozen=True, slots=True)
class ReactionEvent:
    event_id: int
    org_id: int
    event_type: str
    data: dict[str, Any]  # canonical, PII-free: candidate_id, application_id, stages, job ...
    chain_depth: int
    provider: str = ""


Reaction = Callable[[Engine, ReactionEvent, datetime], None]

_registry: dict[str, list[Reaction]] = {}


def register(event_types: tuple[str, ...] | list[str], reaction: Reaction) -> None:
    for event_type in event_types:
        handlers = _registry.setdefault(event_type, [])
        if reaction not in handlers:
            handlers.append(reaction)


def unregister(reaction: Reaction) -> None:
    for handlers in _registry.values():
        while reaction in handlers:
            handlers.remove(reaction)


def react(engine: Engine, event: ReactionEvent, now: datetime) -> list[str]:
    """Run the reactions for the event; returns the errors, in plain words."""
    errors: list[str] = []
    for reaction in list(_registry.get(event.event_type, ())):
        try:
            reaction(engine, event, now)
        except Exception as exc:
            log.warning("reaction %r failed on event %s", reaction, event.event_id, exc_info=True)
            errors.append(f"{getattr(reaction, '__name__', 'reaction')}: {type(exc).__name__}")
    return errors


def sequences(engine: Engine, event: ReactionEvent, now: datetime) -> None:
    """Sequences (models.store.sequences.enrol_on_event) enrol and end enrolments of the
    candidate the event names, from any ATS: an enrolment names its candidate by the ATS's
    candidate id, a whole number. An id that is not one (Lever's contact ids are UUIDs) names
    no enrolment, and the event changes none."""

    candidate = str(event.data.get("candidate_id", ""))
    if not candidate.isdigit():
        return
    enrol_on_event(
        engine, event.org_id, event.event_type, {**event.data, "candidate_id": int(candidate)}, now
    )


register(ENDS_ENROLMENTS + ENROLS, sequences)
