"""/status and /metrics answer only a bearer API token or a signed-in dashboard session unless
the status_auth setting is off (/metrics an operator's only); a scrape reads the token without
writing its last use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import httpx
import pytest
from sqlalchemy.engine import Engine

from models.settings import load_settings
from models.store.access import revoke_token, token_for_secret
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PATHS = ("/status", "/metrics")


@pytest.mark.parametrize("path", PATHS)
def test_without_a_token_or_session_it_is_refused(sqlite_engine: Engine, path: str) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    ctx.tools.set_operator(org_slug="acme", email=org.fixture.admin_email, operator=True)
    with live_server(ctx) as url:
        refused = httpx.get(f"{url}{path}")
        assert refused.status_code == 401
        assert "API token" in refused.json()["error"]["message"]
        assert (
            httpx.get(f"{url}{path}", headers={"Authorization": "Bearer stk_x"}).status_code == 401
        )
        with client(url, org.member_token) as member:
            # /status is scoped to their organisation; /metrics counts the whole service
            assert member.get(path).status_code == (200 if path == "/status" else 403)
        with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as browser:
            assert sign_in(browser, org.admin_token).status_code == 303
            assert browser.get(path).status_code == 200, "an operator's session is enough"
        token = token_for_secret(sqlite_engine, org.member_token)
        assert token is not None
        revoke_token(sqlite_engine, org.fixture.org_id, token.id or 0, NOW)
        with client(url, org.member_token) as revoked:
            assert revoked.get(path).status_code == 401
    # the health probe stays open for load balancers
    with live_server(make_context(sqlite_engine)) as url:
        assert httpx.get(f"{url}/healthz").status_code == 200


def test_the_setting_turns_it_off(sqlite_engine: Engine) -> None:
    ctx = make_context(sqlite_engine, load_settings(status_auth=False))
    with live_server(ctx) as url:
        for path in PATHS:
            assert httpx.get(f"{url}{path}").status_code == 200, path


def test_scrapes_never_write_the_tokens_last_use(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ticks = count()  # minutes pass between reads, so a write would be due every time
    ctx = make_context(sqlite_engine, clock=lambda: NOW + timedelta(minutes=5 * next(ticks)))
    ctx.tools.set_operator(org_slug="acme", email=org.fixture.admin_email, operator=True)
    with live_server(ctx) as url, client(url, org.admin_token) as scraper:
        for _ in range(3):
            assert scraper.get("/metrics").status_code == 200
            assert scraper.get("/status").status_code == 200
    token = token_for_secret(sqlite_engine, org.admin_token)
    assert token is not None and token.last_used_at is None
