"""MCP over streamable HTTP on the service: a Bearer API token is required (401 without), and
the tools act as that token's user."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import anyio
import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def test_mcp_over_http_needs_a_token_and_acts_as_its_user(sqlite_engine: Engine) -> None:
    ctx = make_context(sqlite_engine, clock=lambda: NOW)
    acme = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    globex = make_org_with_tokens(sqlite_engine, NOW, slug="globex")
    auto = make_automation(sqlite_engine, acme.fixture, NOW)
    with live_server(ctx, lifespan=True) as base:
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        assert httpx.post(f"{base}/mcp", json=body, timeout=10).status_code == 401
        assert (
            httpx.post(
                f"{base}/mcp", json=body, timeout=10, headers={"Authorization": "Bearer stk_wrong"}
            ).status_code
            == 401
        )

        async def as_user(token: str) -> tuple[Any, Any]:
            http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
            async with (
                http,
                Client(
                    streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy"
                ) as client,
            ):
                listed = await client.call_tool("list_automations", {})
                got = await client.call_tool("get_automation", {"automation_id": auto.id})
                return listed.structured_content, got

        mine, got = anyio.run(as_user, acme.member_token)
        assert [a["id"] for a in mine["result"]] == [auto.id] and not got.is_error
        theirs, denied = anyio.run(as_user, globex.admin_token)
        assert theirs == {"result": []} and denied.is_error
