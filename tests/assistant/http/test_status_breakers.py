"""/status names the destinations whose sends are paused after failing in a row, and why; of
the webhook hosts, only the reader's organisation's (an operator of the service: all)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.settings import load_settings
from models.store.run_queue import db_now
from models.store.workers import record_beat
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


def test_a_reader_sees_the_shared_destinations_and_their_own_webhook_hosts_only(
    sqlite_engine: Engine,
) -> None:
    """A worker reports three paused destinations: the mail server (shared), Acme's webhook
    host and Globex's. Acme's reader sees the first two; Globex's host and what it answered
    stay with Globex."""
    acme = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    globex = make_org_with_tokens(sqlite_engine, NOW, slug="globex")
    for org, url in (
        (acme, "https://hooks.acme.test/in"),
        (globex, "https://hooks.globex.test:8443/x"),
    ):
        make_automation(sqlite_engine, org.fixture, NOW, channel="webhook", to=[url], name="hook")
    now = db_now(sqlite_engine)
    paused = [
        {
            "destination": destination,
            "failures": 3,
            "since": now.isoformat(),
            "until": (now + timedelta(hours=1)).isoformat(),
            "last_error": f"{destination} answered 500: secret internals",
        }
        for destination in (
            "SMTP server mail.example:25",
            "webhook hooks.acme.test",
            "webhook hooks.globex.test:8443",
        )
    ]
    record_beat(sqlite_engine, "w1", now, {"open_breakers": paused})
    ctx = make_context(sqlite_engine)
    with live_server(ctx) as url:
        seen = {
            name: httpx.get(f"{url}/status", headers=bearer(org.member_token)).json()
            for name, org in (("acme", acme), ("globex", globex))
        }
        # an organisation's admin reads as its members do; an operator reads every host
        acme_admin = httpx.get(f"{url}/status", headers=bearer(acme.admin_token)).json()
        ctx.tools.set_operator(org_slug="globex", email=globex.fixture.admin_email, operator=True)
        operator = httpx.get(f"{url}/status", headers=bearer(globex.admin_token)).json()
    assert acme_admin["open_breakers"] == seen["acme"]["open_breakers"]
    assert [b["destination"] for b in operator["open_breakers"]] == [
        b["destination"] for b in paused
    ]
    assert [b["destination"] for b in seen["acme"]["open_breakers"]] == [
        "SMTP server mail.example:25",
        "webhook hooks.acme.test",
    ]
    assert [b["destination"] for b in seen["globex"]["open_breakers"]] == [
        "SMTP server mail.example:25",
        "webhook hooks.globex.test:8443",
    ]
    assert "globex" not in " ".join(seen["acme"]["problems"])
    assert "acme" not in " ".join(seen["globex"]["problems"])
