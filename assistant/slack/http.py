"""Slack Events API, interactivity and slash commands at POST /slack/events, when
SKILLTICK_SLACK_SIGNING_SECRET and SKILLTICK_SLACK_BOT_TOKEN are set. Bolt verifies each
request's signature (and refuses stale timestamps) and acknowledges within 3 seconds; the work
runs in its lazy listeners (assistant.slack.bot)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from starlette.concurrency import run_in_threadpool

from assistant.app import AppContext
from assistant.slack.bot import SlackSettings, build_slack_app

PATH = "/slack/events"


def mount(app: FastAPI, bolt: App) -> None:
    """Serve `bolt` at /slack/events; dispatch runs off the event loop (it may call the DB)."""

    @app.post(PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        bolt_response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)


def install(
    app: FastAPI,
    ctx: AppContext,
    *,
    settings: SlackSettings | None = None,
    client: WebClient | None = None,
) -> None:
    """Add this surface's routes to the app (nothing when Slack is not configured)."""
    settings = settings or SlackSettings()
    if settings.enabled:
        mount(app, build_slack_app(ctx, settings, client))
