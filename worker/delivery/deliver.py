"""Send one rendered message to each recipient of an occurrence, at most once per recipient.

For channels that record deliveries: claim (commit a `sending` row) -> send -> mark sent/failed.
A retry or a rescued run calls this again with the same occurrence key and skips whoever already
got the message. Per-recipient failures become outcomes, never exceptions: the executor decides
the run's status (all failed -> failed, some -> partial).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
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
    message_id_for,
    recipient_key,
    redact_addresses,
)

log = logging.getLogger(__name__)

OutcomeStatus = Literal["sent", "skipped", "failed"]


@dataclass(frozen=True)
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
    """One outcome per recipient, in order."""
    outcomes: list[DeliveryOutcome] = []
    seen: set[str] = set()
    for recipient in recipients:
        key = recipient_key(recipient.address)
        if key in seen:
            # "Bob@x" and "bob@x " are one person: one message, and the count still adds up
            outcomes.append(DeliveryOutcome(key, "skipped", skipped_reason="duplicate_recipient"))
            continue
        seen.add(key)
        message_id = message_id_for(occurrence_key, channel.name, key)
        if channel.records_deliveries:
            outcome = _deliver_recorded(
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
        else:
            error = _send(channel, message, recipient, message_id, org_id)
            outcome = _outcome(key, error)
        outcomes.append(outcome)
    return outcomes


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
    error = _send(channel, message, recipient, decision.message_id, org_id)
    try:
        if error is None:
            deliveries.mark_sent(engine, decision.delivery_id, now)
        else:
            deliveries.mark_failed(engine, decision.delivery_id, error.message)
    except SQLAlchemyError as exc:
        # Logging never blocks the action: the message went (or did not) whatever
        # the row says. A row left `sending` is resent with the same Message-ID if retried.
        log.warning("could not record delivery %s: %s", decision.delivery_id, exc)
    return _outcome(key, error, resent_after_unknown=resent)


def _send(
    channel: Channel, message: Message, recipient: Recipient, message_id: str, org_id: int | None
) -> DeliveryError | None:
    """The channel's error for this send, made PII-free, or None when it went."""
    try:
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
    # channels are asked not to include the address; this is the backstop before storage
    address = recipient.address.strip()
    if address:
        text = text.replace(address, "<address>")
    return redact_addresses(text)


def _outcome(
    key: str, error: DeliveryError | None, *, resent_after_unknown: bool = False
) -> DeliveryOutcome:
    if error is None:
        return DeliveryOutcome(key, "sent", resent_after_unknown=resent_after_unknown)
    return DeliveryOutcome(
        key,
        "failed",
        resent_after_unknown=resent_after_unknown,
        error=error.message[: deliveries.ERROR_MAX_CHARS],
        retryable=error.retryable,
    )
