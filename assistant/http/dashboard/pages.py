"""Dashboard pages around the automations: login by link, runs with their per-action and
per-target rows, the local outbox of the embedded email default and the API tokens page (list
and revoke; revoking a token ends the sessions its login link opened). The admin page is in
admin_pages.

The pages are defined by build_router, which imports FastAPI; their annotations are evaluated
there (no postponed annotations), so FastAPI reads real types."""

from typing import TYPE_CHECKING, Annotated

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from assistant.http.dashboard.support import (
    SESSION_COOKIE,
    Page,
    dashboard_route,
    form_body,
    path_id,
    query_cursor,
    see_other,
    signed_in,
    templates,
)
from assistant.tools.toolset import Toolset

if TYPE_CHECKING:
    from fastapi import APIRouter


def build_router() -> "APIRouter":
    """Login and logout, runs, the outbox, the inbox and the API tokens page."""
    from fastapi import APIRouter, Query

    Id = Annotated[int, path_id()]
    Cursor = Annotated[int | None, query_cursor()]
    Body = Annotated[bytes, form_body()]

    router = APIRouter(route_class=dashboard_route(), include_in_schema=False)

    @router.get("/login", response_class=HTMLResponse, response_model=None)
    def login(
        request: Request, token: Annotated[str | None, Query(max_length=200)] = None
    ) -> HTMLResponse | RedirectResponse:
        """A login link carries an API token: it opens a session (HttpOnly cookie) and the browser
        moves on at once, so the token does not stay in the address bar."""
        tools: Toolset = request.app.state.ctx.tools
        actor = tools.actor_for_token(token) if token else None
        if actor is None:
            html = templates.get_template("login.html").render(
                actor=None, path="/login", failed=token is not None
            )
            return HTMLResponse(html, status_code=401 if token else 200)
        return signed_in(tools, tools.start_dashboard_session(actor, token))

    @router.post("/logout")
    def logout(request: Request, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        page.tools.end_dashboard_session(page.secret)
        response = see_other("/login")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @router.get("/runs/{run_id}", response_class=HTMLResponse)
    def run_detail(request: Request, run_id: Id, queued: bool = False) -> HTMLResponse:
        page = Page(request)
        run = page.tools.get_run(page.actor, run_id)
        view = page.tools.get_automation(page.actor, run.automation_id)
        return page.render("run.html", run=run, view=view, queued=queued)

    @router.get("/runs/{run_id}/rows", response_class=HTMLResponse)
    def run_rows(request: Request, run_id: Id) -> HTMLResponse:
        """The per-action and per-target tables alone (the history accordion loads them)."""
        page = Page(request)
        return page.render("run_rows.html", run=page.tools.get_run(page.actor, run_id))

    @router.get("/outbox", response_class=HTMLResponse)
    def outbox(request: Request, cursor: Cursor = None) -> HTMLResponse:
        page = Page(request)
        listing = page.tools.list_outbox(page.actor, cursor=cursor, limit=50)
        return page.render("outbox.html", listing=listing, cursor=cursor)

    @router.get("/outbox/{message_id}", response_class=HTMLResponse)
    def outbox_message(request: Request, message_id: Id) -> HTMLResponse:
        page = Page(request)
        return page.render(
            "outbox_message.html", message=page.tools.get_outbox_message(page.actor, message_id)
        )

    @router.get("/inbox", response_class=HTMLResponse)
    def inbox(request: Request, unread: bool = False) -> HTMLResponse:
        """Your in-app messages (automations whose output is in_app), newest first."""
        page = Page(request)
        items = page.tools.list_inbox(page.actor, unread_only=unread, limit=200)
        return page.render("inbox.html", items=items, unread=unread)

    @router.get("/inbox/{message_id}", response_class=HTMLResponse)
    def inbox_message(request: Request, message_id: Id) -> HTMLResponse:
        page = Page(request)
        return page.render(
            "inbox_message.html", message=page.tools.read_inbox(page.actor, message_id)
        )

    @router.get("/tokens", response_class=HTMLResponse)
    def tokens(request: Request, notice: str | None = None) -> HTMLResponse:
        page = Page(request)
        return page.render(
            "tokens.html",
            tokens=page.tools.list_api_tokens(page.actor),
            notice="Token revoked." if notice == "revoked" else None,
        )

    @router.post("/tokens/{token_id}/revoke")
    def revoke_token(request: Request, token_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        page.tools.revoke_api_token(page.actor, token_id)
        return see_other("/tokens?notice=revoked")

    return router
