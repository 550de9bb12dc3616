"""The FastAPI app factory: each surface (ops endpoints, REST API, dashboard, ATS webhooks,
Slack, MCP) installs its routes from its own module, so each stays a thin adapter over the
tool set. FastAPI is imported when an app is created, never with this package, which every
command line start loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from assistant.app import AppContext
from assistant.http import admin_api, api, api_words, ops, webhooks
from assistant.http.api_edge import error_response
from assistant.http.dashboard import routes as dashboard
from assistant.mcp import http as mcp_http
from assistant.slack import http as slack
from models.errors import StoreUnavailable
from models.store.health import unavailable

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(ctx: AppContext) -> FastAPI:
    from fastapi import FastAPI

    app = FastAPI(
        title="skilltick",
        version="0.1.0",
        description="Recruiting automations from plain words: REST API of the skilltick tool set.",
    )
    app.state.ctx = ctx
    for surface in (ops, api, api_words, admin_api, dashboard, webhooks, slack, mcp_http):
        surface.install(app, ctx)
    app.add_exception_handler(StoreUnavailable, _store_fault)
    app.add_exception_handler(SQLAlchemyError, _store_fault)
    return app


async def _store_fault(_request: Request, exc: Exception) -> JSONResponse:
    """Any surface (webhooks, Slack, MCP) whose store fails: the JSON error envelope, 503
    when the database cannot take requests now, 500 otherwise, never a bare text page."""
    fault = unavailable(exc)
    if fault is not None:
        return error_response(fault)
    body = {"error": {"code": "internal_error", "message": "An unexpected database error."}}
    return JSONResponse(body, status_code=500)
