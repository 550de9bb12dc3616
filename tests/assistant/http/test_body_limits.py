"""No one, signed in or not, can make the service hold a huge request body in memory: a body
over its path's limit, whether its size is declared (Content-Length) or streamed in chunks, is
refused with 413 and the API's error envelope as soon as it passes the limit, on every surface
(the login form, the REST API, MCP); bodies within the limits work as before."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.engine import Engine

from assistant.http.body_limit import MAX_REQUEST_BYTES, BodyLimit
from assistant.http.headers import Message, Receive, Scope, Send
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHUNK = 64 * 1024


def _chunks(total: int) -> Iterator[bytes]:
    for _ in range(total // CHUNK):
        yield b"a" * CHUNK


def test_an_oversized_body_is_refused_on_every_surface_declared_or_streamed(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    limits = {"/login": "1 MiB", "/mcp": "1 MiB", "/api/conversation": "256 KiB"}
    with live_server(make_context(sqlite_engine)) as url, httpx.Client(base_url=url) as client:
        for path, words in limits.items():
            for body in (b"a" * (MAX_REQUEST_BYTES + 1), _chunks(2 * MAX_REQUEST_BYTES)):
                answer = client.post(
                    path,
                    content=body,
                    headers={
                        "Authorization": f"Bearer {org.member_token}",
                        "Content-Type": "application/json",
                    },
                )
                assert answer.status_code == 413, (path, answer.text)
                assert answer.json()["error"] == {
                    "code": "payload_too_large",
                    "message": f"The request body is over {words}.",
                }
                assert answer.headers["x-frame-options"] == "DENY"
        # within the limits, as before
        said = client.post(
            "/api/conversation",
            json={"message": "list"},
            headers={"Authorization": f"Bearer {org.member_token}"},
        )
        assert said.status_code == 200, said.text


@pytest.mark.parametrize("path", ["/login", "/api/me"])
def test_a_streamed_body_stops_being_read_at_the_limit(path: str) -> None:
    """However a route reads its body, it is handed no more than the limit and one chunk."""
    read = 0

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal read
        while True:
            message = await receive()
            read += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read"})

    sent: list[Message] = []
    chunks = 1000  # 62.5 MiB offered

    async def receive() -> Message:
        nonlocal chunks
        chunks -= 1
        return {"type": "http.request", "body": b"a" * CHUNK, "more_body": chunks > 0}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": []}
    asyncio.run(BodyLimit(route)(scope, receive, send))
    assert sent[0]["status"] == 413 and b"payload_too_large" in sent[1]["body"]
    assert read <= MAX_REQUEST_BYTES + CHUNK
