"""A service listening on loopback (or serving the demo) answers only its own host names, so a
page that rebinds its name to 127.0.0.1 cannot use it; a deployment listening on all addresses
is left to its proxy. (`tests/assistant/cli/test_serve_public_url.py` sends a foreign Host to
a real `serve --demo`.)"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from assistant.http.headers import Receive, Scope, Send
from assistant.http.host_check import AllowedHosts, guarded

PUBLIC = "https://skilltick.example.test"


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


def status_for(app: object, host: str) -> tuple[int, str]:
    async def ask() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
            return await client.get("/status", headers={"Host": host})

    answer = asyncio.run(ask())
    return answer.status_code, answer.text


@pytest.mark.parametrize(
    "host",
    [
        "localhost:8080",
        "LOCALHOST",
        "127.0.0.1:8080",
        "127.0.0.2",
        "[::1]:8080",
        "skilltick.example.test",
        "skilltick.example.test.:443",
        "dev.localhost:8080",
    ],
)
def test_loopback_names_and_the_public_urls_host_are_answered(host: str) -> None:
    app = guarded(hello, listen_host="127.0.0.1", public_url=PUBLIC, demo=False)
    assert status_for(app, host) == (200, "hello")


@pytest.mark.parametrize(
    "host",
    [
        "rebind.evil.test:8080",
        "127.0.0.1.evil.test",
        "skilltick.example.test.evil.test",
        "localhost.evil.test",
        "10.0.0.5:8080",
        "",
    ],
)
def test_any_other_host_is_refused_in_one_line(host: str) -> None:
    app = guarded(hello, listen_host="localhost", public_url=PUBLIC, demo=False)
    status, text = status_for(app, host)
    assert status == 400 and "is not this service's" in text and "\n" not in text


def test_the_demo_is_guarded_on_any_address_and_a_deployment_is_left_to_its_proxy() -> None:
    demo = guarded(hello, listen_host="0.0.0.0", public_url="http://192.168.1.9:8080", demo=True)
    assert isinstance(demo, AllowedHosts)
    assert status_for(demo, "192.168.1.9:8080")[0] == 200
    assert status_for(demo, "rebind.evil.test")[0] == 400
    assert guarded(hello, listen_host="0.0.0.0", public_url=PUBLIC, demo=False) is hello
