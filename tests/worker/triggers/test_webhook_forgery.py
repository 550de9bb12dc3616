"""Forged and replayed ATS webhooks: for every provider, a captured delivery with any part its
signature does not cover changed (a header added, changed or dropped; a body field edited,
added or removed; the same JSON written differently) is refused or recognised as a duplicate,
so it never starts a second run. Bodies nested past the depth bound get 400, never 500."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from assistant.app import AppContext
from bench.kit.factories import OrgFixture, make_automation
from models.store.events import list_events
from models.store.run_history import list_runs
from tests.worker.triggers.trigger_support import (
    SECRET,
    Delivery,
    ashby_stage_change,
    connection_url,
    generic_event,
    greenhouse_stage_change,
    http,
    lever_stage_change,
    workable_moved,
)
from worker.tick.factory import build_worker
from worker.triggers.signatures import MAX_JSON_DEPTH, lever_signature, sign_headers

# when this module was imported: a slow suite runs its tests minutes later, and the webhook
# stamps events with the real clock then; compare those with the clock read around the call
NOW = datetime.now(UTC)
CAPTURED: dict[str, Callable[[], Delivery]] = {
    "greenhouse": greenhouse_stage_change,
    "lever": lever_stage_change,
    "ashby": ashby_stage_change,
    "workable": workable_moved,
    "generic": generic_event,
}


def _url(ctx: AppContext, base: str, org_id: int, provider: str) -> str:
    return connection_url(ctx, base, org_id, provider, NOW)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key and index path in a JSON value, containers included."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _edited(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "forged"


def _with(payload: Any, path: tuple[Any, ...], change: Callable[[Any, Any], None]) -> bytes:
    copied = copy.deepcopy(payload)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    change(parent, path[-1])
    return json.dumps(copied).encode()


def _edit(parent: Any, key: Any) -> None:
    parent[key] = _edited(parent[key])


def _drop(parent: Any, key: Any) -> None:
    del parent[key]


def _extend(parent: Any, key: Any) -> None:
    if isinstance(parent[key], dict):
        parent[key]["forged"] = "yes"
    elif isinstance(parent[key], list):
        parent[key].append("forged")
    else:
        parent[key] = [parent[key], "forged"]


def forgeries(captured: Delivery) -> Iterator[tuple[str, Delivery]]:
    """The captured delivery with one part changed, named for the failure message."""
    headers, body = captured.headers, captured.body
    for name in headers:
        rest = {k: v for k, v in headers.items() if k != name}
        yield f"without {name}", Delivery(body, rest)
        yield f"{name} edited", Delivery(body, {**rest, name: headers[name] + "0"})
    for name in ("Greenhouse-Event-ID", "X-Request-Id", "Idempotency-Key"):
        for value in ("forged-1", "forged-2"):
            yield f"{name}: {value}", Delivery(body, {**headers, name: value})
    payload = json.loads(body)
    yield (
        "the same JSON written differently",
        Delivery(json.dumps(payload, indent=2).encode(), headers),
    )
    yield "a trailing newline", Delivery(body + b"\n", headers)
    changes = (("edited", _edit), ("removed", _drop), ("extended", _extend))
    for index, path in enumerate(_paths(payload)):
        # one change per path, in turn: every part of the body is changed once
        label, change = changes[index % len(changes)]
        yield f"{path} {label}", Delivery(_with(payload, path, change), headers)


@pytest.mark.parametrize("provider", list(CAPTURED))
def test_a_captured_delivery_with_any_unsigned_part_changed_never_starts_a_second_run(
    served: tuple[AppContext, str, OrgFixture], provider: str
) -> None:
    ctx, base, org = served
    auto = make_automation(
        ctx.engine,
        org,
        NOW,
        cron=None,
        trigger_type="event",
        event_type="candidate.stage_changed",
        next_run_at=None,
    )
    url = _url(ctx, base, org.org_id, provider)
    captured = CAPTURED[provider]()
    accepted: list[str] = []
    # dozens of requests in a row: on a loaded machine one may wait past httpx's 5 s default
    with httpx.Client(timeout=30) as client:
        first = client.post(url, content=captured.body, headers=captured.headers)
        assert first.status_code == 200 and first.json()["status"] == "received", first.text
        tried = 0
        for what, forged in forgeries(captured):
            tried += 1
            answer = client.post(url, content=forged.body, headers=forged.headers)
            assert answer.status_code in (200, 400, 401), (what, answer.text)
            if answer.status_code == 200 and answer.json()["status"] != "duplicate":
                accepted.append(what)
    assert accepted == [], f"{provider}: accepted as new: {accepted}"
    assert tried > 20
    build_worker(ctx.engine, ctx.settings).tick()
    events = list_events(ctx.engine, org.org_id, limit=1000)
    assert sum(e.status not in ("duplicate", "rejected") for e in events) == 1
    assert len(list_runs(ctx.engine, org.org_id, automation_id=auto.id)) == 1


def _nested(depth: int) -> Any:
    value: Any = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"n": value}
    return value


def test_a_deeply_nested_lever_body_gets_400_without_any_signature(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    url = _url(ctx, base, org.org_id, "lever")
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"data":' * 50_000 + b"1" + b"}" * 50_000):
        answer = http.post(url, content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["code"] == "malformed_body"
    assert list_events(ctx.engine, org.org_id) == []


@pytest.mark.parametrize("provider", ["greenhouse", "generic", "lever"])
def test_a_signed_body_nested_past_the_bound_gets_400_and_one_within_it_is_stored(
    served: tuple[AppContext, str, OrgFixture], provider: str
) -> None:
    ctx, base, org = served
    url = _url(ctx, base, org.org_id, provider)
    answers = []
    # signed now, not at import: a replay check refuses timestamps minutes old
    now = datetime.now(UTC)
    for depth in (MAX_JSON_DEPTH + 1, MAX_JSON_DEPTH - 1):
        payload: dict[str, Any] = {"id": f"deep-{depth}", "type": "x", "data": _nested(depth)}
        if provider == "lever":
            payload.update(token=f"t{depth}", triggeredAt=int(now.timestamp() * 1000))
            payload["signature"] = lever_signature(SECRET, payload["token"], payload["triggeredAt"])
        body = json.dumps(payload).encode()
        headers = sign_headers(provider, SECRET, body, timestamp=int(now.timestamp()))
        answers.append(http.post(url, content=body, headers=headers))
    assert [a.status_code for a in answers] == [400, 200], [a.text for a in answers]
    assert "deeper than 400" in answers[0].json()["error"]["message"]
