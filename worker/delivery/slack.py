"""Slack delivery: chat.postMessage, to a channel or as a direct message.

A recipient is one of:
- a channel: "#hiring" (by name) or a channel id ("C0123ABCD", "G...", "D...");
- a person: a Slack user id ("U0123ABCD", "W...") or an email address (users.lookupByEmail),
  reached by a direct message (conversations.open, then chat.postMessage to the DM channel).

Rate limits: a 429 answer carries Retry-After; a short wait (at most 5 s) is honoured once in
place, a longer one becomes a retryable DeliveryError so the run retries with backoff instead of
holding the worker. Slack's own refusals (invalid_auth, channel_not_found, ...) are permanent;
5xx answers and network failures are retryable.

The Slack SDK is imported when a channel is built or calls Slack, not with this module, which
every command line start loads.
"""

from __future__ import annotations

import re
import time
import urllib.error
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from models.addresses import is_email_address
from models.errors import DeliveryError
from models.settings_integrations import SlackSettings
from worker.delivery.base import ChatLayout, Message, Recipient
from worker.delivery.breaker import Breakers
from worker.delivery.slack_text import escape

if TYPE_CHECKING:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

# matched whole (fullmatch): "$" alone would also take a value ending in a line break
CHANNEL_NAME = re.compile(r"#[a-z0-9][a-z0-9_\-]{0,79}")
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{6,}")
USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")
MAX_INLINE_RETRY_AFTER = 5.0  # seconds; longer waits go back to the run's retry schedule
# Block Kit limits: 3000 characters per section text, 50 blocks per message
SECTION_CHARS = 3000
MAX_BLOCKS = 50
# Slack error codes worth another attempt later; any other `ok: false` is a permanent refusal
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "internal_error",
        "fatal_error",
        "request_timeout",
        "service_unavailable",
        "team_added_to_org",
    }
)


def is_slack_address(entry: str) -> bool:
    """True for what a slack automation's `to` list may name (see the module docstring)."""
    return bool(
        CHANNEL_NAME.fullmatch(entry)
        or CHANNEL_ID.fullmatch(entry)
        or USER_ID.fullmatch(entry)
        or is_email_address(entry)
    )


class PlainLayout:
    """The layout without a chat app: the subject and text in sections, no buttons (nothing
    here would answer them)."""

    def blocks(self, message: Message) -> list[dict[str, Any]]:
        text = f"{message.subject}\n\n{message.text}".strip()
        return text_sections(escape(text))[:MAX_BLOCKS]


