"""The conversation scripts through MCP as a client sends them: one real `skilltick serve`
subprocess for the module (any free port, a SQLite file in a temporary SKILLTICK_HOME, the
worker off), driven over streamable HTTP at /mcp by the official MCP client with a Bearer API
token per user (made in the store, as `skilltick tokens create` does), calling the `chat` tool.
The process runs on the real clock, so the scripts' organisations are built at the real now and
their date expectations follow it. A conversation follows the MCP session by default; the
scripts name theirs with `conversation`, as a client continuing one across sessions would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx2
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import SCRIPTS, SLACK_CONFIGURED, run_script
from bench.kit.factories import make_org
from models.engine import make_engine
from models.store.access import create_token
from models.store.automations import list_automations
from models.store.orgs import find_org, find_user
from tests.cli_in_process import copy_migrated_database


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """(base URL, the served database) of one `skilltick serve --no-worker` process."""
    home = tmp_path_factory.mktemp("serve")
    engine = make_engine(f"sqlite:///{copy_migrated_database(home)}")
    env = {**os.environ, "SKILLTICK_HOME": str(home), "COLUMNS": "300", "PYTHONUNBUFFERED": "1"}
    for name in ("SKILLTICK_DATABASE_URL", "ANTHROPIC_API_KEY"):
        env.pop(name, None)
    env.update(SLACK_CONFIGURED)  # the scripts post to Slack channels
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", "0", "--no-worker"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        assert server.stdout is not None
        base = None
        for line in server.stdout:
            lines.append(line)
            if found := re.search(r"Dashboard: (http://127\.0\.0\.1:\d+)/", line):
                base = found.group(1)
                break
        assert base, "".join(lines)
        yield base, engine
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=60)
        engine.dispose()
    assert "Traceback" not in "".join(lines) + rest, rest


def _token(engine: Engine, org: str, email: str, now: datetime) -> str:
    user = find_user(engine, find_org(engine, org).id or 0, email)
    return create_token(engine, user=user, name="mcp", now=now).secret


@asynccontextmanager
async def _session(base: str, token: str) -> AsyncIterator[Client]:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
    async with (
        http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy") as client,
    ):
        yield client


async def _chat(base: str, token: str, *messages: dict[str, Any]) -> list[dict[str, Any]]:
    """One MCP session saying `messages` in order; the structured results."""
    out: list[dict[str, Any]] = []
    async with _session(base, token) as client:
        for arguments in messages:
            result = await client.call_tool("chat", arguments)
            assert not result.is_error, result
            out.append(result.structured_content or {})
    return out


def _play(portal: BlockingPortal, base: str, engine: Engine, index: int) -> int:
    """One script; each of its speakers keeps one MCP session open across its turns."""
    now = datetime.now(UTC)
    clients: dict[str, Client] = {}
    with ExitStack() as sessions:

        def say(org: str, email: str, key: str, message: str) -> dict[str, Any]:
            if email not in clients:
                token = _token(engine, org, email, now)
                context = portal.wrap_async_context_manager(_session(base, token))
                clients[email] = sessions.enter_context(context)
            args = {"message": message, "conversation": key}
            result = portal.call(clients[email].call_tool, "chat", args)
            assert not result.is_error, result
            content = result.structured_content or {}
            assert content["conversation"] == key
            reply: dict[str, Any] = content["reply"]
            return reply

        return run_script(engine, index, SCRIPTS[index], say, "mcp", now)


def test_every_script_through_mcp_under_serve(serve: tuple[str, Engine]) -> None:
    base, engine = serve
    with start_blocking_portal() as portal:
        turns = sum(_play(portal, base, engine, i) for i in range(len(SCRIPTS)))
    assert turns >= 100


def test_a_conversation_continues_within_a_session_and_can_be_named(
    serve: tuple[str, Engine],
) -> None:
    base, engine = serve
    now = datetime.now(UTC)
    org = make_org(engine, now, slug="acme")
    token = _token(engine, "acme", org.member_email, now)
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
    (auto,) = list_automations(engine, org.org_id)
    assert auto.cron_expression == "0 8 * * 1-5" and auto.enabled
