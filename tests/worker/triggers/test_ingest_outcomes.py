"""Receiving a delivery says what became of it, in the trigger's own terms; the HTTP edge
turns each outcome into its status code and body."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.http.webhooks import answer
from bench.kit.factories import make_org
from models.store.events import add_connection, list_events
from tests.worker.triggers.trigger_support import SECRET, generic_event
from worker.triggers.ingest import Outcome, receive

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_each_outcome_of_a_delivery_and_its_http_answer(engine: Engine) -> None:
    org = make_org(engine, NOW)
    key = add_connection(engine, org_id=org.org_id, provider="generic", secret=SECRET, now=NOW).key
    good = generic_event(timestamp=int(NOW.timestamp()))

    def send(body: bytes, headers: dict[str, str], to: str = key) -> tuple[Outcome, int, dict]:
        got = receive(engine, provider="generic", key=to, body=body, headers=headers, now=NOW)
        http = answer(got)
        return got.outcome, http.status_code, json.loads(bytes(http.body))

    unknown = send(good.body, good.headers, to="no-such-key")
    assert unknown[:2] == (Outcome.UNKNOWN_CONNECTION, 404)
    assert unknown[2]["error"]["code"] == "not_found"
    forged = send(good.body.replace(b"Interview", b"Offer"), good.headers)
    assert forged[:2] == (Outcome.INVALID_SIGNATURE, 401)
    assert forged[2]["error"]["code"] == "invalid_signature"
    stored = send(good.body, good.headers)
    assert stored[:2] == (Outcome.STORED, 200)
    assert stored[2]["received"] is True and stored[2]["status"] == "received"
    replay = send(good.body, good.headers)
    assert replay[:2] == (Outcome.STORED, 200) and replay[2]["status"] == "duplicate"
    statuses = [e.status for e in list_events(engine, org.org_id, limit=10)]
    # the forgery leaves a rejected row, the replay a duplicate of the one stored event
    assert len(statuses) == 3 and statuses.count("rejected") == 1
