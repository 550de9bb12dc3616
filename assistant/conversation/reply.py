"""What the engine answers: a small typed value each door renders its own way (terminal text,
Slack blocks, an MCP tool result, the dashboard). No rendering happens here."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

# question: a clarifying question is pending      draft: a draft awaits "yes"
# confirm: a destructive action awaits "yes"      choose: several automations matched
# done: something changed                         list / info: nothing changed, here it is
# error: refused or not understood; nothing changed
KINDS = ("question", "draft", "confirm", "choose", "done", "list", "info", "error")


@dataclass(frozen=True, slots=True)
class Choice:
    """A button or a suggested answer: `say` is the message that choosing it sends."""

    label: str
    say: str
    style: str | None = None  # primary | danger


@dataclass(slots=True)
class Reply:
    text: str
    kind: str = "info"
    choices: list[Choice] = field(default_factory=list)
    # structured payload: a draft's JSON, a list of automations, a run...
    data: Any = None
    automation_id: int | None = None
    draft_id: int | None = None
    # for the asker's eyes only (a preview of live data): Slack shows it ephemeral
    private: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


YES_NO = [Choice("Activate", "yes", "primary"), Choice("Cancel", "cancel", "danger")]
CANCEL_ONLY = [Choice("Cancel", "cancel", "danger")]


def draft_choices(draft: dict[str, Any] | None) -> list[Choice]:
    """A draft that cannot be activated as it is (its output cannot deliver here, the plan would
    refuse it, the requester may not have it) is offered no Activate button: its read-back says
    what to change first."""
    return YES_NO if (draft or {}).get("can_activate", True) else CANCEL_ONLY


STALE_CHOICE = "That question was already answered or replaced; nothing changed."


def question_of(state: dict[str, Any]) -> str:
    """A short digest of what a conversation's state waits for an answer to (a confirmation,
    a question, a draft, a choice, a change's "7am or 7pm?"): another question, another digest.
    A door's choice buttons carry it, so an old one cannot answer a newer question."""
    waiting = {"pending": state.get("pending"), "asked": state.get("asked")}
    raw = json.dumps(waiting, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:12]
