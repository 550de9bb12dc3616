"""One turn of a conversation: who speaks, in which conversation, and what the door adds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor


@dataclass(slots=True)
class Turn:
    """Who speaks, where, and what a created automation should remember of the place."""

    actor: Actor
    key: str
    tz: str | None = None
    via: str | None = None  # the door's default output channel ("slack" in Slack)
    origin: dict[str, Any] = field(default_factory=dict)
