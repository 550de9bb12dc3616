"""API tokens and the dashboard sessions their login links open: revoking a token ends those
sessions at once (from the CLI, the REST API or the dashboard's tokens page); a token can carry
an expiry, after which neither it nor its sessions work."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from assistant.cli.root import app
from assistant.tools.toolset import Actor
from bench.kit.factories import make_org
from models.store.orgs import get_user
from tests.assistant.http.service_harness import client, live_server, make_context
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def signed_in(url: str, token: str) -> httpx.Client:
    browser = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    assert sign_in(browser, token).status_code == 303
    assert browser.get("/").status_code == 200
    return browser


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_revoking_a_token_ends_the_dashboard_session_it_opened(engine: Engine) -> None:
    org = make_org(engine, NOW)
    clock = Clock()
    ctx = make_context(engine, clock=clock)
    member = Actor.of(get_user(engine, org.member_id))
    first = ctx.tools.create_api_token(member, name="laptop")
    second = ctx.tools.create_api_token(member, name="phone")
    with live_server(ctx) as url:
        revoked_browser = signed_in(url, first.token)
        other_browser = signed_in(url, second.token)
        with client(url, second.token) as api:
            assert api.delete(f"/api/tokens/{first.id}").status_code == 204
        ended = revoked_browser.get("/")
        assert ended.status_code in (303, 401) and "/login" in ended.headers.get(
            "location", "/login"
        )
        assert other_browser.get("/").status_code == 200, "the other token's session stays"
        with client(url, first.token) as api:
            assert api.get("/api/automations").status_code == 401


def test_an_expiring_token_and_its_sessions_stop_working_when_it_expires(engine: Engine) -> None:
    org = make_org(engine, NOW)
    clock = Clock()
    ctx = make_context(engine, clock=clock)
    member = Actor.of(get_user(engine, org.member_id))
    issued = ctx.tools.create_api_token(member, name="ci", expires_in=timedelta(days=2))
    assert issued.expires_at == NOW + timedelta(days=2)
    with live_server(ctx) as url:
        browser = signed_in(url, issued.token)
        with client(url, issued.token) as api:
            clock.now = NOW + timedelta(days=1, hours=23)
            assert api.get("/api/automations").status_code == 200
            assert browser.get("/").status_code == 200
            clock.now = NOW + timedelta(days=2)
            assert api.get("/api/automations").status_code == 401
            assert browser.get("/").status_code != 200
            assert sign_in(browser, issued.token).status_code == 401


def test_the_tokens_page_lists_tokens_and_revokes_one(engine: Engine) -> None:
    org = make_org(engine, NOW)
    ctx = make_context(engine, clock=Clock())
    member = Actor.of(get_user(engine, org.member_id))
    kept = ctx.tools.create_api_token(member, name="kept")
    doomed = ctx.tools.create_api_token(member, name="doomed", expires_in=timedelta(days=30))
    with live_server(ctx) as url:
        browser = signed_in(url, kept.token)
        doomed_browser = signed_in(url, doomed.token)
        page = browser.get("/tokens").text
        assert "kept" in page and "doomed" in page and 'datetime="2026-04-01T08:00:00Z"' in page
        assert doomed.token not in page and kept.token not in page
        done = browser.post(f"/tokens/{doomed.id}/revoke", data={"csrf": csrf_of(page)})
        assert done.status_code == 303
        after = browser.get(done.headers["location"]).text
        assert "Token revoked." in after and "doomed" not in after
        assert doomed_browser.get("/").status_code != 200
        refused = browser.post(f"/tokens/{doomed.id}/revoke", data={"csrf": csrf_of(after)})
        assert refused.status_code == 404


def test_the_cli_creates_a_token_with_an_expiry_and_refuses_a_bad_one(
    tmp_path: Path, monkeypatch: object
) -> None:
    env = {"SKILLTICK_HOME": str(tmp_path)}
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "seed", "--candidates", "5"], env=env).exit_code == 0
    made = runner.invoke(app, ["tokens", "create", "--expires-in", "90d", "--json"], env=env)
    assert made.exit_code == 0, made.output
    issued = json.loads(made.stdout)
    created = datetime.fromisoformat(issued["created_at"])
    assert datetime.fromisoformat(issued["expires_at"]) - created == timedelta(days=90)
    listed = runner.invoke(app, ["tokens", "list"], env=env)
    assert "expires 20" in listed.stdout
    for bad in ("90", "5x", "-1d", "0h"):
        refused = runner.invoke(app, ["tokens", "create", "--expires-in", bad], env=env)
        assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1, bad


def test_a_member_makes_a_token_on_the_dashboard_and_the_api_takes_it(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    ctx = make_context(sqlite_engine, clock=Clock())
    member = Actor.of(get_user(sqlite_engine, org.member_id))
    login = ctx.tools.create_api_token(member, name="login link")
    with live_server(ctx) as url:
        browser = signed_in(url, login.token)
        csrf = csrf_of(browser.get("/tokens").text)
        made = browser.post("/tokens", data={"csrf": csrf, "name": "reports script"})
        assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
        secret = re.search(r'id="new-token-secret">(stk_[^<]+)<', made.text)
        assert secret and "shown only once" in made.text
        with client(url, secret.group(1)) as api:
            assert api.get("/api/me").json()["email"] == org.member_email
        (issued,) = [t for t in ctx.tools.list_api_tokens(member) if t.name == "reports script"]
        assert issued.expires_at is not None
        assert issued.expires_at - issued.created_at == timedelta(days=90)
        forever = browser.post(
            "/tokens", data={"csrf": csrf, "name": "cron", "expires": "until revoked"}
        )
        assert forever.status_code == 201
        refused = browser.post("/tokens", data={"csrf": csrf, "name": "a\nb"})
        assert refused.status_code == 422 and "must be one line" in refused.text
        assert 'id="new-token-secret"' not in refused.text
    assert [t.expires_at for t in ctx.tools.list_api_tokens(member) if t.name == "cron"] == [None]
