"""The FastAPI app factory: each surface (ops endpoints, REST API, dashboard, ATS webhooks,
Slack, MCP) installs its routes from its own module, so each stays a thin adapter over the
tool set."""

from __future__ import annotations

from fastapi import FastAPI

from assistant.app import AppContext
from assistant.http import api, ops, webhooks
from assistant.http.dashboard import routes as dashboard
from assistant.mcp import http as mcp_http
from assistant.slack import http as slack


def create_app(ctx: AppContext) -> FastAPI:

    app = FastAPI(
        title="skilltick",
        version="0.1.0",
        description="Recruiting automations from plain words: REST API of the skilltick tool set.",
    )
    app.state.ctx = ctx
    for surface in (ops, api, dashboard, webhooks, slack, mcp_http):
        surface.install(app, ctx)
    return app
