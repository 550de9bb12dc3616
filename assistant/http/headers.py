"""Headers every answer of the service carries, so that a browser treats its pages safely: no
other site may frame them (a hidden "Delete" button under a decoy), nothing is sniffed into a
type it was not sent as, a dashboard page runs only the service's own script, whatever text
an automation's name, a reminder or a candidate's data puts into it, and no cache keeps a page
or an answer (they carry candidates' data; a browser's Back after logging out shows nothing).
Over HTTPS, browsers are told to use HTTPS only (Strict-Transport-Security).

A pure ASGI middleware (it only adds headers as the response starts), so streamed answers (MCP
over HTTP) pass through untouched. A header a route set itself (the login page's
Referrer-Policy) is kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: the dashboard: its own script and style sheet only; inline style attributes stay allowed for
#: the HTML of a mail shown in the outbox (its sandboxed frame inherits this policy)
DASHBOARD_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-src 'self'; frame-ancestors 'none'"
)
#: the interactive API reference (/docs, /redoc) loads its viewer from a CDN with inline script
REFERENCE_POLICY = "frame-ancestors 'none'"
REFERENCE_PATHS = ("/docs", "/redoc")
#: the dashboard's script and style sheet: the same for everyone, cacheable
STATIC_PATHS = ("/static/",)
HSTS = b"max-age=31536000"

ALWAYS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def policy_for(path: str) -> str:
    if path.startswith(REFERENCE_PATHS):
        return REFERENCE_POLICY
    return DASHBOARD_POLICY


class SecurityHeaders:
    """Adds the headers above to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        added = [*ALWAYS, (b"content-security-policy", policy_for(path).encode())]
        if not path.startswith(STATIC_PATHS):
            added.append((b"cache-control", b"no-store"))
        if scope.get("scheme") == "https":  # as served, or as a trusted proxy says
            added.append((b"strict-transport-security", HSTS))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in added:
                    if name not in present:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
