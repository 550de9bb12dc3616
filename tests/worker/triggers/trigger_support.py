"""Test support for triggers: the app served by a real uvicorn on 127.0.0.1 (port 0) in a
thread, and deliveries in each provider's documented shape, signed as the provider signs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import Engine

from assistant.app import AppContext, build_context
from assistant.http.app import create_app
from bench.kit.factories import OrgFixture, make_org
from models.settings import load_settings
from models.store.events import add_connection, insert_event
from models.tables.events import AtsConnection
from tests.cli_in_process import copy_migrated_database
from tests.loopback import serving as serve
from worker.triggers.signatures import lever_signature, sign_headers

SECRET = "s3cret-signing-key"
# a generous read timeout: an app's first request is slow on a loaded machine
http = httpx.Client(timeout=60, limits=httpx.Limits(max_keepalive_connections=0))


def make_context(tmp_path: Path, database_url: str | None = None) -> AppContext:
    """The app on `database_url`, else on a SQLite file in `tmp_path` that starts as a copy of
    a migrated one (building the context then finds the schema at head)."""
    if database_url is None:
        database_url = f"sqlite:///{copy_migrated_database(tmp_path)}"
    return build_context(load_settings(home=tmp_path, database_url=database_url))


@contextmanager
def served_context(tmp_path: Path) -> Iterator[tuple[AppContext, str]]:
    ctx = make_context(tmp_path)
    try:
        with serve(create_app(ctx)) as base:
            yield ctx, base
    finally:
        ctx.engine.dispose()


@contextmanager
def served_org(tmp_path: Path, now: datetime) -> Iterator[tuple[AppContext, str, OrgFixture]]:
    """The whole app on a real socket, with one organisation: (context, base URL, org)."""
    with served_context(tmp_path) as (ctx, base):
        yield ctx, base, make_org(ctx.engine, now)


def connection_url(ctx: AppContext, base: str, org_id: int, provider: str, now: datetime) -> str:
    """A new connection of `provider` signed with SECRET; the URL its webhooks are sent to."""
    connection = add_connection(
        ctx.engine, org_id=org_id, provider=provider, secret=SECRET, now=now
    )
    return f"{base}/webhooks/ats/{provider}/{connection.key}"


# --- deliveries in each provider's documented shape ------------------------------------------


@dataclass(frozen=True)
class Delivery:
    body: bytes
    headers: dict[str, str]


def greenhouse_stage_change(
    application_id: int = 265277,
    stage: str = "Interview",
    secret: str = SECRET,
    event_id: str = "gh-1",
) -> Delivery:
    payload = {
        "action": "candidate_stage_change",
        "payload": {
            "application": {
                "id": application_id,
                "status": "active",
                "prospect": False,
                "current_stage": {"id": 71416, "name": stage, "interviews": []},
                "candidate": {
                    "id": 265772,
                    "first_name": "Giuseppe",
                    "last_name": "Hurley",
                    "email_addresses": [
                        {"value": "giuseppe.hurley@example.com", "type": "personal"}
                    ],
                    "recruiter": {
                        "id": 3128,
                        "email": "alicia@example.com",
                        "name": "Alicia Flopple",
                    },
                },
                "jobs": [
                    {
                        "id": 3485,
                        "name": "Designer",
                        "status": "open",
                        "departments": [{"id": 237, "name": "Community"}],
                    }
                ],
            }
        },
    }
    body = json.dumps(payload).encode()
    return Delivery(
        body,
        {
            **sign_headers("greenhouse", secret, body),
            "Greenhouse-Event-ID": event_id,
            "Content-Type": "application/json",
        },
    )


def lever_stage_change(
    secret: str = SECRET,
    triggered_at: int | None = None,
    event_id: str = "lv-1",
    *,
    from_stage: str = "stage-screen",
    to_stage: str = "stage-onsite",
    token: str = "f9c1b2e7a4d3",
) -> Delivery:
    """Lever's candidateStageChange: `signature` is the hex HMAC-SHA256 of token + triggeredAt
    keyed with the webhook's signature token; stages are Lever stage ids."""
    triggered = triggered_at if triggered_at is not None else int(time.time() * 1000)
    payload = {
        "id": event_id,
        "event": "candidateStageChange",
        "triggeredAt": triggered,
        "token": token,
        "signature": lever_signature(secret, token, triggered),
        "data": {
            "candidateId": "c-77",
            "contactId": "c-77",
            "opportunityId": "o-55",
            "fromStageId": from_stage,
            "toStageId": to_stage,
        },
    }
    return Delivery(json.dumps(payload).encode(), {"Content-Type": "application/json"})


def ashby_stage_change(secret: str = SECRET, stage: str = "Technical Interview") -> Delivery:
    payload = {
        "action": "candidateStageChange",
        "data": {
            "application": {
                "id": "a-9",
                "status": "Active",
                "candidate": {
                    "id": "cand-3",
                    "name": "Rina Okoye",
                    "primaryEmailAddress": {"value": "rina@example.com"},
                },
                "currentInterviewStage": {"id": "st-2", "title": stage, "type": "Active"},
                "job": {"id": "job-4", "title": "Data Engineer"},
            }
        },
    }
    body = json.dumps(payload).encode()
    return Delivery(
        body, {**sign_headers("ashby", secret, body), "Content-Type": "application/json"}
    )


def workable_moved(secret: str = SECRET, stage: str = "Phone Screen") -> Delivery:
    payload = {
        "firing_type": "candidate_moved",
        "resource_type": "candidate",
        "data": {
            "id": "ce4da98",
            "name": "Lena Fischer",
            "firstname": "Lena",
            "email": "lena@example.com",
            "stage": stage,
            "disqualified": False,
            "job": {"shortcode": "GROOV003", "title": "Account Executive"},
        },
    }
    body = json.dumps(payload).encode()
    return Delivery(
        body, {**sign_headers("workable", secret, body), "Content-Type": "application/json"}
    )


def generic_event(
    event_type: str = "candidate.stage_changed",
    *,
    secret: str = SECRET,
    event_id: str = "ev-1",
    timestamp: int | None = None,
    data: dict[str, Any] | None = None,
) -> Delivery:
    payload = {
        "id": event_id,
        "type": event_type,
        "data": data
        or {
            "candidate_id": "c1",
            "application_id": "a1",
            "from_stage": "Screen",
            "to_stage": "Interview",
            "job": "Backend Engineer",
            "department": "Engineering",
        },
    }
    body = json.dumps(payload).encode()
    ts = timestamp if timestamp is not None else int(time.time())
    return Delivery(
        body,
        {**sign_headers("generic", secret, body, timestamp=ts), "Content-Type": "application/json"},
    )


def put_event(
    engine: Engine,
    connection: AtsConnection,
    event_type: str,
    data: dict[str, Any],
    *,
    now: datetime,
    chain_depth: int = 0,
    key: str | None = None,
) -> int:
    """Store a canonical event as a webhook would have (received, waiting for a tick)."""
    with engine.begin() as conn:
        event_id = insert_event(
            conn,
            org_id=connection.org_id,
            connection_id=connection.id or 0,
            provider=connection.provider,
            provider_type=event_type,
            event_type=event_type,
            data=data,
            now=now,
            dedupe_key=key or f"test:{time.monotonic_ns()}",
            chain_depth=chain_depth,
        )
    assert event_id is not None
    return event_id
