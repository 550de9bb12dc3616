"""MCP over streamable HTTP under the real `skilltick serve` process: the official client, a
Bearer API token, tools answering as that token's user."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client


def test_mcp_answers_under_the_real_serve_process(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "300", "PYTHONUNBUFFERED": "1"}
    env.pop("ANTHROPIC_API_KEY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--demo", "--port", "0", "--no-worker"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        lines: list[str] = []
        link = None
        for line in server.stdout:
            lines.append(line)
            if found := re.search(r"(http://127\.0\.0\.1:\d+)/login\?token=(\S+)", line):
                link = found
                break
        assert link, "".join(lines)
        base, token = link.group(1), link.group(2)

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
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=60)
    assert "Task group is not initialized" not in "".join(lines) + rest
