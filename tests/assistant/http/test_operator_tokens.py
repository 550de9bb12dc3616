"""An organisation's admin cannot become an operator by acting as one: admins may create API
tokens for colleagues, and a token for a colleague the host made an operator read the whole
service's /status and /metrics (every organisation's runs and paused destinations). Now only the
operator themselves, another operator or the host (`skilltick tokens create --user`) creates an
operator's tokens; an admin still creates tokens for every other colleague."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from models.store.orgs import get_user
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_an_admin_cannot_create_a_token_for_an_operator(sqlite_engine: Engine) -> None:
    acme = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine, clock=lambda: NOW)
    member = get_user(sqlite_engine, acme.fixture.member_id)
    ctx.tools.set_operator(org_slug="acme", email=member.email, operator=True)
    with live_server(ctx) as url:
        with client(url, acme.admin_token) as admin:
            assert admin.get("/metrics").status_code == 403
            made = admin.post("/api/tokens", json={"name": "x", "user_email": member.email})
            assert made.status_code == 403, made.text
            assert "operator" in made.json()["error"]["message"]
        with client(url, acme.member_token) as operator:  # their own, as before
            own = operator.post("/api/tokens", json={"name": "mine"})
            assert own.status_code == 201, own.text
            assert client(url, own.json()["token"]).get("/metrics").status_code == 200
        # an admin still makes tokens for colleagues who are not operators
        ctx.tools.set_operator(org_slug="acme", email=member.email, operator=False)
        with client(url, acme.admin_token) as admin:
            made = admin.post("/api/tokens", json={"name": "x", "user_email": member.email})
            assert made.status_code == 201, made.text
