"""JSON nested past the parser's depth is a malformed body (400), never a crash: on every API
route, signed in or not (the body is read before the token is), on /cron/tick, and on Slack's
endpoint, which parsed a body before checking its signature. Each was a 500 in plain text and a
traceback in the service's log, for anyone who could reach the port."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from models.settings import load_settings
from models.settings_integrations import SlackSettings
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DEEP = "[" * 100_000 + "]" * 100_000  # 200 KB: within every path's size limit


def test_deeply_nested_json_is_a_malformed_body_everywhere(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    slack = SlackSettings(signing_secret="8f742231b10e8888abcd99yyyzzz85a5", bot_token="xoxb-t")
    ctx = make_context(sqlite_engine, load_settings(slack=slack))
    signed_in = {"Authorization": f"Bearer {org.member_token}"}
    posts = [
        ("/api/conversation", signed_in),
        ("/api/automations", signed_in),
        ("/api/automations", {}),
        ("/api/bulk", {}),
        ("/cron/tick", {"Authorization": "Bearer not-the-secret"}),
    ]
    with live_server(ctx) as url, httpx.Client(base_url=url, timeout=30) as client:
        for path, headers in posts:
            answer = client.post(
                path, content=DEEP, headers={**headers, "Content-Type": "application/json"}
            )
            assert answer.status_code == 400, (path, answer.status_code, answer.text[:200])
            error = answer.json()["error"]
            assert error["code"] == "malformed_body" and "nested" in error["message"], error
        for content_type, body in (
            ("application/json", DEEP),
            ("application/x-www-form-urlencoded", "payload=" + DEEP),
        ):
            answer = client.post(
                "/slack/events", content=body, headers={"Content-Type": content_type}
            )
            assert answer.status_code in (400, 401), (content_type, answer.status_code, answer.text)
        # the service still answers
        listed = client.post("/api/conversation", json={"message": "list"}, headers=signed_in)
        assert listed.status_code == 200, listed.text
