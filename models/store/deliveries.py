"""Store API for delivery rows and the local outbox (the worker never opens sessions itself).

A delivery row is keyed by (occurrence_key, channel, recipient_key): whatever number of attempts,
rescues or workers handle an occurrence, a recipient gets its message once. The row is committed
as `sending` BEFORE the send, so a crash mid-send leaves evidence: the next attempt resends with
the same Message-ID (receivers de-duplicate on it) and says so (`resent_after_unknown`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeVar

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.engine import read_only, session_scope
from models.tables.deliveries import Delivery, OutboxMessage

_T = TypeVar("_T")

SendAction = Literal["send", "resend_unknown", "skip_delivered"]

ERROR_MAX_CHARS = 500
# An insert that loses a race re-reads the winner's row; one retry suffices, the rest is margin.
_CLAIM_TRIES = 3


@dataclass(frozen=True)
class SendDecision:
    """What the caller must do for one (occurrence, channel, recipient)."""

    action: SendAction
    delivery_id: int
    # the Message-ID stored with the row: a resend reuses it so receivers see one message
    message_id: str


def claim_send(
    engine: Engine,
    *,
    org_id: int,
    run_id: int | None,
    occurrence_key: str,
    channel: str,
    recipient_key: str,
    message_id: str,
    now: datetime,
) -> SendDecision:
    """Record the intent to send and say whether to send. Commits before returning, so the
    `sending` row survives a crash during the send itself."""
    for _ in range(_CLAIM_TRIES):
        try:
            with session_scope(engine) as session:
                row = _locked_row(session, occurrence_key, channel, recipient_key)
                if row is None:
                    row = Delivery(
                        org_id=org_id,
                        run_id=run_id,
                        occurrence_key=occurrence_key,
                        channel=channel,
                        recipient_key=recipient_key,
                        message_id=message_id,
                        status="sending",
                        attempts=1,
                        created_at=now,
                    )
                    session.add(row)
                    session.flush()
                    return _decision("send", row)
                return _decide_existing(row, run_id)
        except IntegrityError:
            # Another process inserted the same key between our read and our insert (PostgreSQL;
            # SQLite's BEGIN IMMEDIATE serialises the whole transaction). Re-read its row.
            continue
    raise RuntimeError(f"could not claim delivery for occurrence {occurrence_key!r}")


def _locked_row(
    session: Session, occurrence_key: str, channel: str, recipient_key: str
) -> Delivery | None:
    # FOR UPDATE on PostgreSQL so two claimers of a `failed` row do not both flip it to `send`;
    # SQLite ignores it (the write lock is already held).
    statement = (
        select(Delivery)
        .where(
            Delivery.occurrence_key == occurrence_key,
            Delivery.channel == channel,
            Delivery.recipient_key == recipient_key,
        )
        .with_for_update()
    )
    return session.exec(statement).first()


def _decide_existing(row: Delivery, run_id: int | None) -> SendDecision:
    if row.status == "sent":
        return _decision("skip_delivered", row)
    if run_id is not None:
        row.run_id = run_id  # the attempt now responsible for it
    row.attempts += 1
    if row.status == "sending":
        # a previous attempt died between claim and mark: the outcome is unknown
        row.resent_after_unknown = True
        return _decision("resend_unknown", row)
    row.status = "sending"
    row.error = None
    return _decision("send", row)


def _decision(action: SendAction, row: Delivery) -> SendDecision:
    assert row.id is not None  # flushed or loaded rows always have one
    return SendDecision(action=action, delivery_id=row.id, message_id=row.message_id)


def mark_sent(engine: Engine, delivery_id: int, now: datetime) -> None:
    with session_scope(engine) as session:
        row = session.get(Delivery, delivery_id)
        if row is None:
            return
        row.status = "sent"
        row.sent_at = now
        row.error = None


def mark_failed(engine: Engine, delivery_id: int, error: str) -> None:
    """Record a failed send; `error` must already be free of PII (it is shown in run history)."""
    with session_scope(engine) as session:
        row = session.get(Delivery, delivery_id)
        if row is None:
            return
        row.status = "failed"
        row.error = error[:ERROR_MAX_CHARS]


def list_deliveries(
    engine: Engine, *, run_id: int | None = None, occurrence_key: str | None = None
) -> list[Delivery]:
    statement = _of(select(Delivery).order_by(col(Delivery.id)), run_id, occurrence_key)
    with session_scope(read_only(engine)) as session:
        return list(session.exec(statement).all())


def delivered_count(
    engine: Engine, *, run_id: int | None = None, occurrence_key: str | None = None
) -> int:
    """How many rows are `sent` (for the run's summary and metrics)."""
    sent = select(func.count()).select_from(Delivery).where(Delivery.status == "sent")
    statement = _of(sent, run_id, occurrence_key)
    with session_scope(read_only(engine)) as session:
        return int(session.exec(statement).one())


def _of(
    statement: SelectOfScalar[_T], run_id: int | None, occurrence_key: str | None
) -> SelectOfScalar[_T]:
    """`statement` kept to the deliveries of run `run_id` and of `occurrence_key`, when given."""
    if run_id is not None:
        statement = statement.where(col(Delivery.run_id) == run_id)
    if occurrence_key is not None:
        statement = statement.where(col(Delivery.occurrence_key) == occurrence_key)
    return statement


def add_outbox_message(
    engine: Engine,
    *,
    org_id: int | None,
    message_id: str,
    to_addr: str,
    subject: str,
    raw: str,
    now: datetime,
    mark_sent: tuple[int, datetime] | None = None,
) -> int:
    """Keep a message locally (no SMTP configured). The column limits are enforced here so an
    over-long subject or address is cut rather than failing the delivery. `mark_sent`
    (delivery id, when) marks that delivery sent in the same transaction."""
    with session_scope(engine) as session:
        if mark_sent is not None:
            delivery = session.get(Delivery, mark_sent[0])
            if delivery is not None:
                delivery.status, delivery.sent_at, delivery.error = "sent", mark_sent[1], None
        row = OutboxMessage(
            org_id=org_id,
            message_id=message_id[:200],
            to_addr=to_addr[:320],
            subject=subject[:300],
            raw=raw,
            created_at=now,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def list_outbox(
    engine: Engine, *, org_id: int | None = None, limit: int = 50
) -> list[OutboxMessage]:
    """Newest first."""
    statement = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)
    if org_id is not None:
        statement = statement.where(OutboxMessage.org_id == org_id)
    with session_scope(read_only(engine)) as session:
        return list(session.exec(statement).all())


def get_outbox_message(
    engine: Engine, outbox_id: int, *, org_id: int | None = None
) -> OutboxMessage | None:
    """One outbox message; with `org_id`, only if it belongs to that organisation."""
    with session_scope(read_only(engine)) as session:
        row = session.get(OutboxMessage, outbox_id)
    if row is None or (org_id is not None and row.org_id != org_id):
        return None
    return row
