"""What an automation does, in the words a read-back shows: the skill's label, then each param
the request chose as its skill declares it reads ("a summary of your pipeline
(pipeline-report), flagging candidates not contacted for 10 days, as a daily report").

The draft's read-back, "show it", the dashboard and Slack all say it this way; the JSON keeps
the skill name and the params' codes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from assistant.language.data_words import BRIEFING_MARGIN_MINUTES, lead_to_midnight
from assistant.language.words import NOTE_WORDS, ORGANISATION_PIPELINE, SKILL_LABELS
from skills.param_words import SpecsBySkill, duration_in_words, params_in_words


def action_words(
    skill: str,
    params: Mapping[str, Any],
    *,
    label: str | None = None,
    specs: SpecsBySkill | None = None,
    scheduled: bool = False,
) -> str:
    """The action line of a read-back; `label` replaces the skill's own (a briefing's window).
    A choice left at its declared default goes unsaid. `specs`: the skills the caller holds
    (SkillRegistry.specs()), saying how each param reads; a skill not among them reads its
    params by the generic rule. `scheduled`: it runs on a schedule (not on an event)."""
    spec = specs.get(skill) if specs is not None else None
    shown = dict(params)
    if label is None:
        label = SKILL_LABELS.get(skill, skill)
        if skill == "reminder" and "message" in shown:
            # the reminder's text is what it does: said in its own words, before the rest
            label = f"a reminder: “{shown.pop('message')}” (reminder)"
        if skill == "pipeline-report" and shown.get("scope") == "organization":
            # whose pipeline is what it sums up: the words follow the scope
            shown.pop("scope")
            label = ORGANISATION_PIPELINE
        if skill == "candidate-note" and shown.get("kind") in NOTE_WORDS:
            # which note it sends is what it does, default or not
            label = NOTE_WORDS[shown.pop("kind")]
    words = params_in_words(spec, shown)
    lead = shown.get("lead_minutes")
    if skill == "interview-briefing" and scheduled and isinstance(lead, int):
        # on a schedule the window it lists is the lead and the skill's margin
        shown.pop("lead_minutes")
        words = [f"on the interviews {briefing_window_words(lead)}", *params_in_words(spec, shown)]
    return ", ".join([label, *words])


def briefing_window_words(lead: int, runs_at: tuple[int, int] | None = None) -> str:
    """The interviews a briefing on a schedule with `lead_minutes` lists, in words: those
    starting within the lead and its margin of each run (all the skill lists), or, for a
    briefing run at `runs_at` (hour, minute) whose lead ends at a midnight, until then."""
    if runs_at is not None and lead == lead_to_midnight(*runs_at):
        return "from each run until midnight"
    if runs_at is not None and lead == lead_to_midnight(*runs_at) + 1440:
        return "from each run until the end of the next day"
    return f"starting within {duration_in_words(lead + BRIEFING_MARGIN_MINUTES)} of each run"


_YOU = re.compile(r"\b(your|you)\b", re.I)


def for_reader(line: str, owner: str, reader: str | None) -> str:
    """A read-back line, whose "you" is the automation's owner, as someone else reads it:
    "a summary of your pipeline" is "a summary of dana@…'s pipeline" to an admin. Words
    quoted from the request (a reminder's text) stay as written."""
    if reader is None or reader.lower() == owner.lower():
        return line
    parts = re.split(r"(“[^”]*”)", line)
    return "".join(
        part
        if part.startswith("“")
        else _YOU.sub(lambda m: f"{owner}'s" if m.group(1).lower() == "your" else owner, part)
        for part in parts
    )
