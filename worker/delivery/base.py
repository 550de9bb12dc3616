"""What every delivery channel shares: the message, the recipient, the channel protocol, and the
deterministic keys that make a send idempotent across retries, rescues and workers."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from skills.base import ReportDocument

DEFAULT_MESSAGE_ID_DOMAIN = "skilltick.local"
# Server replies often echo the refused address ("550 <bob@x>: no such user"); error texts end up
# in run history, which must hold no PII.
_ADDRESS_RE = re.compile(r"<?[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+>?")


@dataclass(frozen=True, slots=True)
class Action:
    """A button a chat channel offers under a message: `id` says what the chat app does when
    it is pressed, `value` what it acts on (a run or automation id)."""

    id: str
    label: str
    value: str
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Message:
    """A rendered output, ready to send. `document` is a report's content for chat layouts;
    `actions` are buttons a chat channel shows under the text (`group` names them as one)."""

    subject: str
    text: str
    html: str | None = None
    document: ReportDocument | None = None
    # chat channels: reply in this thread (a Slack thread_ts) instead of a new post
    thread: str | None = None
    actions: tuple[Action, ...] = ()
    group: str | None = None


class ChatLayout(Protocol):
    """How a chat channel lays out a message (its report document, or its subject, text and
    buttons). The chat app that answers the buttons supplies it; a channel without one posts
    the text alone."""

    def blocks(self, message: Message) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a message goes. The address is PII: it is sent to, never stored in run data."""

    address: str
    name: str = ""


class Channel(Protocol):
    """A way out (email, Slack, ...). `records_deliveries` channels get a delivery row per
    recipient so nothing is sent twice; the others (noop, benchmarks) just send. A channel may
    also declare `in_transaction = True` when a send has no effect outside the database
    transaction that records its run (nothing leaves the process, nothing is written
    elsewhere): a deterministic run delivering only there may be executed before its claim is
    written and recorded by it (worker.tick.quick); one that does not say so is not. A channel
    whose sends use no message id (nothing it sends is seen or deduplicated by one) may declare
    `message_ids = False`: its sends are given an empty one, and none is computed."""

    name: str
    records_deliveries: bool

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        """Send one message to one recipient, or raise DeliveryError (retryable=False for
        permanent refusals, True for outages). The error text must not contain the address."""
        ...


@runtime_checkable
class RecordingChannel(Protocol):
    """A channel that stores its messages in the database (the local outbox): it marks the
    delivery sent in the same transaction as the message it stores."""

    def send_recorded(
        self,
        message: Message,
        recipient: Recipient,
        *,
        message_id: str,
        org_id: int | None,
        delivery_id: int,
        now: datetime,
    ) -> None: ...


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=4096)
def recipient_key(address: str) -> str:
    """A stable, PII-free key for an address (case and surrounding spaces do not matter)."""
    # remembered: the same few addresses (owners, channels) receive run after run
    return _sha256(address.strip().lower())


def takes_message_ids(channel: Channel) -> bool:
    """Whether the channel's sends use their message id (see Channel); a channel that records
    deliveries keeps it in their rows."""
    return channel.records_deliveries or getattr(channel, "message_ids", True) is not False


def message_id_for(
    occurrence_key: str,
    channel: str,
    recipient_key: str,
    domain: str = DEFAULT_MESSAGE_ID_DOMAIN,
) -> str:
    """The RFC 5322 Message-ID of one send: the same on every attempt for the same occurrence
    and recipient, so a resend after an unknown outcome is recognisable as the same message."""
    # a separator that cannot appear in the hex keys keeps ("a|b", "c") distinct from ("a", "b|c")
    digest = _sha256("\x1f".join((occurrence_key, channel, recipient_key)))
    return f"<{digest[:32]}@{domain}>"


def redact_addresses(text: str) -> str:
    """Replace anything that looks like an email address (for error texts kept in history)."""
    return _ADDRESS_RE.sub("<address>", text)
