"""Send one rendered message to each recipient of an occurrence, at most once per recipient.

For channels that record deliveries: claim (commit a `sending` row) -> send -> mark sent/failed
(the local outbox stores the message and marks it sent in one transaction).
A retry or a rescued run calls this again with the same occurrence key and skips whoever already
got the message. Per-recipient failures become outcomes, never exceptions: the executor decides
the run's status (all failed -> failed, some -> partial).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from models.errors import DeliveryError
from models.store import deliveries
from worker.delivery.base import (
    Channel,
    Message,
    Recipient,
    RecordingChannel,
    message_id_for,
    recipient_key,
    redact_addresses,
    takes_message_ids,
)
from worker.delivery.breaker import Breakers

log = logging.getLogger(__name__)

OutcomeStatus = Literal["sent", "skipped", "failed"]
#: at most this many destinations of one message are sent to at once
PARALLEL_DESTINATIONS = 4


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """One recipient's result; PII-free, so it can go into run rows as is."""

    recipient_key: str
    status: OutcomeStatus
    resent_after_unknown: bool = False
    error: str | None = None
    retryable: bool = False
    skipped_reason: str | None = None  # already_delivered | duplicate_recipient


def deliver(
    engine: Engine,
    channel: Channel,
    message: Message,
    recipients: Sequence[Recipient],
    *,
    org_id: int,
    run_id: int | None,
    occurrence_key: str,
    now: datetime,
) -> list[DeliveryOutcome]:
    """One outcome per recipient, in order. Recipients at different destinations (webhook
    hosts) are sent to in parallel, a few at a time; those at one destination one by one."""
    if len(recipients) == 1:
        # most outputs go to one recipient: no duplicates to skip, no destinations to group
        recipient = recipients[0]
        key = recipient_key(recipient.address)
        return [
            _deliver_to(
                engine,
                channel,
                message,
                recipient,
                key,
                org_id=org_id,
                run_id=run_id,
                occurrence_key=occurrence_key,
                now=now,
            )
        ]
    outcomes: list[DeliveryOutcome | None] = [None] * len(recipients)
    groups: dict[str, list[int]] = {}
    seen: set[str] = set()
    keys = [recipient_key(r.address) for r in recipients]
    for position, recipient in enumerate(recipients):
        key = keys[position]
        if key in seen:
            # "Bob@x" and "bob@x " are one person: one message, and the count still adds up
            outcomes[position] = DeliveryOutcome(
                key, "skipped", skipped_reason="duplicate_recipient"
            )
            continue
        seen.add(key)
        groups.setdefault(destination_of(channel, recipient) or "", []).append(position)

    def send_to(group: list[int]) -> None:
        for position in group:
            outcomes[position] = _deliver_to(
                engine,
                channel,
                message,
                recipients[position],
                keys[position],
                org_id=org_id,
                run_id=run_id,
                occurrence_key=occurrence_key,
                now=now,
            )

    if len(groups) <= 1:
        for group in groups.values():
            send_to(group)
    else:
        with ThreadPoolExecutor(min(PARALLEL_DESTINATIONS, len(groups))) as pool:
            list(pool.map(send_to, groups.values()))
    return [o for o in outcomes if o is not None]


class Sender:
    """deliver() through one channel, what depends on the channel alone decided once: a batch
    sends run after run through the same channel. A send to one recipient of a channel that
    records no deliveries and has no circuit breakers is the channel's send, its error made
    the outcome, as deliver() does it; anything else goes through deliver(). `message_ids`:
    whether the channel's sends use their message id (a send's occurrence key names nothing
    else in a direct send)."""

    __slots__ = ("channel", "direct", "engine", "message_ids")

    def __init__(self, engine: Engine, channel: Channel) -> None:
        self.engine, self.channel = engine, channel
        self.direct = not channel.records_deliveries and getattr(channel, "breakers", None) is None
        self.message_ids = takes_message_ids(channel)

    def __call__(
        self,
        message: Message,
        recipients: Sequence[Recipient],
        *,
        org_id: int,
        run_id: int | None,
        occurrence_key: str,
        now: datetime,
    ) -> list[DeliveryOutcome]:
        if self.direct and len(recipients) == 1:
            return [self.to_one(message, recipients[0], org_id, occurrence_key)]
        return deliver(
            self.engine,
            self.channel,
            message,
            recipients,
            org_id=org_id,
            run_id=run_id,
            occurrence_key=occurrence_key,
            now=now,
        )

    def to_one(
        self, message: Message, recipient: Recipient, org_id: int, occurrence_key: str
    ) -> DeliveryOutcome:
        """The outcome of a send to one recipient straight through the channel (`direct`)."""
        channel = self.channel
        key = recipient_key(recipient.address)
        message_id = message_id_for(occurrence_key, channel.name, key) if self.message_ids else ""
        error = _send_once(channel, message, recipient, message_id, org_id, None)
        return _sent(key) if error is None else _outcome(key, error)


def destination_of(channel: Channel, recipient: Recipient) -> str | None:
    """Where a send to `recipient` goes (a server, a host), for channels that say."""
    destination = getattr(channel, "destination", None)
    return destination(recipient) if callable(destination) else None


