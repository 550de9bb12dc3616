"""The conversation scripts through MCP as a client sends them: the official MCP client over
streamable HTTP to the service's /mcp (uvicorn with its lifespan, a Bearer API token per
user), calling the `chat` tool. A conversation follows the MCP session by default; the scripts
name theirs with `conversation`, as a client continuing one across sessions would."""

from __future__ import annotations

from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy.engine import Engine

from models.store.access import create_token
from models.store.automations import list_automations
from models.store.orgs import find_org, find_user
from tests.assistant.conversation.harness import NOW, SCRIPTS, run_script
from tests.assistant.http.service_harness import make_context
from tests.assistant.mcp.test_mcp_http import served
from tests.factories import make_org


def _token(engine: Engine, org: str, email: str, cache: dict[str, str]) -> str:
    if email not in cache:
        user = find_user(engine, find_org(engine, org).id or 0, email)
        cache[email] = create_token(engine, user=user, name="mcp", now=NOW).secret
    return cache[email]


async def _chat(base: str, token: str, *messages: dict[str, Any]) -> list[dict[str, Any]]:
    """One MCP session saying `messages` in order; the structured results."""
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
    out: list[dict[str, Any]] = []
    async with (
        http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy") as client,
    ):
        for arguments in messages:
            result = await client.call_tool("chat", arguments)
            assert not result.is_error, result
            out.append(result.structured_content or {})
    return out


def test_every_script_through_mcp_over_http(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    tokens: dict[str, str] = {}
    with served(make_context(engine, clock=lambda: NOW)) as base:

        def say(org: str, email: str, key: str, message: str) -> dict[str, Any]:
            token = _token(engine, org, email, tokens)
            args = {"message": message, "conversation": key}
            (result,) = anyio.run(_chat, base, token, args)
            assert result["conversation"] == key
            reply: dict[str, Any] = result["reply"]
            return reply

        turns = sum(run_script(engine, i, s, say, "mcp") for i, s in enumerate(SCRIPTS))
    assert turns >= 90


def test_a_conversation_continues_within_a_session_and_can_be_named(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    tokens: dict[str, str] = {}
    with served(make_context(sqlite_engine, clock=lambda: NOW)) as base:
        token = _token(sqlite_engine, "acme", org.member_email, tokens)
        first, second, elsewhere, third = anyio.run(
            _chat,
            base,
            token,
            {"message": "send me a summary of my pipeline"},
            {"message": "every weekday at 8am"},
            {"message": "yes", "conversation": "another"},
            {"message": "yes"},
        )
        assert first["reply"]["kind"] == "question"
        assert second["reply"]["kind"] == "draft"
        assert first["conversation"] == second["conversation"] == third["conversation"]
        # another conversation has nothing waiting for a "yes"
        assert elsewhere["conversation"] == "another"
        assert elsewhere["reply"]["kind"] == "error"
        assert third["reply"]["kind"] == "done"
    (auto,) = list_automations(sqlite_engine, org.org_id)
    assert auto.cron_expression == "0 8 * * 1-5" and auto.enabled
