"""Receiving one webhook delivery: find the connection, verify the provider's signature,
normalise, and write the event to the inbox, in that order, before anything is acknowledged.
Nothing here runs a skill: the worker processes the inbox.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.settings import TriggerSettings
from models.store.events import connection_by_key, ingest, record_rejected
from worker.triggers.normalise import normalise
from worker.triggers.signatures import VERIFIERS, MalformedBody, SignatureInvalid

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Receipt:
    status_code: int
    body: dict[str, Any]
    event_id: int | None = None
    new_event: bool = False  # a received event the worker should process now


def _error(status: int, code: str, message: str) -> Receipt:
    return Receipt(status, {"error": {"code": code, "message": message}})


def webhook_url(settings: TriggerSettings, provider: str, key: str) -> str:
    """The address a provider posts a connection's events to."""
    return f"{settings.public_url.rstrip('/')}/webhooks/ats/{provider}/{key}"


def dedupe_key(provider: str, signed_id: str | None, body_sha256: str) -> str:
    """What makes a delivery the same delivery: only what its signature covers."""
    if signed_id is None:
        return f"sha256:{body_sha256}"
    key = f"{provider}:{signed_id}"
    # keys are stored up to 200 characters: a longer signed id is kept whole as its hash
    return (
        key if len(key) <= 200 else f"{provider}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    )


def receive(
    engine: Engine,
    *,
    provider: str,
    key: str,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime,
) -> Receipt:
    """404 unknown connection; 401 (and a rejected row) bad signature; 400 malformed JSON;
    200 stored (a replay is stored as a duplicate and acknowledged)."""
    verify = VERIFIERS.get(provider)
    connection = connection_by_key(engine, key) if verify else None
    if (
        verify is None
        or connection is None
        or connection.provider != provider
        or not connection.enabled
    ):
        return _error(
            404,
            "not_found",
            "No such webhook connection. Check the URL that `skilltick connections add` printed.",
        )
    digest = hashlib.sha256(body).hexdigest()
    try:
        verified = verify(body, headers, connection.secret, now)
    except MalformedBody as exc:
        return _error(400, "malformed_body", str(exc))
    except SignatureInvalid as exc:
        record_rejected(engine, connection=connection, error=str(exc), body_sha256=digest, now=now)
        # the connection id is not secret; the secret and the body are never logged
        log.info("rejected %s webhook on connection %s: %s", provider, connection.id, exc)
        return _error(401, "invalid_signature", str(exc))
    event = normalise(provider, verified.payload)
    stored = ingest(
        engine,
        connection=connection,
        provider_type=event.provider_type,
        event_type=event.event_type,
        data=event.data,
        dedupe_key=dedupe_key(provider, verified.signed_id, digest),
        raw_body=body.decode("utf-8", errors="replace"),
        body_sha256=digest,
        now=now,
    )
    status = "duplicate" if stored.duplicate_of else "received" if event.event_type else "unmatched"
    return Receipt(
        200,
        {
            "received": True,
            "event_id": stored.event_id,
            "status": status,
            "event_type": event.event_type,
        },
        event_id=stored.event_id,
        new_event=status == "received",
    )
