"""Where a Slack message belongs: a DM is one conversation, in a channel each thread is one;
and what every listener shares (the quick acknowledgement, the actor behind a Slack user)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


class TurnOrder:
    """A channel's messages answered one at a time, in the order Slack delivered them: two
    sent in a breath ("send me a summary of my pipeline", "every monday at 9am") would
    otherwise be read at once, the second without the first's question. Each is registered
    when acknowledged (in delivery order) and waits for those before it, `patience` seconds
    at most (a turn that never ends holds no one up for long)."""

    def __init__(self, patience: float = 30.0) -> None:
        self.patience = patience
        self._changed = threading.Condition()
        self._waiting: dict[str, deque[str]] = {}

    def ack(self, ack: Ack, body: dict[str, Any]) -> None:
        """Bolt's acknowledgement of a message event, which takes its place in line."""
        channel, ts = self._place(body)
        with self._changed:
            self._waiting.setdefault(channel, deque()).append(ts)
        ack()

    @contextmanager
    def turn(self, body: dict[str, Any]) -> Iterator[None]:
        """Wait for the messages of the channel delivered before this one, then answer it."""
        channel, ts = self._place(body)
        with self._changed:
            line = self._waiting.get(channel, deque())
            self._changed.wait_for(lambda: ts not in line or line[0] == ts, self.patience)
        try:
            yield
        finally:
            with self._changed:
                if ts in line:
                    line.remove(ts)
                if not line and self._waiting.get(channel) is line:
                    del self._waiting[channel]
                self._changed.notify_all()

    @staticmethod
    def _place(body: dict[str, Any]) -> tuple[str, str]:
        event = body.get("event") or {}
        return str(event.get("channel") or ""), str(event.get("ts") or event.get("event_ts"))
