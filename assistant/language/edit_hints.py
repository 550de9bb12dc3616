"""The changes offered when a change was not understood: each one an edit that works on that
automation as it is (said back, it changes it), chosen by its kind (a schedule, a one-off
run, a poll, an event) and by the params its skill declares."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.language.param_edits import in_use, unit_of
from skills.param_words import join_words

if TYPE_CHECKING:
    from models.tables.automations import Automation
    from skills.base import SkillSpec
    from skills.param_words import SpecsBySkill

# the usual stages, in pipeline order: one a stage-change automation does not run on is offered
_STAGES = ("Screen", "Interview", "Offer")


def edit_hints(
    auto: Automation,
    specs: SpecsBySkill,
    time_of_day: tuple[int, int] | None,
    weekdays: list[str],
) -> str:
    """ "“move it to 8am”, “make it weekdays only” or “make it 3 business days”" for `auto`;
    `time_of_day` and `weekdays`: when it runs now, if it says."""
    hints: list[str] = []
    if auto.trigger_type == "event":
        hints += _event_hints(auto)
    elif auto.trigger_type == "poll":
        every = 60 if auto.poll_interval_minutes == 15 else 15
        hints.append(f"“check every {every} minutes”")
    elif auto.run_once_at is not None:
        hints.append(_time_hint(time_of_day))
    else:
        if time_of_day is not None:
            hints.append(_time_hint(time_of_day))
            days = {"monday", "tuesday", "wednesday", "thursday", "friday"}
            hints.append(
                "“make it Mondays only”" if set(weekdays) == days else "“make it weekdays only”"
            )
        else:
            hints.append("“make it every weekday at 8am”")
    if param := _param_hint(auto, specs):
        hints.append(param)
    if len(hints) < 2:
        hints.append(f"“call it {_other_name(auto)}”")
    return join_words(hints[:3], "or")


def _time_hint(time_of_day: tuple[int, int] | None) -> str:
    hour = 7 if time_of_day == (8, 0) else 8
    return f"“move it to {hour}am”"


def _event_hints(auto: Automation) -> list[str]:
    filters = auto.event_filter or {}
    hints = []
    if filters.get("relative_to") == "interview.starts_at":
        offset = int(filters.get("offset_minutes") or 0)
        side = "before" if offset < 0 else "after"
        hints.append(
            f"“make it 30 minutes {side}”" if abs(offset) == 60 else f"“make it an hour {side}”"
        )
    if filters.get("relative_to") in (None, "event"):
        minutes = int(filters.get("offset_minutes") or 0)
        hints.append("“wait 2 hours”" if minutes == 60 else "“wait an hour”")
    if auto.event_type == "candidate.stage_changed" and (now := filters.get("to_stage")):
        stages = {str(s).casefold() for s in (now if isinstance(now, list) else [now])}
        if other := next((s for s in _STAGES if s.casefold() not in stages), None):
            hints.append(f"“also when they reach {other}”")
    return hints


def _param_hint(auto: Automation, specs: SpecsBySkill) -> str | None:
    """ "make it 3 business days": another value of the first param counted in a unit."""
    spec = in_use(auto, specs.get(auto.skill))
    if spec is None:
        return None
    for name, param in spec.params.items():
        unit = unit_of(param)
        if unit is None:
            continue
        value = (auto.params or {}).get(name, param.default)
        value = value if isinstance(value, int) else param.minimum or 1
        low, high = param.minimum or 1, param.maximum or value + 1
        other = value + 1 if value + 1 <= high else value - 1
        if other < low or other == value:
            continue
        return f"“make it {other} {unit}{'' if other == 1 else 's'}{_which(spec, name)}”"
    return None


def _which(spec: SkillSpec, name: str) -> str:
    """ " for contracts": a word of the param's own, when another param counts in its unit."""
    unit = unit_of(spec.params[name])
    others = [p for n, p in spec.params.items() if n != name and unit_of(p) == unit]
    if not others:
        return ""
    theirs = " ".join(str(p.words) for p in others).lower()
    own = re.findall(r"[a-z]{4,}", str(spec.params[name].words).lower())
    word = next((w for w in own if w not in theirs), None)
    return f" for {word}" if word else ""


def _other_name(auto: Automation) -> str:
    return "Morning check" if auto.name != "Morning check" else "Daily check"
