"""Dashboard pages around the automations: login by link (a page that names whom the link signs
in, and a same-origin post of its button), the history of changes (the audit log as its viewer
may read it), runs with their per-action and
per-target rows, the local outbox of the embedded email default and the API tokens page (list,
create for yourself and revoke; revoking a token ends the sessions its login link opened). The admin page is in
admin_pages.

The pages are defined by build_router, which imports FastAPI; their annotations are evaluated
there (no postponed annotations), so FastAPI reads real types."""

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from assistant.http.dashboard.support import (
    CROSS_SITE_SIGN_IN,
    MAX_FORM_BYTES,
    SESSION_COOKIE,
    Page,
    audit_page,
    dashboard_route,
    form_body,
    no_referrer,
    path_id,
    query_cursor,
    same_origin,
    see_other,
    signed_in,
    templates,
    uncached,
)
from assistant.tools.toolset import Toolset
from models.errors import InvalidInput, PermissionDenied

if TYPE_CHECKING:
    from fastapi import APIRouter

#: the lifetimes the tokens page offers, in days (0: until revoked)
TOKEN_LIFETIMES = {"30 days": 30, "90 days": 90, "1 year": 365, "until revoked": 0}


def build_router() -> "APIRouter":
    """Login and logout, runs, the outbox, the inbox and the API tokens page."""
    from fastapi import APIRouter, Query

    Id = Annotated[int, path_id()]
    Cursor = Annotated[int | None, query_cursor()]
    AutomationId = Annotated[int | None, query_cursor()]
    Body = Annotated[bytes, form_body()]

    router = APIRouter(route_class=dashboard_route(), include_in_schema=False)

    @router.get("/login", response_class=HTMLResponse, response_model=None)
    def login(
        request: Request, token: Annotated[str | None, Query(max_length=200)] = None
    ) -> Response:
        """A login link carries an API token; opening it signs no one in (another site can make
        a browser open a link): it names whom it would sign in, and its button posts the token.
        The page takes the token out of the address bar as it loads (app.js), and sends no
        Referer, so neither history, a screenshot nor another site sees it."""
        tools: Toolset = request.app.state.ctx.tools
        offer = tools.login_offer(token) if token else None
        html = templates.get_template("login.html").render(
            actor=None, path="/login", offer=offer, token=token, failed=bool(token and not offer)
        )
        status = 401 if token and not offer else 200
        return no_referrer(uncached(HTMLResponse(html, status_code=status)))

    @router.post("/login", response_class=HTMLResponse, response_model=None)
    def sign_in(request: Request, body: Body) -> Response:
        """The login page's button: a session opens (HttpOnly cookie) only for a post from this
        service's own page, and the browser moves on to the start page, so no address it shows
        carries the token."""
        tools: Toolset = request.app.state.ctx.tools
        if not same_origin(request, tools.settings.triggers.public_url):
            raise PermissionDenied(CROSS_SITE_SIGN_IN)
        fields = parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace"))
        token = (fields.get("token") or [""])[-1][:200]
        actor = tools.actor_for_token(token) if token else None
        if actor is None:
            html = templates.get_template("login.html").render(
                actor=None, path="/login", offer=None, token=None, failed=True
            )
            return uncached(HTMLResponse(html, status_code=401))
        return signed_in(request, tools.start_dashboard_session(actor, token))

    @router.post("/logout")
    def logout(request: Request, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        page.tools.end_dashboard_session(page.secret)
        response = see_other("/login")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @router.get("/changes", response_class=HTMLResponse)
    def changes(
        request: Request, automation: AutomationId = None, cursor: Cursor = None
    ) -> HTMLResponse:
        """History of changes, a page at a time: who changed what on your automations, and
        what you changed (admins: the organisation's, as /admin/audit); `automation` keeps
        one automation's."""
        return audit_page(Page(request), base="/changes", automation=automation, cursor=cursor)

    @router.get("/runs/{run_id}", response_class=HTMLResponse)
    def run_detail(request: Request, run_id: Id, queued: bool = False) -> HTMLResponse:
        page = Page(request)
        run = page.tools.get_run(page.actor, run_id)
        view = page.tools.get_automation(page.actor, run.automation_id)
        may_change = page.actor.is_admin or (
            not view.system and view.owner_email == page.actor.email
        )
        return page.render(
            "run.html",
            run=run,
            view=view,
            queued=queued,
            may_change=may_change,
            whose=page.owner_name(view.owner_email),
        )

    @router.post("/runs/{run_id}/retry")
    def retry_run(request: Request, run_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        run = page.tools.retry(page.actor, run_id)
        return see_other(f"/runs/{run.id}?queued=1")

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
    def inbox(
        request: Request,
        unread: bool = False,
        notice: Annotated[str | None, Query(max_length=20)] = None,
        marked: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    ) -> HTMLResponse:
        """Your in-app messages (automations whose output is in_app), newest first."""
        page = Page(request)
        items = page.tools.list_inbox(page.actor, unread_only=unread, limit=200)
        said = {
            "unread": "Marked as unread.",
            "read": "Nothing was unread."
            if not marked
            else f"Marked {marked} message{'' if marked == 1 else 's'} as read.",
        }
        return page.render(
            "inbox.html", items=items, unread_only=unread, notice=said.get(notice or "")
        )

    @router.get("/inbox/{message_id}", response_class=HTMLResponse)
    def inbox_message(request: Request, message_id: Id) -> HTMLResponse:
        page = Page(request)
        return page.render(
            "inbox_message.html", message=page.tools.read_inbox(page.actor, message_id)
        )

    @router.post("/inbox/{message_id}/unread")
    def mark_unread(request: Request, message_id: Id, body: Body) -> RedirectResponse:
        """Back to unread, and back to the list (opening it again would read it)."""
        page = Page(request)
        page.form(body)
        page.tools.mark_inbox_unread(page.actor, message_id)
        return see_other("/inbox?notice=unread")

    @router.post("/inbox/read")
    def mark_all_read(request: Request, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        marked = page.tools.mark_inbox_read(page.actor)
        return see_other(f"/inbox?notice=read&marked={marked}")

    @router.get("/tokens", response_class=HTMLResponse)
    def tokens(request: Request, notice: str | None = None) -> HTMLResponse:
        page = Page(request)
        return page.render(
            "tokens.html",
            tokens=page.tools.list_api_tokens(page.actor),
            lifetimes=TOKEN_LIFETIMES,
            notice="Token revoked." if notice == "revoked" else None,
        )

    @router.post("/tokens", response_class=HTMLResponse)
    def create_token(request: Request, body: Body) -> Response:
        """A token for the signed-in user; its secret is on this answer only."""
        page = Page(request)
        form = page.form(body)
        issued, error = None, None
        try:
            days = TOKEN_LIFETIMES.get(form.get("expires", ""), 90)
            issued = page.tools.create_api_token(
                page.actor,
                name=form.get("name", "") or "API",
                expires_in=timedelta(days=days) if days else None,
            )
        except InvalidInput as exc:
            error = exc.message
        shown = page.render(
            "tokens.html",
            tokens=page.tools.list_api_tokens(page.actor),
            lifetimes=TOKEN_LIFETIMES,
            issued=issued,
            token_error=error,
            token_values=form,
            status_code=422 if error else 201,
        )
        return uncached(shown)  # the secret is on this page: no cache keeps it

    @router.post("/tokens/{token_id}/revoke")
    def revoke_token(request: Request, token_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        page.tools.revoke_api_token(page.actor, token_id)
        return see_other("/tokens?notice=revoked")

    return router
