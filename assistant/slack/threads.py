"""Where a Slack message belongs: a DM is one conversation, in a channel each thread is one;
and what every listener shares (the quick acknowledgement, the actor behind a Slack user)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.tools.toolset import Actor

if TYPE_CHECKING:
    from slack_bolt import Ack


def is_direct(event: dict[str, Any]) -> bool:
    """A message in the DM between the user and the bot."""
    return event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D")


def conversation_key(channel: str, thread_ts: str | None) -> str:
    """A DM is one conversation; in a channel, each thread is one."""
    if channel.startswith("D") or not thread_ts:
        return f"slack:{channel}"
    return f"slack:{channel}:{thread_ts}"


# the Slack user's actor (and time zone) for a request's body
Who = Callable[[dict[str, Any], str], tuple[Actor, str | None]]


def ack(ack: Ack) -> None:
    ack()
