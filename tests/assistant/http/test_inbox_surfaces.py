"""In-app messages are readable where people are: the dashboard's Inbox page, GET /api/inbox,
and the MCP tools, each showing only the caller's own messages; reading one marks it read."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import anyio
import httpx
from mcp import Client
from sqlalchemy.engine import Engine

from assistant.mcp.server import build_server, stdio_actor
from bench.kit.factories import make_automation
from models.store.run_queue import db_now
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in
from worker.tick.tick import Worker


def call(server: Any, tool: str, args: dict[str, Any]) -> Any:
    async def go() -> Any:
        async with Client(server) as mcp:
            return await mcp.call_tool(tool, args)

    return anyio.run(go)


def test_the_inbox_is_read_in_the_dashboard_the_api_and_mcp(sqlite_engine: Engine) -> None:
    now = db_now(sqlite_engine)
    org = make_org_with_tokens(sqlite_engine, now, slug="acme")
    make_automation(
        sqlite_engine,
        org.fixture,
        now,
        skill="pipeline-report",
        channel="in_app",
        name="Pipeline in-app",
        next_run_at=now - timedelta(minutes=1),
    )
    ctx = make_context(sqlite_engine)
    Worker(sqlite_engine, ctx.settings).tick(now=now)

    with live_server(ctx) as url:
        with client(url, org.member_token) as api:
            [item] = api.get("/api/inbox").json()
            assert item["read"] is False and "ipeline" in item["subject"]
            assert api.get("/api/inbox", params={"unread": "true"}).json() == [item]
        with client(url, org.admin_token) as api:  # the admin's inbox is theirs alone
            assert api.get("/api/inbox").json() == []
            assert api.get(f"/api/inbox/{item['id']}").status_code == 404
        with httpx.Client(base_url=url, timeout=30) as page:
            assert sign_in(page, org.member_token).status_code == 303
            listing = page.get("/inbox")
            assert listing.status_code == 200 and 'href="/inbox"' in listing.text
            assert f'href="/inbox/{item["id"]}"' in listing.text and "unread" in listing.text
            opened = page.get(f"/inbox/{item['id']}")
            assert opened.status_code == 200
            assert re.search(r'<pre class="output">[^<]*\S', opened.text)
        with client(url, org.member_token) as api:
            assert api.get("/api/inbox", params={"unread": "true"}).json() == []
            full = api.get(f"/api/inbox/{item['id']}").json()
            assert full["read"] is True and full["text"]

    server = build_server(ctx.tools, stdio_actor(org.actor(sqlite_engine)))
    listed = call(server, "list_inbox", {})
    assert listed.structured_content["result"][0]["id"] == item["id"]
    shown = call(server, "read_inbox_message", {"message_id": item["id"]})
    assert shown.structured_content["text"] == full["text"]
