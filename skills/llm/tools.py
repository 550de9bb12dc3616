"""The read-only ATS tools an LLM skill may call, as Anthropic tool definitions (JSON Schema)
with their Python implementations over the run's AtsReader.

Read-only by construction: nothing here writes to the ATS or touches automations, so text inside
candidate data (a headline saying "delete all automations") cannot make the model change
anything. Contact details (email, phone) are left out of every result: a briefing does not need
them, and what the model never sees it cannot repeat.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SDK takes seconds to import; commands that never call Claude skip it
    from anthropic.types import ToolParam

from models.errors import SkilltickError
from skills.base import SkillContext

MAX_ITEMS = 50  # per list result: enough for a briefing, bounded for the context window
MAX_RESULT_CHARS = 20_000

_SCOPE = {
    "type": "string",
    "enum": ["mine", "organization"],
    "description": "'mine': the automation owner's candidates; 'organization': everyone's.",
}


def _schema(
    properties: dict[str, Any] | None = None, required: list[str] | None = None
) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties or {},
        "required": required or [],
        "additionalProperties": False,
    }


def _int(description: str, minimum: int = 1, maximum: int = 1_000_000_000) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "maximum": maximum, "description": description}


TOOL_DEFINITIONS: list[ToolParam] = [
    {
        "name": "stage_counts",
        "description": "Active applications per pipeline stage, in pipeline order.",
        "input_schema": _schema({"scope": _SCOPE}),
    },
    {
        "name": "stage_moves",
        "description": "Stage changes in the last N days, oldest first: candidate, job, from and "
        "to stage, when.",
        "input_schema": _schema(
            {"days": _int("How many days back (1-90).", 1, 90), "scope": _SCOPE}, ["days"]
        ),
    },
    {
        "name": "stale_candidates",
        "description": "Active candidates not contacted for at least N days, longest-waiting "
        "first.",
        "input_schema": _schema(
            {"days": _int("Minimum days since last contact.", 1, 365), "scope": _SCOPE}, ["days"]
        ),
    },
    {
        "name": "candidate",
        "description": "One candidate's profile (no contact details) and their applications.",
        "input_schema": _schema({"candidate_id": _int("The candidate's id.")}, ["candidate_id"]),
    },
    {
        "name": "interview",
        "description": "One interview: candidate, job, stage, kind, times, interviewer, scorecard.",
        "input_schema": _schema({"interview_id": _int("The interview's id.")}, ["interview_id"]),
    },
    {
        "name": "candidate_interviews",
        "description": "Every interview of one candidate, earliest first.",
        "input_schema": _schema({"candidate_id": _int("The candidate's id.")}, ["candidate_id"]),
    },
    {
        "name": "upcoming_interviews",
        "description": "Interviews starting in the next N hours.",
        "input_schema": _schema(
            {"hours": _int("How many hours ahead (1-336).", 1, 336)}, ["hours"]
        ),
    },
    {
        "name": "candidate_offers",
        "description": "One candidate's offers: job, status, start date, expiry.",
        "input_schema": _schema({"candidate_id": _int("The candidate's id.")}, ["candidate_id"]),
    },
    {
        "name": "jobs",
        "description": "The organisation's jobs: title, department, location, status.",
        "input_schema": _schema(),
    },
]
TOOL_NAMES = frozenset(t["name"] for t in TOOL_DEFINITIONS)


class ToolFailure(Exception):
    """A tool call the model got wrong (unknown tool, bad input): told to the model, which may
    try again; never a run failure."""


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            k: _plain(v)
            for k, v in dataclasses.asdict(value).items()
            if k not in ("email", "phone")
        }
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value[:MAX_ITEMS]]
    return value


class AtsTools:
    """Runs the model's tool calls for one run, scoped to its organisation and clock."""

    definitions = TOOL_DEFINITIONS

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx
        self.ats = ctx.ats
        self.calls = 0
        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "stage_counts": lambda a: self.ats.stage_counts(self._owner(a)),
            "stage_moves": lambda a: self.ats.stage_moves_since(
                ctx.now - timedelta(days=self._number(a, "days", 1, 90)),
                self._owner(a),
                until=ctx.now,
            ),
            "stale_candidates": lambda a: self.ats.stale_candidates(
                self._number(a, "days", 1, 365), ctx.now, self._owner(a)
            ),
            "candidate": self._candidate,
            "interview": lambda a: self.ats.interview(self._number(a, "interview_id")),
            "candidate_interviews": lambda a: self.ats.interviews_of(
                self._number(a, "candidate_id")
            ),
            "upcoming_interviews": lambda a: self.ats.interviews_between(
                ctx.now, ctx.now + timedelta(hours=self._number(a, "hours", 1, 336))
            ),
            "candidate_offers": lambda a: self.ats.offers_of(self._number(a, "candidate_id")),
            "jobs": lambda a: self.ats.jobs(),
        }
        assert set(self._handlers) == TOOL_NAMES  # a definition without a handler is a bug

    def call(self, name: str, arguments: Any) -> str:
        """The tool's result as JSON text; ToolFailure for a call the model should fix."""
        self.calls += 1
        handler = self._handlers.get(name)
        if handler is None:
            raise ToolFailure(f"Unknown tool '{name}'. Available: {', '.join(sorted(TOOL_NAMES))}")
        if not isinstance(arguments, dict):
            raise ToolFailure("Tool input must be a JSON object.")
        try:
            result = handler(arguments)
        except SkilltickError as exc:  # NotFound and friends: the model asked for a wrong id
            raise ToolFailure(exc.message) from None
        text = json.dumps(_plain(result), ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_RESULT_CHARS:
            text = text[:MAX_RESULT_CHARS] + " …(truncated)"
        return text

    def _owner(self, arguments: dict[str, Any]) -> int | None:
        scope = arguments.get("scope", "mine")
        if scope not in ("mine", "organization"):
            raise ToolFailure("'scope' must be 'mine' or 'organization'.")
        return self.ctx.owner.id if scope == "mine" else None

    @staticmethod
    def _number(
        arguments: dict[str, Any], key: str, low: int = 1, high: int = 1_000_000_000
    ) -> int:
        value = arguments.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ToolFailure(f"'{key}' must be a whole number from {low} to {high}.")
        return value

    def _candidate(self, arguments: dict[str, Any]) -> dict[str, Any]:
        candidate_id = self._number(arguments, "candidate_id")
        profile = _plain(self.ats.candidate(candidate_id))
        profile["applications"] = _plain(self.ats.applications_of(candidate_id))
        return dict(profile)
