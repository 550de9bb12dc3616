"""Slack Events API, interactivity and slash commands at POST /slack/events, when
SKILLTICK_SLACK_SIGNING_SECRET and SKILLTICK_SLACK_BOT_TOKEN are set. Bolt verifies each
request's signature (and refuses stale timestamps) and acknowledges within 3 seconds; the work
runs in its lazy listeners (assistant.slack.bot). With SKILLTICK_SLACK_CLIENT_ID and
_CLIENT_SECRET, bolt's OAuth flow installs the app in many workspaces (assistant.slack.oauth).
FastAPI and the Slack SDKs are imported by the functions mounting the routes, not with this
module, which every command line start loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from assistant.app import AppContext
from assistant.http.api_edge import NESTED_TOO_DEEP
from assistant.http.dashboard.support import LoginRequired, Page, see_other, templates
from assistant.slack import oauth
from assistant.slack.bot import build_slack_app
from models.settings_integrations import SlackSettings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from slack_bolt import App
    from slack_sdk import WebClient

PATH = "/slack/events"


def mount(app: FastAPI, bolt: App) -> None:
    """Serve `bolt` at /slack/events; dispatch runs off the event loop (it may call the DB)."""
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response

    @app.post(PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        try:
            # bolt parses the body here, before it checks the signature
            incoming = to_bolt_request(request, body)
        except RecursionError:
            return JSONResponse(
                {"error": {"code": "malformed_body", "message": NESTED_TOO_DEEP}}, status_code=400
            )
        bolt_response = await run_in_threadpool(bolt.dispatch, incoming)
        return to_starlette_response(bolt_response)


def mount_oauth(app: FastAPI, bolt: App) -> None:
    """Bolt's OAuth flow at /slack/install (an organisation admin, signed in to the dashboard,
    starts it) and /slack/oauth_redirect (where Slack sends the browser back)."""
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response

    flow = bolt.oauth_flow
    if flow is None:
        return
    states = flow.settings.state_store

    @app.get(oauth.INSTALL_PATH, include_in_schema=False)
    def slack_install(request: Request) -> Response:
        try:
            page = Page(request)
        except LoginRequired:
            return see_other("/login")
        if not page.actor.is_admin:
            html = templates.get_template("error.html").render(
                actor=page.actor,
                message="Only admins can connect Slack to the organisation.",
                status=403,
                path=request.url.path,
            )
            return HTMLResponse(html, status_code=403)
        oauth.installing_org.set(page.actor.org_id)
        return to_starlette_response(flow.handle_installation(to_bolt_request(request, b"")))

    @app.get(oauth.REDIRECT_PATH, include_in_schema=False)
    def slack_oauth_redirect(request: Request) -> Response:
        state = request.query_params.get("state", "")
        if isinstance(states, oauth.OrgStateStore):
            org_id = states.org_of(state)
            oauth.installing_org.set(org_id)
            oauth.installing_user.set(_signed_in_admin(request, org_id))
        return to_starlette_response(flow.handle_callback(to_bolt_request(request, b"")))


def _signed_in_admin(request: Request, org_id: int | None) -> int | None:
    """The admin of `org_id` whose dashboard session this browser has, if any: the audit log
    names them as who connected the workspace."""
    try:
        actor = Page(request).actor
    except LoginRequired:
        return None
    return actor.user_id if actor.is_admin and actor.org_id == org_id else None


def install(
    app: FastAPI,
    ctx: AppContext,
    *,
    settings: SlackSettings | None = None,
    client: WebClient | None = None,
) -> None:
    """Add this surface's routes to the app (nothing when Slack is not configured)."""
    settings = settings or ctx.settings.slack
    if settings.enabled:
        bolt = build_slack_app(ctx, settings, client)
        mount(app, bolt)
        mount_oauth(app, bolt)