def text_sections(text: str) -> list[dict[str, Any]]:
    """Block Kit sections of `text`, cut at paragraph breaks to Slack's size limit."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
        for chunk in _chunks(text.strip(), SECTION_CHARS)
    ]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(text: str, limit: int) -> list[str]:
    """Split on paragraph breaks where possible, so a section never cuts a line in half."""
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(paragraph) > limit:
            chunks.append(paragraph[:limit])
            paragraph = paragraph[limit:]
        current = paragraph
    if current.strip():
        chunks.append(current)
    return chunks


NOT_SET_UP = (
    "Slack is not configured for this organisation: connect a Slack workspace on the "
    "dashboard's Admin page, or set SKILLTICK_SLACK_BOT_TOKEN."
)


class SlackChannel:
    """Posts through the Slack Web API with a bot token: the organisation's own, from the
    workspace it installed the app in (`token_for_org`), else the server's. A message's own
    blocks are posted as they are; the others are laid out by `layout` (the Slack app's, which
    answers the buttons; without it, plain text)."""

    name: str = "slack"
    records_deliveries: bool = True

    def __init__(
        self,
        config: SlackSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        token_for_org: Callable[[int], str | None] | None = None,
        layout: ChatLayout | None = None,
    ) -> None:
        if not config.bot_token and token_for_org is None:
            raise DeliveryError(NOT_SET_UP, retryable=False)
        self.config = config
        self.token_for_org = token_for_org
        self.layout: ChatLayout = layout or PlainLayout()
        self.clients: dict[str, WebClient] = {}
        self.client = self._client(config.bot_token or "")
        # waits for Retry-After go through here (tests record them instead of waiting)
        self.sleep = sleep
        self.breakers = Breakers()

    def destination(self, recipient: Recipient) -> str:
        return "Slack"

    def _client(self, token: str) -> WebClient:
        client = self.clients.get(token)
        if client is None:
            from slack_sdk import WebClient

            client = self.clients[token] = WebClient(
                token=token or None,
                base_url=self.config.api_url,
                timeout=int(max(1, self.config.timeout_seconds)),
            )
        return client

    def client_for(self, org_id: int | None) -> WebClient:
        """The client with the organisation's workspace token, else the server's."""
        token = self.token_for_org(org_id) if self.token_for_org and org_id else None
        token = token or self.config.bot_token
        if not token:
            raise DeliveryError(NOT_SET_UP, retryable=False)
        return self._client(token)

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        target = recipient.address.strip()
        if not is_slack_address(target):
            raise DeliveryError("not a Slack channel, user id or email address", retryable=False)
        client = self.client_for(org_id)
        channel = self._channel_for(client, target)
        text = f"{message.subject}\n\n{message.text}".strip()
        self._call(
            lambda: client.chat_postMessage(
                channel=channel,
                text=clip(escape(text), 39000),
                blocks=self.blocks_for(message),
                thread_ts=message.thread,
                unfurl_links=False,
                unfurl_media=False,
                # lets a reader (or a support engineer) match a post to its delivery row
                metadata={
                    "event_type": "skilltick_delivery",
                    "event_payload": {"message_id": message_id},
                },
            ),
            "chat.postMessage",
            # every post is a check of the bot's access to the channel: a removed bot, an
            # archived or deleted channel is said with the channel's name and the fix
            channel=target,
        )

    def blocks_for(self, message: Message) -> list[dict[str, Any]]:
        return self.layout.blocks(message)[:MAX_BLOCKS]

    def _channel_for(self, client: WebClient, target: str) -> str:
        """Where to post: channels as given; people through their direct-message channel."""
        if target.startswith("#") or CHANNEL_ID.fullmatch(target):
            return target
        user_id = target
        if is_email_address(target):
            found = self._call(
                lambda: client.users_lookupByEmail(email=target), "users.lookupByEmail"
            )
            user_id = str(found["user"]["id"])
        opened = self._call(lambda: client.conversations_open(users=user_id), "conversations.open")
        return str(opened["channel"]["id"])

    def _call(self, call: Callable[[], Any], method: str, *, channel: str | None = None) -> Any:
        """One Web API call; a short Retry-After is waited out once, then tried again.
        `channel`: where it posts, named in a refusal's words."""
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            return call()
        except SlackApiError as exc:
            wait = _retry_after(exc)
            if wait is None or wait > MAX_INLINE_RETRY_AFTER:
                raise _error(exc, method, channel) from exc
            self.sleep(wait)
        except (SlackClientError, urllib.error.URLError, OSError) as exc:
            raise _network_error(exc, method) from exc
        try:
            return call()
        except SlackApiError as exc:
            raise _error(exc, method, channel) from exc
        except (SlackClientError, urllib.error.URLError, OSError) as exc:
            raise _network_error(exc, method) from exc


# refusals the owner can fix, in words (the failure notice, the run's error and "why did it
# fail?" quote them), `{where}` being the channel
HOW_TO_FIX = {
    "not_in_channel": "skilltick is not in {where} (removed from it, or never invited): "
    "invite @skilltick to {where} (/invite @skilltick there), or say which channel to post "
    "in instead",
    "is_archived": "{where} was archived: unarchive it, or say which channel to post in "
    "instead (“post it in #recruiting”)",
    "channel_not_found": "skilltick cannot see {where}: check its name; for a private "
    "channel, invite @skilltick to {where} first (/invite @skilltick there)",
}


def _retry_after(exc: SlackApiError) -> float | None:
    """Seconds Slack asked us to wait, for a 429 answer; None otherwise."""
    if exc.response.status_code != 429:
        return None
    value = (exc.response.headers or {}).get("Retry-After") or (exc.response.headers or {}).get(
        "retry-after"
    )
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0


def _where(channel: str | None) -> str:
    if not channel:
        return "that Slack channel"
    return channel if channel.startswith("#") else f"the Slack channel {channel}"


def _error(exc: SlackApiError, method: str, channel: str | None = None) -> DeliveryError:
    status = exc.response.status_code
    code = ""
    if isinstance(exc.response.data, dict):
        code = str(exc.response.data.get("error") or "")
    if status == 429:
        wait = _retry_after(exc)
        return DeliveryError(f"Slack rate-limited {method}; retry after {wait:g} s", retryable=True)
    if status >= 500:
        return DeliveryError(f"Slack answered {status} to {method}", retryable=True)
    if code in HOW_TO_FIX:
        fix = HOW_TO_FIX[code].format(where=_where(channel))
        return DeliveryError(f"{fix} (Slack: {code}).", retryable=False)
    return DeliveryError(
        f"Slack refused {method}: {code or f'HTTP {status}'}", retryable=code in TRANSIENT_ERRORS
    )


def _network_error(exc: BaseException, method: str) -> DeliveryError:
    return DeliveryError(
        f"Slack could not be reached for {method} ({type(exc).__name__})", retryable=True
    )
