"""/status names the destinations whose sends are paused after failing in a row, and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.settings import load_settings
from models.store.run_queue import db_now
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.worker.delivery.test_delivery import free_port
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_status_shows_an_open_breaker_with_its_last_error(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    due = db_now(sqlite_engine) - timedelta(minutes=1)
    for i in range(4):
        make_automation(
            sqlite_engine, org.fixture, NOW, cron="* * * * *", channel="email",
            next_run_at=due, name=f"mail {i}",
        )  # fmt: skip
    port = free_port()  # refuses every connection
    worker = Worker(sqlite_engine, load_settings(smtp_host="127.0.0.1", smtp_port=port))
    with live_server(make_context(sqlite_engine)) as url:
        report = worker.tick()
        status = httpx.get(f"{url}/status", headers=bearer(org.admin_token)).json()

    assert report.statuses == {"failed": 4}
    server = f"SMTP server 127.0.0.1:{port}"
    [breaker] = status["open_breakers"]
    # three in a row open it (a fourth may have been under way on another thread by then)
    assert breaker["destination"] == server and breaker["failures"] in (3, 4)
    assert breaker["last_error"] == f"{server} refused the connection"
    assert status["ok"] is False
    [problem] = [p for p in status["problems"] if p.startswith("Sends to")]
    assert problem.startswith(f"Sends to {server} are paused until ")
    assert problem.endswith(
        f"after {breaker['failures']} failures in a row (last error: {server} refused the connection)."
    )
