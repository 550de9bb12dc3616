"""Receiving one webhook delivery: find the connection, verify the provider's signature,
normalise, and write the event to the inbox, in that order, before anything is acknowledged.
Nothing here runs a skill (the worker processes the inbox) or speaks HTTP: `receive` returns an
outcome and the HTTP edge answers it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.engine import Engine

from models.settings import TriggerSettings
from models.store.events import connection_by_key, ingest, record_rejected
from models.tables.events import AtsConnection
from worker.triggers.normalise import normalise
from worker.triggers.signatures import VERIFIERS, MalformedBody, SignatureInvalid
from worker.triggers.stage_names import named_stages

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What became of one delivery; the HTTP edge decides how to answer each."""

    STORED = "stored"  # in the inbox (a replay is stored as a duplicate)
    UNKNOWN_CONNECTION = "not_found"
    MALFORMED_BODY = "malformed_body"
    INVALID_SIGNATURE = "invalid_signature"


@dataclass(frozen=True, slots=True)
class Receipt:
    outcome: Outcome
    message: str = ""  # why a delivery was refused
    event_id: int | None = None
    # received (the worker processes it), duplicate (a replay) or unmatched (no event type)
    status: str | None = None
    event_type: str | None = None

    @property
    def new_event(self) -> bool:
        """A received event the worker should process now."""
        return self.status == "received"


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


#: how long a connection read for one delivery serves the next ones (a connection disabled or
#: changed by another process is seen within this time)
CONNECTION_CACHE_SECONDS = 5.0


class ConnectionCache:
    """Connections by webhook key, each kept for CONNECTION_CACHE_SECONDS: a burst of
    deliveries to one connection reads its row once, not once per delivery. Unknown keys are
    not kept (a connection added a moment ago is found at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[
            Engine, dict[str, tuple[float, AtsConnection]]
        ] = weakref.WeakKeyDictionary()

    def get(self, engine: Engine, key: str) -> AtsConnection | None:
        clock = time.monotonic()
        with self._lock:
            kept = self._by_engine.get(engine, {}).get(key)
        if kept is not None and clock - kept[0] < CONNECTION_CACHE_SECONDS:
            return kept[1]
        connection = connection_by_key(engine, key)
        if connection is not None:
            with self._lock:
                self._by_engine.setdefault(engine, {})[key] = (clock, connection)
        return connection

    def forget(self, engine: Engine) -> None:
        """Drop what is kept for this engine (after changing one of its connections)."""
        with self._lock:
            self._by_engine.pop(engine, None)


connections = ConnectionCache()


def receive(
    engine: Engine,
    *,
    provider: str,
    key: str,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime,
) -> Receipt:
    """Refused: an unknown connection, a malformed body, a bad signature (which leaves a
    rejected row); else stored (a replay is stored as a duplicate)."""
    verify = VERIFIERS.get(provider)
    connection = connections.get(engine, key) if verify else None
    if (
        verify is None
        or connection is None
        or connection.provider != provider
        or not connection.enabled
    ):
        return Receipt(
            Outcome.UNKNOWN_CONNECTION,
            "No such webhook connection. Check the URL that `skilltick connections add` printed.",
        )
    digest = hashlib.sha256(body).hexdigest()
    try:
        verified = verify(body, headers, connection.secret, now)
    except MalformedBody as exc:
        return Receipt(Outcome.MALFORMED_BODY, str(exc))
    except SignatureInvalid as exc:
        record_rejected(engine, connection=connection, error=str(exc), body_sha256=digest, now=now)
        # the connection id is not secret; the secret and the body are never logged
        log.info("rejected %s webhook on connection %s: %s", provider, connection.id, exc)
        return Receipt(Outcome.INVALID_SIGNATURE, str(exc))
    event = named_stages(engine, connection.org_id, provider, normalise(provider, verified.payload))
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
        Outcome.STORED, event_id=stored.event_id, status=status, event_type=event.event_type
    )
