"""The Host header a local `serve` answers (DNS rebinding): a page on another site can point
its own name at 127.0.0.1 and have the browser call the service on this machine as if it were
that site. Its requests then carry the other site's name in Host, so a service listening on
loopback (or a `--demo`) answers only loopback names (localhost, 127.x.y.z, ::1) and the host
of its public URL, and refuses any other with 400 in one line.

A pure ASGI wrapper around the whole app: lifespan messages pass through, and a request
without a Host header (HTTP/1.0, no browser) is let through."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from assistant.http.headers import ASGIApp, Receive, Scope, Send


def is_loopback(host: str) -> bool:
    """Whether a listen address or host name names this machine only."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a Host header, without its port: "[::1]:8080" → "::1"."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class AllowedHosts:
    """Refuses a request whose Host is neither a loopback name nor one of `names`."""

    def __init__(self, app: ASGIApp, names: Iterable[str]) -> None:
        self.app = app
        self.names = frozenset(n.strip("[]").lower().rstrip(".") for n in names if n)

    def allows(self, header: str) -> bool:
        name = host_name(header).rstrip(".")
        return is_loopback(name) or name in self.names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope.get("headers", []) if k == b"host"), None)
        if given is None or self.allows(given.decode("latin-1")):
            await self.app(scope, receive, send)
            return
        shown = given.decode("latin-1")[:100]
        body = json.dumps(
            {
                "error": {
                    "code": "bad_request",
                    "message": f"Host {shown!r} is not this service's: it answers its loopback "
                    "names and its public URL's host (SKILLTICK_PUBLIC_URL).",
                }
            }
        ).encode("utf-8")
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def guarded(app: ASGIApp, *, listen_host: str, public_url: str, demo: bool) -> ASGIApp:
    """The app as `serve` runs it: behind the Host check when it listens on loopback or
    serves the demo; as it is otherwise (a deployment's proxy names its hosts)."""
    if not (demo or is_loopback(listen_host)):
        return app
    names = [urlsplit(public_url).hostname or ""]
    if listen_host not in ("0.0.0.0", "::", ""):
        names.append(listen_host)
    return AllowedHosts(app, names)
