"""The FastAPI app factory: each surface (ops endpoints, REST API, dashboard, ATS webhooks,
Slack, MCP) installs its routes from its own module, so each stays a thin adapter over the
tool set. FastAPI is imported when an app is created, never with this package, which every
command line start loads."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match

from assistant.app import AppContext
from assistant.http import admin_api, api, api_skips, api_words, audit_api, ops, webhooks
from assistant.http.api_edge import error_response
from assistant.http.body_limit import BodyLimit
from assistant.http.dashboard import routes as dashboard
from assistant.http.dashboard.support import templates
from assistant.http.headers import SecurityHeaders
from assistant.mcp import http as mcp_http
from assistant.slack import http as slack
from models.errors import StoreUnavailable
from models.store.health import unavailable

if TYPE_CHECKING:
    from fastapi import FastAPI


class SecretsHidden(logging.Filter):
    """The access log keeps no secret that an address carries: a login link's token, an
    invitation link's secret, the code and state Slack's install sends back."""

    SECRET = re.compile(
        r"(?:(?<=[?&]token=)|(?<=[?&]code=)|(?<=[?&]state=))[^&\s]+|(?<=/invite/)[^/?\s]+"
    )

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self.SECRET.sub("[hidden]", a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = self.SECRET.sub("[hidden]", record.msg)
        return True


def create_app(ctx: AppContext) -> FastAPI:
    from fastapi import FastAPI

    app = FastAPI(
        title="skilltick",
        version="0.1.0",
        description="Recruiting automations from plain words: REST API of the skilltick tool set.",
    )
    app.state.ctx = ctx
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, SecretsHidden) for f in access_log.filters):
        access_log.addFilter(SecretsHidden())
    for surface in (
        ops,
        api,
        api_words,
        api_skips,
        admin_api,
        audit_api,
        dashboard,
        webhooks,
        slack,
        mcp_http,
    ):
        surface.install(app, ctx)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # the last added is outermost: on every answer
    app.add_exception_handler(StoreUnavailable, _store_fault)
    app.add_exception_handler(SQLAlchemyError, _store_fault)
    app.add_exception_handler(HTTPException, _no_such_route)
    return app


#: where programs call: their refusals are the JSON error envelope, never a bare `detail`
PROGRAM_PATHS = ("/api/", "/webhooks/", "/cron/", "/slack/", "/mcp")


async def _no_such_route(request: Request, exc: Exception) -> Response:
    """A path no route has, or a method a path does not take (routes answer their own
    refusals): the API's envelope for programs, the dashboard's error page for browsers."""
    assert isinstance(exc, HTTPException)
    path, method = request.url.path, request.method
    headers = exc.headers
    if exc.status_code == 405:
        allowed = ", ".join(_methods_of(request))
        headers = {"Allow": allowed}
        code, message = "method_not_allowed", f"{path} does not take {method}; it takes {allowed}."
    elif exc.status_code == 404:
        code, message = (
            "not_found",
            f"No such endpoint: {method} {path}. The API is listed at /docs.",
        )
    else:
        code, message = "bad_request", str(exc.detail)
    if (
        path == "/api"
        or path.startswith(PROGRAM_PATHS)
        or "html" not in request.headers.get("accept", "")
    ):
        body = {"error": {"code": code, "message": message}}
        return JSONResponse(body, status_code=exc.status_code, headers=headers)
    if exc.status_code == 404:
        message = f"There is no page at {path}."
    html = templates.get_template("error.html").render(
        actor=None, message=message, status=exc.status_code, path=path
    )
    return HTMLResponse(html, status_code=exc.status_code, headers=headers)


def _methods_of(request: Request) -> list[str]:
    """Every method some route takes at this path (Starlette's Allow names only the first
    route's, and GET and POST on one path are two routes)."""
    routes = request.app.router.routes
    return [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


async def _store_fault(_request: Request, exc: Exception) -> JSONResponse:
    """Any surface (webhooks, Slack, MCP) whose store fails: the JSON error envelope, 503
    when the database cannot take requests now, 500 otherwise, never a bare text page."""
    fault = unavailable(exc)
    if fault is not None:
        return error_response(fault)
    body = {"error": {"code": "internal_error", "message": "An unexpected database error."}}
    return JSONResponse(body, status_code=500)
