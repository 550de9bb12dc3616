"""MCP over streamable HTTP under the real `skilltick serve` process: the official client, a
Bearer API token, tools answering as that token's user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.assistant.serve_process import serve_demo


def test_mcp_answers_under_the_real_serve_process(tmp_path: Path) -> None:
    with serve_demo(tmp_path, "--no-worker", unset=("ANTHROPIC_API_KEY",)) as served:
        base, token = served.base, served.token

        async def session() -> tuple[Any, Any, Any]:
            http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
            async with (
                http,
                Client(
                    streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy"
                ) as client,
            ):
                tools = await client.list_tools()
                listed = await client.call_tool("list_automations", {})
                drafted = await client.call_tool(
                    "draft_automation",
                    {"request": "Every Monday at 9am, send me a summary of my pipeline"},
                )
                return tools, listed, drafted

        tools, listed, drafted = anyio.run(session)
        assert "list_automations" in {t.name for t in tools.tools}
        assert not listed.is_error and not drafted.is_error
        assert "Weekly pipeline report" in listed.content[0].text
        assert drafted.structured_content["status"] == "ok"
    assert "Task group is not initialized" not in served.output()
