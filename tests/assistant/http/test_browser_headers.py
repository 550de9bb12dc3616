"""What the service tells a browser on every answer: no other site may frame it (a hidden
button under a decoy), nothing is sniffed into another type, and a dashboard page runs only the
service's own script file, so text that reaches a page (an automation's name, a candidate's
data) can never run there; no cache keeps a page. The session cookie is HttpOnly and SameSite,
and Secure (with Strict-Transport-Security) when the dashboard is served over HTTPS."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from assistant.http.dashboard.support import TEMPLATES
from bench.kit.factories import make_automation
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HOSTILE_NAME = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _script_sources(policy: str) -> list[str]:
    for directive in policy.split(";"):
        name, *values = directive.split()
        if name == "script-src":
            return values
    return []


def test_every_answer_forbids_framing_and_a_page_runs_only_the_service_s_script(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    auto = make_automation(sqlite_engine, org.fixture, NOW, name=HOSTILE_NAME)
    with (
        live_server(make_context(sqlite_engine)) as url,
        httpx.Client(base_url=url, timeout=30, headers={"Accept": "text/html"}) as browser,
    ):
        cookie = _session_cookie(browser, org.admin_token, https=False)
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        pages = ["/", f"/automations/{auto.id}", "/inbox", "/outbox", "/tokens", "/admin"]
        others = ["/no-such-page", "/login", "/api/me", "/healthz", "/static/app.js", "/docs"]
        for path in pages + others:
            answer = browser.get(path)
            headers = answer.headers
            assert headers.get("x-frame-options") == "DENY", path
            assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), path
            assert headers.get("x-content-type-options") == "nosniff", path
            # nothing with people's data stays in a cache; the script file may
            assert (headers.get("cache-control") == "no-store") != path.startswith("/static/")
            assert "strict-transport-security" not in headers, path
            if path in pages or path in ("/no-such-page", "/login"):
                assert _script_sources(headers["content-security-policy"]) == ["'self'"], path
            if path in pages[:2]:  # the hostile name is shown as text, never as markup
                assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text, path
                assert "<script>alert" not in answer.text and "<img src=x" not in answer.text
        # behind a TLS proxy that says so (X-Forwarded-Proto, trusted from this host): the
        # cookie is Secure and browsers are told to keep to HTTPS
        with httpx.Client(base_url=url, timeout=30) as over_tls:
            cookie = _session_cookie(over_tls, org.member_token, https=True)
            page = over_tls.get("/", headers={"X-Forwarded-Proto": "https"})
        assert "httponly" in cookie and "samesite=lax" in cookie and "; secure" in cookie
        assert page.headers["strict-transport-security"] == "max-age=31536000"


def test_no_template_needs_inline_script() -> None:
    """The policy allows the service's script file only: a template with an inline script, an
    event handler attribute or a javascript: address would silently stop working."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)|<[a-z][^>]*\son[a-z]+\s*=|javascript:", re.IGNORECASE
    )
    for template in sorted(TEMPLATES.glob("*.html")):
        found = inline.search(template.read_text())
        assert found is None, f"{template.name}: {found and found.group(0)}"


def _session_cookie(browser: httpx.Client, token: str, *, https: bool) -> str:
    """The session cookie the login page's button sets, as its Set-Cookie header says."""
    url = str(browser.base_url).rstrip("/")
    headers = {"Origin": url.replace("http://", "https://") if https else url}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    answer = browser.post("/login", data={"token": token}, headers=headers)
    assert answer.status_code == 303, answer.text
    return answer.headers["set-cookie"].lower()
