"""Where the bot's answers go. In a conversation (a DM, a mention, a thread the bot started) the
answer is a message in the thread and refusals or errors are ephemeral, seen by the asker only;
for the slash command everything goes back through its `response_url`, ephemeral, so it works
in channels the bot is not a member of and nobody else sees it.

While the answer takes longer than a moment (Claude thinking), an interim "Working on it…" is
shown and the answer then replaces it in place (chat.update, or response_url's
replace_original).

Every text goes out escaped (assistant.slack.mrkdwn): a name holding "<!channel>" is shown, never
pings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from assistant.slack.mrkdwn import escape

if TYPE_CHECKING:
    from slack_sdk import WebClient

WORKING = "Working on it…"
T = TypeVar("T")
Blocks = list[dict[str, Any]] | None


class Reply(Protocol):
    def interim(self, text: str) -> None: ...

    def final(
        self, text: str, blocks: Blocks = None, *, metadata: dict[str, Any] | None = None
    ) -> str | None:
        """Show the answer (in place of the interim one); its message ts when known."""
        ...

    def private(self, text: str) -> None:
        """Show a refusal or an error to the asker only."""
        ...


class ThreadReply:
    """Answers in a channel or DM thread."""

    def __init__(
        self, client: WebClient, *, channel: str, thread_ts: str | None, user: str
    ) -> None:
        self.client, self.channel, self.thread_ts, self.user = client, channel, thread_ts, user
        self.interim_ts: str | None = None

    def interim(self, text: str) -> None:
        posted = self.client.chat_postMessage(
            channel=self.channel, thread_ts=self.thread_ts, text=escape(text)
        )
        self.interim_ts = str(posted.get("ts") or "") or None

    def final(
        self, text: str, blocks: Blocks = None, *, metadata: dict[str, Any] | None = None
    ) -> str | None:
        extra: dict[str, Any] = {"blocks": blocks} if blocks else {}
        if metadata:
            extra["metadata"] = metadata
        if self.interim_ts:
            self.client.chat_update(
                channel=self.channel, ts=self.interim_ts, text=escape(text), **extra
            )
            return self.interim_ts
        posted = self.client.chat_postMessage(
            channel=self.channel, thread_ts=self.thread_ts, text=escape(text), **extra
        )
        return str(posted.get("ts") or "") or None

    def private(self, text: str) -> None:
        if self.interim_ts:  # the interim message would otherwise promise an answer forever
            self.client.chat_delete(channel=self.channel, ts=self.interim_ts)
            self.interim_ts = None
        self.client.chat_postEphemeral(
            channel=self.channel, user=self.user, thread_ts=self.thread_ts, text=escape(text)
        )


class CommandReply:
    """Answers to a slash command or a click on an ephemeral message, through `respond`
    (its response_url): ephemeral, replacing the interim message once there is one."""

    def __init__(self, respond: Callable[..., Any], *, replace: bool = False) -> None:
        self.respond, self.replace = respond, replace

    def interim(self, text: str) -> None:
        self.respond(text=escape(text), response_type="ephemeral", replace_original=self.replace)
        self.replace = True

    def final(
        self, text: str, blocks: Blocks = None, *, metadata: dict[str, Any] | None = None
    ) -> str | None:
        extra: dict[str, Any] = {"blocks": blocks} if blocks else {}
        self.respond(
            text=escape(text), response_type="ephemeral", replace_original=self.replace, **extra
        )
        return None

    def private(self, text: str) -> None:
        self.final(text)


def with_interim(reply: Reply, work: Callable[[], T], *, after: float) -> T:
    """`work()`, showing `WORKING` through `reply` if it takes longer than `after` seconds;
    the caller's final answer then replaces it."""
    lock = threading.Lock()
    done = False

    def show() -> None:
        with lock:
            if not done:
                reply.interim(WORKING)

    timer = threading.Timer(after, show)
    timer.daemon = True
    timer.start()
    try:
        return work()
    finally:
        with lock:
            done = True
        timer.cancel()
