"""Operations endpoints on a live server: the tick endpoint refuses a missing or wrong secret and
runs a tick with the right one; /healthz, /status and /metrics report from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.engine import Engine

from assistant.http import create_app
from bench.kit.factories import make_automation
from models.errors import InvalidInput
from models.store.run_queue import db_now, queue_run
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

SECRET = "s3cret-for-the-tick-endpoint"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_the_tick_endpoint_is_closed_when_no_secret_is_configured(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SKILLTICK_CRON_SECRET", raising=False)
    with live_server(make_context(sqlite_engine)) as url:
        response = httpx.post(f"{url}/cron/tick", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 401
    assert "SKILLTICK_CRON_SECRET" in response.json()["error"]["message"]


def test_the_tick_endpoint_refuses_a_missing_or_wrong_secret_and_runs_with_the_right_one(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLTICK_CRON_SECRET", SECRET)
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    auto = make_automation(sqlite_engine, org.fixture, db_now(sqlite_engine))
    run_id = queue_run(
        sqlite_engine,
        automation_id=auto.id or 0,
        org_id=org.fixture.org_id,
        triggered_by="manual",
        now=db_now(sqlite_engine),
    )
    with live_server(make_context(sqlite_engine)) as url:
        for headers in (
            {},
            {"Authorization": "Bearer wrong-secret-of-some-length"},
            {"Authorization": SECRET},
            {"X-Cron-Secret": SECRET},
        ):
            refused = httpx.post(f"{url}/cron/tick", headers=headers)
            assert refused.status_code == 401, headers
        assert (
            httpx.get(
                f"{url}/api/runs/{run_id}", headers={"Authorization": f"Bearer {org.member_token}"}
            ).json()["status"]
            == "pending"
        ), "a refused tick ran nothing"
        ticked = httpx.post(f"{url}/cron/tick", headers={"Authorization": f"Bearer {SECRET}"})
        assert ticked.status_code == 200
        assert ticked.json()["statuses"] == {"completed": 1}
        run = httpx.get(
            f"{url}/api/runs/{run_id}", headers={"Authorization": f"Bearer {org.member_token}"}
        ).json()
        assert run["status"] == "completed"


def test_a_placeholder_cron_secret_stops_the_app_at_start(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLTICK_CRON_SECRET", "changeme")
    ctx = make_context(sqlite_engine)  # other commands still work with it set
    with pytest.raises(InvalidInput, match="placeholder"):
        create_app(ctx)


def test_status_and_metrics_report_ticks_backlog_stuck_leases_and_failures(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    ctx.tools.set_operator(org_slug="acme", email=org.fixture.admin_email, operator=True)
    with live_server(ctx) as url, client(url, org.admin_token) as ops:
        assert httpx.get(f"{url}/healthz").json() == {"ok": True}
        before = ops.get("/status").json()
        assert before["ok"] is False and before["problems"] == ["No worker has ticked yet."]

        auto = make_automation(
            sqlite_engine,
            org.fixture,
            NOW,
            cron="* * * * *",
            next_run_at=db_now(sqlite_engine) - timedelta(minutes=1),
        )
        backlog = ops.get("/status").json()
        assert backlog["due_occurrences"] == 1

        from worker.tick.factory import build_worker

        build_worker(sqlite_engine, ctx.settings).tick()
        after = ops.get("/status").json()
        assert after["ok"] is True and after["last_tick_at"] is not None
        assert after["due_occurrences"] == 0 and after["stuck_leases"] == 0
        assert after["failure_rate_by_skill"]["noop"] == {"failed": 0, "finished": 1, "rate": 0.0}
        metrics = ops.get("/metrics")
        assert metrics.headers["content-type"].startswith("text/plain")
        text = metrics.text
        assert 'skilltick_runs{status="completed",triggered_by="schedule"} 1.0' in text
        assert 'skilltick_run_lag_seconds_bucket{le="+Inf"} 1.0' in text
        assert auto.id