def _deliver_to(
    engine: Engine,
    channel: Channel,
    message: Message,
    recipient: Recipient,
    key: str,
    *,
    org_id: int,
    run_id: int | None,
    occurrence_key: str,
    now: datetime,
) -> DeliveryOutcome:
    """One recipient's send, recorded first for channels that record deliveries."""
    if takes_message_ids(channel):
        message_id = message_id_for(occurrence_key, channel.name, key)
    else:
        message_id = ""
    if channel.records_deliveries:
        return _deliver_recorded(
            engine,
            channel,
            message,
            recipient,
            key,
            message_id,
            org_id=org_id,
            run_id=run_id,
            occurrence_key=occurrence_key,
            now=now,
        )
    return _outcome(key, _send(channel, message, recipient, message_id, org_id, now=now))


def _deliver_recorded(
    engine: Engine,
    channel: Channel,
    message: Message,
    recipient: Recipient,
    key: str,
    message_id: str,
    *,
    org_id: int,
    run_id: int | None,
    occurrence_key: str,
    now: datetime,
) -> DeliveryOutcome:
    try:
        decision = deliveries.claim_send(
            engine,
            org_id=org_id,
            run_id=run_id,
            occurrence_key=occurrence_key,
            channel=channel.name,
            recipient_key=key,
            message_id=message_id,
            now=now,
        )
    except SQLAlchemyError as exc:
        # Without the claim a retry could send twice; better to fail this attempt (retryable).
        log.warning("could not claim delivery for occurrence %s: %s", occurrence_key, exc)
        return DeliveryOutcome(
            key,
            "failed",
            error="the delivery could not be recorded (database error)",
            retryable=True,
        )
    if decision.action == "skip_delivered":
        return DeliveryOutcome(key, "skipped", skipped_reason="already_delivered")

    resent = decision.action == "resend_unknown"
    # a channel that stores messages in the database marks the delivery sent in the same
    # transaction: a kill cannot leave a stored message with a `sending` row (sent twice)
    marks = isinstance(channel, RecordingChannel)
    error = _send(
        channel,
        message,
        recipient,
        decision.message_id,
        org_id,
        now=now,
        delivery=(decision.delivery_id, now) if marks else None,
    )
    try:
        if error is None and not marks:
            deliveries.mark_sent(engine, decision.delivery_id, now)
        elif error is not None:
            deliveries.mark_failed(engine, decision.delivery_id, error.message)
    except SQLAlchemyError as exc:
        # Logging never blocks the action: the message went (or did not) whatever
        # the row says. A row left `sending` is resent with the same Message-ID if retried.
        log.warning("could not record delivery %s: %s", decision.delivery_id, exc)
    return _outcome(key, error, resent_after_unknown=resent)


def _send(
    channel: Channel,
    message: Message,
    recipient: Recipient,
    message_id: str,
    org_id: int | None,
    *,
    now: datetime,
    delivery: tuple[int, datetime] | None = None,
) -> DeliveryError | None:
    """The channel's error for this send, made PII-free, or None when it went. A destination
    whose breaker is open fails at once."""
    breakers: Breakers | None = getattr(channel, "breakers", None)
    destination = destination_of(channel, recipient) if breakers is not None else None
    if breakers is not None and destination:
        refused = breakers.check(destination, now)
        if refused is not None:
            return refused
    error = _send_once(channel, message, recipient, message_id, org_id, delivery)
    if breakers is not None and destination:
        breakers.record(destination, error, now)
    return error


def _send_once(
    channel: Channel,
    message: Message,
    recipient: Recipient,
    message_id: str,
    org_id: int | None,
    delivery: tuple[int, datetime] | None,
) -> DeliveryError | None:
    try:
        if delivery is not None and isinstance(channel, RecordingChannel):
            delivery_id, now = delivery
            channel.send_recorded(
                message,
                recipient,
                message_id=message_id,
                org_id=org_id,
                delivery_id=delivery_id,
                now=now,
            )
        else:
            channel.send(message, recipient, message_id=message_id, org_id=org_id)
    except DeliveryError as exc:
        return DeliveryError(_scrub(exc.message, recipient), retryable=exc.retryable)
    except Exception as exc:
        # A channel bug must not stop the other recipients; its text may hold the address, so
        # keep only the type for history (the log has the traceback).
        log.exception("channel %s raised unexpectedly", channel.name)
        return DeliveryError(
            f"unexpected {type(exc).__name__} in the {channel.name} channel", retryable=True
        )
    return None


def _scrub(text: str, recipient: Recipient) -> str:
    # channels are asked not to include the address; this is the backstop before storage. A
    # chat channel's name ("#hiring") is nobody's address, and the fix names it ("invite
    # @skilltick to #hiring"), so it stays
    address = recipient.address.strip()
    if address and not address.startswith("#"):
        text = text.replace(address, "<address>")
    return redact_addresses(text)


def _outcome(
    key: str, error: DeliveryError | None, *, resent_after_unknown: bool = False
) -> DeliveryOutcome:
    if error is None:
        if not resent_after_unknown:
            return _sent(key)
        return DeliveryOutcome(key, "sent", resent_after_unknown=True)
    return DeliveryOutcome(
        key,
        "failed",
        resent_after_unknown=resent_after_unknown,
        error=error.message[: deliveries.ERROR_MAX_CHARS],
        retryable=error.retryable,
    )


@functools.lru_cache(maxsize=4096)
def _sent(key: str) -> DeliveryOutcome:
    # outcomes are immutable and most sends go to the same few recipients: one serves each
    return DeliveryOutcome(key, "sent")
