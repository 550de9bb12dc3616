"""MCP over streamable HTTP, served by the service at /mcp. Each request must carry
`Authorization: Bearer <API token>` (the service's api_tokens, `skilltick tokens create`); tools
act as that token's user, inside their organisation.

The MCP SDK and Starlette are imported by the functions that use them, not with this module,
which every command line start loads."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from assistant.app import AppContext
from assistant.mcp.server import build_server
from assistant.tools.toolset import Actor
from models.store.access import user_for_token

if TYPE_CHECKING:
    from fastapi import FastAPI
    from mcp.server.mcpserver import Context
    from starlette.types import ASGIApp, Receive, Scope, Send

PATH = "/mcp"


def _bearer(headers: Any) -> str | None:
    value = headers.get("authorization") if headers is not None else None
    if not value or not value.lower().startswith("bearer "):
        return None
    return str(value[7:].strip()) or None


def http_actor(ctx: AppContext) -> Any:
    from mcp.server.mcpserver.exceptions import ToolError

    def actor_of(request: Context | None) -> Actor:
        secret = _bearer(request.headers if request is not None else None)
        user = user_for_token(ctx.engine, secret, ctx.tools.clock()) if secret else None
        if user is None:
            raise ToolError("Send a valid API token as 'Authorization: Bearer <token>'.")
        return Actor.of(user)

    return actor_of


class _RequireToken:
    """Refuse a request without a valid token before it reaches the MCP session (401)."""

    def __init__(self, app: ASGIApp, ctx: AppContext) -> None:
        self.app, self.ctx = app, ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        secret = _bearer(headers)
        if (
            secret is None
            or user_for_token(self.ctx.engine, secret, self.ctx.tools.clock()) is None
        ):
            body = json.dumps(
                {
                    "error": {
                        "code": "unauthenticated",
                        "message": "Send a valid API token as 'Authorization: Bearer <token>'.",
                    }
                }
            ).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"www-authenticate", b'Bearer realm="skilltick"'),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def install(app: FastAPI, ctx: AppContext) -> None:
    """Add POST/GET /mcp and run the MCP session manager with the app."""
    from mcp.server.transport_security import TransportSecuritySettings
    from starlette.routing import Route

    server = build_server(ctx.tools, http_actor(ctx))
    # a token, not the Host header, authenticates each request; deployments use real host names
    security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    mcp_app = server.streamable_http_app(
        streamable_http_path=PATH,
        stateless_http=True,
        json_response=True,
        transport_security=security,
    )
    for route in mcp_app.routes:
        if isinstance(route, Route) and route.path == PATH:
            app.router.routes.append(
                Route(
                    PATH, endpoint=_RequireToken(route.app, ctx), methods=["GET", "POST", "DELETE"]
                )
            )
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with server.session_manager.run(), previous(application) as state:
            yield state

    app.router.lifespan_context = lifespan
