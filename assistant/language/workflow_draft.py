"""A request naming several steps on one event becomes one workflow automation: one trigger, its
actions run in order for the event's candidate, each with its own result (skills/actions.py).
Being one automation, it is confirmed with one "yes" and listed, paused, resumed and deleted as
one. A step that no action can do is named in a note and the others are offered; when none can
be done, the request is read as before (one skill, or a question)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from assistant.language.draft import Draft, event_words
from assistant.language.event_words import EventFacts
from assistant.language.output_steps import one_alert_in_places
from assistant.language.step_words import StepReading, read_step, split_steps
from assistant.language.teammate_words import Teammate
from skills.param_words import SpecsBySkill

# the trigger part of a request read: its event (None when it names none), its time zone, and
# whether it also names a schedule (an automation has one trigger)
TriggerReader = Callable[[str], tuple[EventFacts | None, str, bool]]


def understand_steps(
    request: str,
    plain: Draft,
    *,
    read_trigger: TriggerReader,
    read_alone: Callable[[str], Draft],
    people: Sequence[Teammate] = (),
) -> Draft:
    """The workflow draft of `request` when it names steps on an event, else `plain` (its
    reading as one skill). `read_alone` reads a single request, for a step that is a skill's
    work rather than an action: its note names the skill to ask for on its own."""
    split = split_steps(request)
    if split is None or plain.also:  # one report to two places: not steps
        return plain
    trigger, steps = split
    if len(steps) < 2 and plain.ok:
        return plain
    events, zone, scheduled = read_trigger(trigger)
    if events is None or events.event_type is None or events.question or scheduled:
        return plain
    stage = events.filters.get("to_stage")
    notice = notice_of(events.event_type, events.filters)
    readings = [read_step(step, notice, people, stage) for step in steps]
    if not any(r.action for r in readings) or (len(steps) == 1 and readings[0].tells_me):
        return plain
    if any(r.unknown for r in readings) and all(_tells_only(r, notice) for r in readings):
        # a post somewhere and an email that says only what happened: one alert, two places
        alert = one_alert_in_places(request, trigger, steps, read_alone)
        if alert is not None:
            return alert
    if plain.ok and (kept := _skill_step(plain, readings, trigger, read_alone)) is not None:
        return kept
    actions = [r.action for r in readings if r.action]
    draft = workflow_of(request, zone, events, actions, plain.specs)
    for reading in readings:
        draft.defaults.extend(reading.defaults)
        if reading.problem:
            draft.notes.append(_problem(reading, trigger, read_alone))
    draft.write_summary()
    return draft


def _tells_only(reading: StepReading, notice: str) -> bool:
    """A step that says nothing of its own: a post or message no action does, or an email
    telling only what happened."""
    action = reading.action
    if action is None:
        return reading.unknown
    return action.get("type") == "send_email" and action.get("subject") == notice


def _skill_step(
    plain: Draft, readings: list[StepReading], trigger: str, read_alone: Callable[[str], Draft]
) -> Draft | None:
    """`plain` when one of the steps is its skill's work ("send them the prep pack and create
    a task …"): that skill is what was asked first of all, so it is kept, and each other step
    is named as left out, to ask for on its own; None when no step is."""
    if read_alone(trigger).skill == plain.skill:
        return None  # the event's own skill, which no step names
    for reading in readings:
        if not reading.unknown or read_alone(f"{trigger}, {reading.said}").skill != plain.skill:
            continue
        plain.notes.extend(
            f"“{other.said}” is left out: one automation does either {plain.skill}'s work or "
            f"steps like this one; ask for “{trigger}, {other.said}” on its own."
            for other in readings
            if other is not reading
        )
        plain.write_summary()
        return plain
    return None


def workflow_of(
    request: str,
    tz: str,
    events: EventFacts,
    actions: list[dict[str, Any]],
    specs: SpecsBySkill,
) -> Draft:
    """The draft of a workflow running `actions` on `events`' trigger; its summary is written
    again by whoever adds notes to it."""
    draft = Draft(
        request=request,
        tz=tz,
        status="ok",
        trigger_type="event",
        event_type=events.event_type,
        event_filter=dict(events.filters),
        skill="workflow",
        params={"actions": actions},
        # a workflow's steps reach people themselves: it has no output of its own
        channel="noop",
        to=[],
        specs=specs,
    )
    draft.write_summary()
    return draft


#: what an email step that says nothing of its own tells, by event
_NOTICES = {
    "candidate.created": "{{ candidate.name }} was added",
    "application.created": "{{ candidate.name }} applied",
    "candidate.stage_changed": "{{ candidate.name }} changed stage",
    "interview.scheduled": "An interview with {{ candidate.name }} is scheduled",
    "interview.rescheduled": "An interview with {{ candidate.name }} is rescheduled",
    "interview.cancelled": "An interview with {{ candidate.name }} is cancelled",
    "interview.completed": "An interview with {{ candidate.name }} is completed",
    "offer.created": "An offer is made to {{ candidate.name }}",
    "offer.accepted": "{{ candidate.name }} accepted the offer",
    "candidate.replied": "{{ candidate.name }} replied",
    "candidate.withdrawn": "{{ candidate.name }} withdrew",
    "candidate.hired": "{{ candidate.name }} was hired",
    "candidate.rejected": "{{ candidate.name }} was rejected",
}


def notice_of(event_type: str, filters: dict[str, Any]) -> str:
    """What an email step that says nothing of its own tells: "{{ candidate.name }} moved to
    Offer"."""
    if event_type == "candidate.stage_changed" and isinstance(filters.get("to_stage"), str):
        return "{{ candidate.name }} moved to " + filters["to_stage"]
    if event_type in _NOTICES:
        return _NOTICES[event_type]
    said = event_words(event_type, {}).removeprefix("When ")
    return "{{ candidate.name }}: " + said


def _problem(reading: StepReading, trigger: str, read_alone: Callable[[str], Draft]) -> str:
    """The note on a step left out: why, and what it is on its own when a skill does it."""
    alone = read_alone(f"{trigger}, {reading.said}") if reading.unknown else None
    if alone is not None and alone.ok and alone.skill != "workflow":
        return (
            f"I can't do “{reading.said}” as a step of this workflow: it is an automation of "
            f"its own ({alone.skill}), so it is left out; ask for it separately."
        )
    return f"{reading.problem} It is left out."
