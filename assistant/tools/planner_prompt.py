"""What the Claude planner sends every time: the system prompt with the skill catalogue, and the
tool definitions. Both are the same bytes from one request to the next (skills in name order),
so the API caches them: the system block carries `cache_control`, and so does the last tool
(which caches every tool definition before it)."""

from __future__ import annotations

import json
from typing import Any

from skills.registry import SkillRegistry
from worker.triggers.canonical import CANONICAL_TYPES

EVENTS = tuple(CANONICAL_TYPES)
CACHED = {"type": "ephemeral"}

TOOLS: list[dict[str, Any]] = [
    {
        "name": "understand_request",
        "description": "The deterministic reading of a request (trigger, schedule, skill, "
        "params, output), or the clarifying question it would ask.",
        "input_schema": {
            "type": "object",
            "properties": {"request": {"type": "string"}},
            "required": ["request"],
        },
    },
    {
        "name": "propose_automation",
        "description": "Propose the automation to show the user for confirmation. Give exactly "
        "one of cron (5 fields), rrule (RRULE body) or once (ISO instant) for trigger_type "
        "cron; event_type (+ event_filter) for event; poll_interval_minutes for poll. params "
        "must be ones the skill declares. If the proposal fails a check you get the reason: "
        "correct it once, or ask the user one short question as plain text.",
        "input_schema": {
            "type": "object",
            "properties": {
                "trigger_type": {"type": "string", "enum": ["cron", "event", "poll"]},
                "cron": {"type": "string"},
                "rrule": {"type": "string"},
                "once": {"type": "string"},
                "timezone": {"type": "string"},
                "event_type": {"type": "string", "enum": list(EVENTS)},
                "event_filter": {"type": "object"},
                "poll_interval_minutes": {"type": "integer"},
                "skill": {"type": "string"},
                "params": {"type": "object"},
                "channel": {"type": "string", "enum": ["email", "slack", "webhook", "in_app"]},
                "to": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["trigger_type", "skill", "channel", "to"],
        },
        "cache_control": CACHED,
    },
]

INSTRUCTIONS = (
    "You turn a recruiter's request into one skilltick automation. Pick a skill from the "
    "catalogue below and only the params it declares; finish by calling propose_automation. "
    "Deliver where the request came from unless it names another channel ('me' is the "
    "requester). If something essential is missing or ambiguous, do not guess: reply with one "
    "short clarifying question instead, as plain text."
)

_prompts: dict[int, tuple[SkillRegistry, str]] = {}


def catalogue(registry: SkillRegistry) -> str:
    """One line per skill, by name: what it does, its triggers, default output and params."""
    lines = []
    for spec in sorted(registry.list(), key=lambda s: s.name):
        params = {
            name: {
                k: v
                for k, v in {
                    "type": p.type,
                    "default": p.default,
                    "choices": list(p.choices) or None,
                    "required": p.required or None,
                    "about": p.description or None,
                }.items()
                if v is not None
            }
            for name, p in sorted(spec.params.items())
        }
        lines.append(
            f"- {spec.name}: {spec.description} Triggers: {', '.join(spec.triggers)}. "
            f"Default output: {spec.default_output}. Params: "
            f"{json.dumps(params, sort_keys=True, default=str)}"
        )
    return "\n".join(lines)


def system_prompt(registry: SkillRegistry) -> str:
    """The instructions and the catalogue (built once per registry)."""
    known = _prompts.get(id(registry))
    if known is None or known[0] is not registry:
        known = (registry, f"{INSTRUCTIONS}\n\nSkills:\n{catalogue(registry)}")
        _prompts[id(registry)] = known
    return known[1]
