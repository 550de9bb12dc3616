"""Claude plans a request through tool use over the same tool set: with
ANTHROPIC_API_KEY set, Claude may look at the skills, try the deterministic reading, and
propose the automation; its proposal is validated by the schedule maths and the skill registry
and shown as the same Draft. When the API fails (5xx, overloaded, timeout, connection) or the
proposal does not validate, the deterministic parser answers instead: nothing is lost."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from typing import Any, Protocol

import anthropic

from assistant.language import Draft, understand
from assistant.language.notes import dst_notes
from assistant.tools.base import Actor
from models.clock import parse_instant
from models.errors import SkilltickError
from skills.base import SkillSpec
from skills.registry import SkillRegistry
from worker.schedule.parse import parse_schedule
from worker.triggers.canonical import CANONICAL_TYPES


class PlannerTools(Protocol):
    """The part of the tool set Claude plans with."""

    registry: SkillRegistry

    def understand(
        self,
        actor: Actor,
        text: str,
        tz: str | None = None,
        now: datetime | None = None,
        *,
        via: str | None = None,
        llm: bool = True,
    ) -> Draft: ...

    def list_skills(self) -> list[SkillSpec]: ...


log = logging.getLogger(__name__)
DEFAULT_MODEL = "claude-sonnet-4-5"
MAX_TURNS = 6

TOOLS: list[dict[str, Any]] = [
    {
        "name": "list_skills",
        "description": "Skills an automation can run, with their params.",
        "input_schema": {"type": "object", "properties": {}},
    },
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
        "one of cron (5 fields), rrule (RRULE body) or once (ISO instant) for "
        "trigger_type cron; event_type (+ event_filter) for event; "
        "poll_interval_minutes for poll.",
        "input_schema": {
            "type": "object",
            "properties": {
                "trigger_type": {"type": "string", "enum": ["cron", "event", "poll"]},
                "cron": {"type": "string"},
                "rrule": {"type": "string"},
                "once": {"type": "string"},
                "timezone": {"type": "string"},
                "event_type": {"type": "string", "enum": list(CANONICAL_TYPES)},
                "event_filter": {"type": "object"},
                "poll_interval_minutes": {"type": "integer"},
                "skill": {"type": "string"},
                "params": {"type": "object"},
                "channel": {"type": "string", "enum": ["email", "slack", "webhook", "in_app"]},
                "to": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["trigger_type", "skill", "channel", "to"],
        },
    },
]
SYSTEM = (
    "You turn a recruiter's request into one skilltick automation. Use the tools; finish "
    "by calling propose_automation. If something essential is missing or ambiguous, do "
    "not guess: reply with one short clarifying question instead, as plain text."
)


class ClaudePlanner:
    def __init__(
        self, tools: PlannerTools, client: anthropic.Anthropic, *, model: str = DEFAULT_MODEL
    ) -> None:
        self.tools, self.client, self.model = tools, client, model

    @classmethod
    def from_env(cls, tools: PlannerTools) -> ClaudePlanner | None:
        """A planner when ANTHROPIC_API_KEY is set (ANTHROPIC_BASE_URL is honoured too)."""
        if not os.environ.get("ANTHROPIC_API_KEY"):
            return None
        model = os.environ.get("SKILLTICK_CLAUDE_MODEL", DEFAULT_MODEL)
        return cls(tools, anthropic.Anthropic(timeout=20.0, max_retries=1), model=model)

    def plan(self, actor: Actor, text: str, tz: str, now: datetime) -> tuple[Draft, bool]:
        """(draft, used_llm): Claude's plan, or the deterministic reading when it fails."""
        try:
            draft = self._converse(actor, text, tz, now)
        except (anthropic.APIError, SkilltickError, KeyError, ValueError, TypeError) as exc:
            # API down, overloaded or slow, or a proposal that does not validate
            log.warning(
                "Claude planning failed (%s); using the deterministic parser", type(exc).__name__
            )
            draft = None
        if draft is None:
            return self.tools.understand(actor, text, tz, now, llm=False), False
        return draft, True

    def _converse(self, actor: Actor, text: str, tz: str, now: datetime) -> Draft | None:
        messages: list[dict[str, Any]] = [
            {
                "role": "user",
                "content": (
                    f"Requester's time zone: {tz}. Now: {now.isoformat()}.\nRequest: {text}"
                ),
            }
        ]
        for _ in range(MAX_TURNS):
            reply = self.client.messages.create(
                model=self.model,
                max_tokens=1024,
                system=SYSTEM,
                tools=TOOLS,  # type: ignore[arg-type]
                messages=messages,
            )  # type: ignore[arg-type]
            uses = [b for b in reply.content if b.type == "tool_use"]
            if not uses:
                question = " ".join(b.text for b in reply.content if b.type == "text").strip()
                return _question(text, tz, question) if question else None
            messages.append(
                {"role": "assistant", "content": [b.model_dump() for b in reply.content]}
            )
            results: list[dict[str, Any]] = []
            for use in uses:
                args = dict(use.input) if isinstance(use.input, dict) else {}
                if use.name == "propose_automation":
                    return self._draft(args, text, tz, now)
                results.append(
                    {
                        "type": "tool_result",
                        "tool_use_id": use.id,
                        "content": json.dumps(self._call(actor, use.name, args, tz, now)),
                    }
                )
            messages.append({"role": "user", "content": results})
        return None

    def _call(self, actor: Actor, name: str, args: dict[str, Any], tz: str, now: datetime) -> Any:
        if name == "list_skills":
            return [
                {"name": s.name, "description": s.description, "params": sorted(s.params)}
                for s in self.tools.list_skills()
            ]
        if name == "understand_request":
            return understand(str(args.get("request", "")), tz=tz, now=now).as_json()
        return {"error": f"unknown tool {name}"}

    def _draft(self, args: dict[str, Any], text: str, tz: str, now: datetime) -> Draft | None:
        self.tools.registry.get(str(args["skill"]))  # NotFound: not a skill we have
        draft = Draft(
            request=text,
            tz=str(args.get("timezone") or tz),
            status="ok",
            trigger_type=str(args["trigger_type"]),
            skill=str(args["skill"]),
            params=dict(args.get("params") or {}),
            channel=str(args["channel"]),
            to=[str(t) for t in args["to"]] or ["me"],
        )
        if draft.trigger_type == "event":
            if args.get("event_type") not in CANONICAL_TYPES:
                return None
            draft.event_type = str(args["event_type"])
            draft.event_filter = dict(args.get("event_filter") or {})
        elif draft.trigger_type == "poll":
            draft.poll_interval_minutes = int(args["poll_interval_minutes"])
        else:
            once = parse_instant(args["once"]) if args.get("once") else None
            draft.schedule = parse_schedule(
                cron=args.get("cron"), rrule=args.get("rrule"), once=once, tz=draft.tz
            )
        draft.next_runs = draft.fires(now, 3)
        draft.notes.extend(dst_notes(draft, now))
        draft.write_summary()
        return draft


def _question(text: str, tz: str, question: str) -> Draft:
    draft = Draft(request=text, tz=tz, status="question", question=question)
    draft.write_summary()
    return draft
