"""Every refusal a program gets is the API's envelope `{"error": {"code", "message"}}`: a path
no route has (it was FastAPI's bare `{"detail": "Not Found"}`), a method a path does not take
(with the methods it does), and a body that is not JSON, which is malformed (400, it was a 422
"1: JSON decode error") on every endpoint that takes a body. A browser asking for a page that
does not exist gets the dashboard's error page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.store.automations import get_automation
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _envelope(answer: httpx.Response, status: int, code: str) -> str:
    assert answer.status_code == status, (answer.request.url, answer.text)
    body = answer.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    message: str = body["error"]["message"]
    assert message and "\n" not in message
    return message


def test_every_api_refusal_is_the_error_envelope_and_a_bad_body_changes_nothing(
    engine: Engine,
) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    auto = make_automation(engine, acme.fixture, NOW, name="Report")
    before = get_automation(engine, acme.fixture.org_id, auto.id or 0)
    with live_server(make_context(engine)) as url, client(url, acme.admin_token) as api:
        paths = api.get("/openapi.json").json()["paths"]
        checked = 0
        for template, operations in paths.items():
            if not template.startswith("/api/"):
                continue
            path = re.sub(r"\{\w+\}", "1", template.replace("{automation_id}", str(auto.id)))
            for method in METHODS:
                if method.lower() in operations:
                    if method in ("POST", "PUT", "PATCH"):
                        malformed = api.request(
                            method,
                            path,
                            content=b'{"name": "x",',
                            headers={"Content-Type": "application/json"},
                        )
                        message = _envelope(malformed, 400, "malformed_body")
                        assert message.startswith("The body is not valid JSON"), message
                        checked += 1
                    continue
                refused = api.request(method, path)
                message = _envelope(refused, 405, "method_not_allowed")
                allowed = refused.headers["allow"]
                assert all(m.upper() in allowed for m in operations), (path, allowed)
                assert method in message and allowed in message, message
        assert checked >= 15, "every endpoint that takes a body was tried"
        for missing in ("/api/nothing", f"/api/automations/{auto.id}/x", "/api", "/webhooks/x"):
            message = _envelope(api.get(missing), 404, "not_found")
            assert missing in message
    after = get_automation(engine, acme.fixture.org_id, auto.id or 0)
    assert after.name == before.name and after.updated_at == before.updated_at


def test_a_browser_asking_for_a_page_that_does_not_exist_gets_the_dashboards_error_page(
    engine: Engine,
) -> None:
    make_org_with_tokens(engine, NOW, slug="acme")
    with live_server(make_context(engine)) as url:
        page = httpx.get(f"{url}/automationz", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "There is no page at /automationz." in page.text
        static = httpx.get(f"{url}/static/../../etc/passwd", timeout=30)
        assert static.status_code == 404 and "root:" not in static.text


def test_every_surface_names_a_refusal_with_the_same_code(engine: Engine) -> None:
    """A program that reads `error.code` reads one word for one refusal, whichever surface."""
    make_org_with_tokens(engine, NOW, slug="acme")
    with live_server(make_context(engine)) as url:
        big = b"x" * (1024 * 1024 + 1)
        for path in ("/api/automations", "/webhooks/ats/generic/cnope"):
            answer = httpx.post(f"{url}{path}", content=big, timeout=30)
            message = _envelope(answer, 413, "payload_too_large")
            assert message.startswith("The request body is over ") and "iB." in message
        for path in ("/api/bulk", "/mcp"):
            call = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
            answer = httpx.post(f"{url}{path}", json=call, timeout=30)
            _envelope(answer, 401, "unauthenticated")
