"""ATS webhooks over real HTTP: every provider's documented payload and signature, refusals
(401 + rejected row, 400, 413, 404), replays, and the run starting well under a second."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

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
from worker.tick.loop import run_worker

# when this module was imported: a slow suite runs its tests minutes later, and the webhook
# stamps events with the real clock then; compare those with the clock read around the call
NOW = datetime.now(UTC)
TICK_SECONDS = 60  # the worker loop's own pace: a tick at each minute boundary

PROVIDERS: dict[str, tuple[Callable[..., Delivery], dict[str, str]]] = {
    "greenhouse": (
        greenhouse_stage_change,
        {"to_stage": "Interview", "job": "Designer", "department": "Community"},
    ),
    "lever": (lever_stage_change, {"from_stage": "stage-screen", "to_stage": "stage-onsite"}),
    "ashby": (ashby_stage_change, {"to_stage": "Technical Interview", "job": "Data Engineer"}),
    "workable": (workable_moved, {"to_stage": "Phone Screen", "job": "Account Executive"}),
    "generic": (generic_event, {"from_stage": "Screen", "to_stage": "Interview"}),
}


def _url(ctx: AppContext, base: str, org_id: int, provider: str) -> str:
    return connection_url(ctx, base, org_id, provider, NOW)


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_a_signed_delivery_is_stored_as_its_canonical_event_without_pii(
    served: tuple[AppContext, str, OrgFixture], provider: str
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    build, expected = PROVIDERS[provider]
    delivery = build()
    response = http.post(
        _url(ctx, base, org_id, provider), content=delivery.body, headers=delivery.headers
    )
    assert response.status_code == 200, response.text
    [event] = list_events(ctx.engine, org_id)
    assert (event.provider, event.event_type, event.status) == (
        provider,
        "candidate.stage_changed",
        "received",
    )
    assert expected.items() <= event.data.items()
    stored = json.dumps(event.data)
    for pii in ("Giuseppe", "Hurley", "example.com", "Rina", "Lena", "Alicia"):
        assert pii not in stored


@pytest.mark.parametrize("provider", ["greenhouse", "ashby", "workable", "generic"])
def test_a_wrong_signature_is_refused_and_recorded_as_rejected(
    served: tuple[AppContext, str, OrgFixture], provider: str
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    delivery = PROVIDERS[provider][0](secret="not-the-secret")
    response = http.post(
        _url(ctx, base, org_id, provider), content=delivery.body, headers=delivery.headers
    )
    assert response.status_code == 401
    [event] = list_events(ctx.engine, org_id)
    assert event.status == "rejected" and event.raw_body is None and event.error


def test_a_lever_body_signed_with_another_token_is_refused(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    delivery = lever_stage_change(secret="not-the-secret")
    assert (
        http.post(
            _url(ctx, base, org_id, "lever"), content=delivery.body, headers=delivery.headers
        ).status_code
        == 401
    )
    assert [e.status for e in list_events(ctx.engine, org_id)] == ["rejected"]


@pytest.mark.parametrize("provider", ["greenhouse", "ashby", "workable", "generic"])
def test_a_missing_signature_header_is_refused(
    served: tuple[AppContext, str, OrgFixture], provider: str
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    delivery = PROVIDERS[provider][0]()
    response = http.post(
        _url(ctx, base, org_id, provider),
        content=delivery.body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 401
    assert "Missing" in response.json()["error"]["message"]
    assert [e.status for e in list_events(ctx.engine, org_id)] == ["rejected"]


@pytest.mark.parametrize("provider", ["lever", "generic"])
def test_a_stale_timestamp_is_refused_as_a_replay(
    served: tuple[AppContext, str, OrgFixture], provider: str
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    ten_minutes_ago = int(time.time()) - 600
    delivery = (
        lever_stage_change(triggered_at=ten_minutes_ago * 1000)
        if provider == "lever"
        else generic_event(timestamp=ten_minutes_ago)
    )
    response = http.post(
        _url(ctx, base, org_id, provider), content=delivery.body, headers=delivery.headers
    )
    assert response.status_code == 401
    assert "too old" in response.json()["error"]["message"]
    assert [e.status for e in list_events(ctx.engine, org_id)] == ["rejected"]


def test_malformed_json_gets_400_and_stores_nothing(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    from worker.triggers.signatures import sign_headers

    body = b'{"action": "candidate_stage_change", '
    response = http.post(
        _url(ctx, base, org_id, "greenhouse"),
        content=body,
        headers=sign_headers("greenhouse", SECRET, body),
    )
    assert response.status_code == 400
    assert list_events(ctx.engine, org_id) == []


def test_a_body_over_one_mebibyte_gets_413_whether_declared_or_streamed(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    url = _url(ctx, base, org_id, "greenhouse")
    big = b"x" * (1024 * 1024 + 1)
    assert http.post(url, content=big).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the streamed size decides
        for _ in range(17):
            yield b"y" * 65536

    assert http.post(url, content=chunks()).status_code == 413
    assert list_events(ctx.engine, org_id) == []


def test_an_unknown_connection_or_provider_is_not_found(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    delivery = greenhouse_stage_change()
    assert (
        http.post(
            f"{base}/webhooks/ats/greenhouse/cnope", content=delivery.body, headers=delivery.headers
        ).status_code
        == 404
    )
    lever_url = _url(ctx, base, org_id, "lever")
    assert (
        http.post(
            lever_url.replace("/lever/", "/greenhouse/"),
            content=delivery.body,
            headers=delivery.headers,
        ).status_code
        == 404
    )


def test_an_unknown_event_type_is_acknowledged_and_stored_as_unmatched(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    delivery = generic_event("candidate.tagged", data={"candidate_id": "c1"})
    response = http.post(
        _url(ctx, base, org_id, "generic"), content=delivery.body, headers=delivery.headers
    )
    assert response.status_code == 200 and response.json()["status"] == "unmatched"
    [event] = list_events(ctx.engine, org_id)
    assert event.status == "unmatched" and event.provider_type == "candidate.tagged"


def test_a_replayed_delivery_is_acknowledged_and_processed_once(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    auto = make_automation(
        ctx.engine,
        org,
        NOW,
        cron=None,
        trigger_type="event",
        event_type="candidate.stage_changed",
        next_run_at=None,
    )
    url = _url(ctx, base, org_id, "greenhouse")
    delivery = greenhouse_stage_change()
    answers = [http.post(url, content=delivery.body, headers=delivery.headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    build_worker(ctx.engine, ctx.settings).tick()
    statuses = sorted(e.status for e in list_events(ctx.engine, org_id))
    assert statuses == ["duplicate", "duplicate", "processed"]
    runs = list_runs(ctx.engine, org_id, automation_id=auto.id)
    assert len(runs) == 1 and runs[0].triggered_by == "event"


def test_an_event_run_starts_at_once_without_waiting_for_the_next_tick(
    served: tuple[AppContext, str, OrgFixture],
) -> None:
    ctx, base, org = served
    org_id = org.org_id
    auto = make_automation(
        ctx.engine,
        org,
        NOW,
        cron=None,
        trigger_type="event",
        event_type="candidate.stage_changed",
        next_run_at=None,
        event_filter={"to_stage": "Interview"},
    )
    worker = build_worker(ctx.engine, ctx.settings)
    ran = threading.Event()
    stop = threading.Event()

    def on_tick(report: object) -> None:
        if list_runs(ctx.engine, org_id, automation_id=auto.id):
            ran.set()

    thread = threading.Thread(
        target=run_worker,
        args=(worker,),
        daemon=True,
        kwargs={"stop": stop, "wake": ctx.wake, "on_tick": on_tick},
    )
    thread.start()
    try:
        delivery = generic_event()
        sent = time.monotonic()
        assert (
            http.post(
                _url(ctx, base, org_id, "generic"), content=delivery.body, headers=delivery.headers
            ).status_code
            == 200
        )
        # the accepted event wakes the worker: the run does not wait for the per-minute tick
        # (bench/webhooks.py measures the latency itself; a loaded machine must not fail this)
        assert ran.wait(TICK_SECONDS / 4)
        elapsed = time.monotonic() - sent
        [run] = list_runs(ctx.engine, org_id, automation_id=auto.id)
        assert run.status == "completed" and run.event_id is not None
        assert elapsed < TICK_SECONDS / 4 and run.lag_ms is not None
    finally:
        stop.set()
        ctx.wake.set()
        thread.join(10)
