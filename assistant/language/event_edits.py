"""Changes to when an event automation fires, said in words: "also when they reach offer",
"not for offer anymore", "only when they move to interview" (the stages a stage change fires
on: an event filter holds one stage or a list of them), "only for engineering roles", "for all
roles" (the jobs it keeps to, read against the ATS's job titles as a new request's are).

An automation has one event: a stage added to an automation on another event is answered with
what can be done instead (a second automation)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.language.clock_words import Text
from assistant.language.draft import event_words
from assistant.language.event_words import read_events
from assistant.language.job_words import read_jobs
from assistant.language.param_edits import stage_in
from assistant.language.stage_words import known_stage
from assistant.language.words import NUMBER_RE, number
from models.errors import InvalidInput

if TYPE_CHECKING:
    from models.tables.automations import Automation

_ADD = re.compile(
    r"^\s*(?:and\s+)?(?:also|plus|include|add)\b|\b(?:too|as\s+well)\s*[.!]?\s*$", re.I
)
_REMOVE = re.compile(
    r"\b(?:not|no\s+longer|never|stop|except|without|drop|remove)\b|\bany\s*more\b", re.I
)
_ONLY = re.compile(r"^\s*(?:only|just)\b", re.I)
# "make it 45 minutes", "an hour before": how long before (or after) each interview
_SPAN = re.compile(
    rf"\b(?P<n>{NUMBER_RE})\s+(?P<unit>minutes?|mins?|hours?|hrs?)\b(?:\s+(?P<side>before|after))?",
    re.I,
)
# "when they reach offer", "gets to interview": a stage reached, beside "moves to" (read by
# the new-request reader)
_REACHED = re.compile(
    r"\b(?:reach(?:es|ed)?|enters?|entered|hits?|gets?\s+to|goes\s+to|lands?\s+in)\s+(?:the\s+)?"
    r"(?P<stage>[a-z]+(?:\s+stage)?)",
    re.I,
)


def event_changes(
    auto: Automation, request: str, job_titles: Sequence[str]
) -> dict[str, Any] | None:
    """The event filter `request` makes of `auto`'s ({"event_filter": ...}); None when it
    speaks of neither its stages nor its jobs."""
    if auto.trigger_type != "event":
        return None
    filters = dict(auto.event_filter or {})
    if (
        filters.get("relative_to") == "interview.starts_at"
        and (offset := _offset_said(request, int(filters.get("offset_minutes") or 0))) is not None
    ):
        return _changed(auto, {**filters, "offset_minutes": offset})
    if (jobs := read_jobs(request, job_titles)) is not None:
        if jobs.question:
            raise InvalidInput(jobs.question)
        if jobs.titles:
            filters["job"] = jobs.titles[0] if len(jobs.titles) == 1 else list(jobs.titles)
        else:
            filters.pop("job", None)  # every job
        return _changed(auto, filters)
    stage = stage_said(request)
    if stage is None:
        return None
    if auto.event_type != "candidate.stage_changed":
        said = event_words(auto.event_type or "", filters)
        raise InvalidInput(
            f"It runs {said[0].lower()}{said[1:]}; an automation has one event. For {stage}, "
            f"make a second one: “when a candidate moves to {stage}, …”."
        )
    stages = _stages(filters.get("to_stage"))
    if _REMOVE.search(request):
        kept = [s for s in stages if s.casefold() != stage.casefold()]
        if kept == stages:
            raise InvalidInput(f"It does not run for {stage}; it runs for {_listed(stages)}.")
        if not kept:
            raise InvalidInput(
                f"{stage} is the only stage it runs for: name the stage it should run for "
                "instead, or say “delete it”."
            )
        stages = kept
    elif _ADD.search(request):
        if not stages:
            raise InvalidInput(f"It runs on every stage change already, {stage} included.")
        stages = list(dict.fromkeys([*stages, stage]))
    else:
        stages = [stage]  # "only when they reach offer", "make it offer"
    filters["to_stage"] = stages[0] if len(stages) == 1 else stages
    return _changed(auto, filters)


def _changed(auto: Automation, filters: dict[str, Any]) -> dict[str, Any]:
    if filters == (auto.event_filter or {}):
        raise InvalidInput("It does that already; nothing changed.")
    return {"event_filter": filters}


def _offset_said(request: str, offset: int) -> int | None:
    """How long before or after each interview starts a change says ("45 minutes before each
    interview", as a new request says it; "make it an hour", its side kept), in minutes."""
    read = read_events(Text(request))
    if read.relative:
        return int(read.filters["offset_minutes"])
    m = _SPAN.search(request)
    if m is None:
        return None
    amount = number(m.group("n"))
    if amount is None or amount <= 0:
        raise InvalidInput(f"How long exactly? “{m.group(0).strip()}” is too vague.")
    minutes = amount * (60 if m.group("unit").startswith("h") else 1)
    before = m.group("side") == "before" or (m.group("side") is None and offset < 0)
    return -minutes if before else minutes


def stage_said(request: str) -> str | None:
    """The stage a change to an event names: as a new request says it ("moves to Offer"),
    "reaches offer", or one of the usual stages by name ("also offer")."""
    read = read_events(Text(request))
    if read.event_type == "candidate.stage_changed" and (stage := read.filters.get("to_stage")):
        return str(stage)
    if m := _REACHED.search(request):
        return known_stage(m.group("stage"))
    if _ADD.search(request) or _REMOVE.search(request) or _ONLY.search(request):
        return stage_in(request.lower())
    return None


def _stages(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _listed(stages: list[str]) -> str:
    return (
        " and ".join(stages) if len(stages) < 3 else ", ".join(stages[:-1]) + f" and {stages[-1]}"
    )
