"""Changing a workflow's steps in words, on a draft or an active workflow: "make the task due
in 3 days", "also email the candidate saying “Thanks”". Other words are read as for any
automation, except a schedule: a workflow runs on its event's candidate, so "due in 3 days"
never becomes a run in 3 days."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from assistant.language.edits import changes_in_words
from assistant.language.place_words import Here
from assistant.language.step_words import read_step
from assistant.language.teammate_words import Teammate
from assistant.language.unit_words import spelled_out
from assistant.language.words import number
from assistant.language.workflow_draft import notice_of
from models.errors import InvalidInput
from models.tables.automations import Automation
from skills.param_words import SpecsBySkill

_DUE = re.compile(
    r"^(?:please\s+)?(?:(?:change|edit)\s+it\s+so\s+(?:that\s+)?)?(?:make|set|change|move|have)?"
    r"\s*(?:the\s+task|the\s+to-?do|it|its\s+task)?\s*(?:to\s+)?(?:be\s+|is\s+)?due\s+"
    r"(?:in|within|after)\s+(?P<n>\w+)\s+(?P<unit>days?|weeks?)$",
    re.I,
)
_ADD = re.compile(r"^(?:and\s+)?(?:also|then|add\s+a\s+step(?:\s+to)?:?)\s+(?P<step>.+)$", re.I)
_SCHEDULE_KEYS = ("cron", "rrule", "once", "trigger_type")


def is_step_change(text: str) -> bool:
    """Whether `text` reads as a change to a workflow's steps ("make the task due in 3 days",
    "also email the hiring manager")."""
    said = text.strip().rstrip(".!")
    found = _ADD.match(said)
    return bool(_DUE.match(said) or (found and not read_step(found.group("step"), "").unknown))


def workflow_changes(
    auto: Automation,
    request: str,
    now: datetime,
    people: Sequence[Teammate] = (),
    specs: SpecsBySkill | None = None,
    job_titles: Sequence[str] = (),
    here: Here | None = None,
) -> dict[str, Any]:
    """The changes `request` asks of `auto` (see changes_in_words); for a workflow, first the
    changes to its steps, and never a schedule."""
    request = spelled_out(request)
    if auto.skill != "workflow":
        return changes_in_words(auto, request, now, people, specs, job_titles, here)
    said = request.strip().rstrip(".!")
    actions = [dict(a) for a in auto.params.get("actions") or []]
    if m := _DUE.match(said):
        return {"params": {**auto.params, "actions": _due(actions, m)}}
    if m := _ADD.match(said):
        notice = notice_of(auto.event_type or "", auto.event_filter or {})
        step = read_step(m.group("step"), notice, people)
        if step.action is not None:
            return {"params": {**auto.params, "actions": [*actions, step.action]}}
        if not step.unknown:  # a step, but not one a workflow can take as said
            raise InvalidInput(step.problem or "I couldn't read that step.")
    changes = changes_in_words(auto, request, now, people, specs, job_titles, here)
    if any(key in changes for key in _SCHEDULE_KEYS):
        raise InvalidInput(
            "A workflow runs when its event happens, for that candidate, not on a schedule; "
            "say a step's change (“make the task due in 3 days”) or another event."
        )
    return changes


def _due(actions: list[dict[str, Any]], m: re.Match[str]) -> list[dict[str, Any]]:
    tasks = [a for a in actions if a.get("type") == "create_task"]
    if not tasks:
        raise InvalidInput("This workflow makes no task.")
    amount = number(m.group("n"))
    if amount is None or amount < 0:
        raise InvalidInput(f"Due in how many days? '{m.group('n')}' is not a number I can read.")
    days = int(amount * (7 if m.group("unit").lower().startswith("week") else 1))
    if days > 365:
        raise InvalidInput("A task is due at most 365 days after the event.")
    for task in tasks:
        task["due_in_days"] = days
    return actions
