"""Dashboard administration: the organisation's users (add, change role, remove), invitations
(send, see the link, revoke) and holiday calendar (add, remove) on the admin page, giving an
automation to a colleague from its page, its audit log (who changed what),
and the page an invitation link opens, where its recipient joins (once) and is signed in.

The pages are defined by build_router, which imports FastAPI; their annotations are evaluated
there (no postponed annotations), so FastAPI reads real types."""

from typing import TYPE_CHECKING, Annotated, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from assistant.http.dashboard.support import (
    CROSS_SITE_SIGN_IN,
    Page,
    audit_page,
    dashboard_route,
    form_body,
    path_id,
    query_cursor,
    same_origin,
    see_other,
    signed_in,
    templates,
)
from assistant.tools.plan_words import plan_words
from assistant.tools.toolset import Toolset
from models.errors import InvalidInput, PermissionDenied
from models.settings_integrations import SlackSettings

if TYPE_CHECKING:
    from fastapi import APIRouter


NOTICES = {
    "plan": "Plan saved.",
    "added": "User added.",
    "role": "Role changed.",
    "removed": "User removed; their automations are now yours, paused.",
    "handed": "User removed; their automations are now the chosen colleague's, paused.",
    "role_revoked": "Role changed; the tokens they made for colleagues are revoked.",
    "removed_revoked": "User removed; their automations are now yours, paused, and the tokens "
    "they made for colleagues are revoked.",
    "handed_revoked": "User removed; their automations are now the chosen colleague's, paused, "
    "and the tokens they made for colleagues are revoked.",
    "uninvited": "Invitation revoked.",
    "holiday": "Holiday added.",
    "unholiday": "Holiday removed.",
    "slack": "Slack workspace connected to the organisation.",
}


def admin_page(page: Page, *, notice: str | None = None, **extra: Any) -> HTMLResponse:
    if not page.actor.is_admin:
        raise PermissionDenied("Only admins can see the whole organisation.")
    tools = page.tools
    overview = tools.org_overview(page.actor)
    attention = [
        a
        for a in page.tools.list_automations_page(page.actor, limit=200).items
        if a.status == "failed" or a.consecutive_failures
    ]
    return page.render(
        "admin.html",
        overview=overview,
        attention=attention,
        users=page.tools.list_users(page.actor),
        invitations=page.tools.list_invitations(page.actor),
        holidays=page.tools.list_holidays(page.actor),
        system_jobs=page.tools.list_automations(page.actor, system=True),
        notice=NOTICES.get(notice or ""),
        plan=plan_words(tools.engine, tools.settings, page.actor.org_id, tools.clock()),
        slack_install=_slack_installs(page.tools.settings.slack),
        webhook_secret=(
            page.tools.webhook_signing_secret(page.actor).secret
            if page.tools.settings.webhooks.signing_secret
            else None
        ),
        **extra,
    )


def _slack_installs(settings: SlackSettings) -> bool:
    """Whether the Slack app installs through OAuth here (then the page offers it)."""
    return settings.enabled and settings.oauth


def build_router() -> "APIRouter":
    """The admin page and its forms, and the page an invitation link opens."""
    from fastapi import APIRouter, Path

    Id = Annotated[int, path_id()]
    Body = Annotated[bytes, form_body()]
    Secret = Annotated[str, Path(max_length=100)]
    Day = Annotated[str, Path(max_length=10)]
    Cursor = Annotated[int | None, query_cursor()]
    AutomationId = Annotated[int | None, query_cursor()]

    router = APIRouter(route_class=dashboard_route(), include_in_schema=False)

    @router.get("/admin", response_class=HTMLResponse)
    def admin(request: Request, notice: str | None = None) -> HTMLResponse:
        return admin_page(Page(request), notice=notice)

    @router.get("/admin/audit", response_class=HTMLResponse)
    def audit(
        request: Request, automation: AutomationId = None, cursor: Cursor = None
    ) -> HTMLResponse:
        """The organisation's audit log (admins), a page at a time."""
        page = Page(request)
        if not page.actor.is_admin:
            raise PermissionDenied("Only admins can see the organisation's audit log.")
        return audit_page(page, base="/admin/audit", automation=automation, cursor=cursor)

    @router.post("/admin/plan")
    def admin_plan(request: Request, body: Body) -> RedirectResponse:
        page = Page(request)
        page.tools.set_plan(page.actor, page.form(body).get("plan", ""))
        return see_other("/admin?notice=plan")

    @router.post("/admin/users", response_class=HTMLResponse, response_model=None)
    def add_user(request: Request, body: Body) -> HTMLResponse | RedirectResponse:
        page = Page(request)
        form = page.form(body)
        try:
            page.tools.add_user(
                page.actor,
                email=form.get("email", ""),
                name=form.get("name", ""),
                role=form.get("role", "member"),
            )
        except InvalidInput as exc:
            return admin_page(page, add_error=exc.message, add_values=form)
        return see_other("/admin?notice=added")

    @router.post("/admin/users/{user_id}/role")
    def change_role(request: Request, user_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        changed = page.tools.set_user_role(page.actor, user_id, page.form(body).get("role", ""))
        return see_other("/admin?notice=role" + ("_revoked" if changed.tokens_revoked else ""))

    @router.post("/admin/users/{user_id}/remove")
    def remove_user(request: Request, user_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        heir = page.form(body).get("heir") or None
        removed = page.tools.remove_user(page.actor, user_id, heir=heir)
        mine = removed.heir_email == page.actor.email
        revoked = "_revoked" if removed.tokens_revoked else ""
        return see_other("/admin?notice=" + ("removed" if mine else "handed") + revoked)

    @router.post("/automations/{automation_id}/owner")
    def give_automation(request: Request, automation_id: Id, body: Body) -> RedirectResponse:
        """Admins: the automation becomes the chosen colleague's."""
        page = Page(request)
        heir = page.form(body).get("owner_email", "")
        page.tools.update_automation(page.actor, automation_id, {"owner_email": heir})
        return see_other(f"/automations/{automation_id}")

    @router.post("/admin/holidays", response_class=HTMLResponse, response_model=None)
    def add_holiday(request: Request, body: Body) -> HTMLResponse | RedirectResponse:
        page = Page(request)
        form = page.form(body)
        try:
            page.tools.add_holiday(page.actor, form.get("day", ""), form.get("name", ""))
        except InvalidInput as exc:
            return admin_page(page, holiday_error=exc.message, holiday_values=form)
        return see_other("/admin?notice=holiday#holidays")

    @router.post("/admin/holidays/{day}/remove")
    def remove_holiday(request: Request, day: Day, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        page.tools.remove_holiday(page.actor, day)
        return see_other("/admin?notice=unholiday#holidays")

    @router.post("/admin/invitations", response_class=HTMLResponse)
    def invite(request: Request, body: Body) -> HTMLResponse:
        """The link is shown on this answer only (the table keeps its hash)."""
        page = Page(request)
        form = page.form(body)
        try:
            issued = page.tools.invite_user(
                page.actor,
                email=form.get("email", ""),
                name=form.get("name", ""),
                role=form.get("role", "member"),
            )
        except InvalidInput as exc:
            return admin_page(page, invite_error=exc.message, invite_values=form)
        return admin_page(page, issued=issued)

    @router.post("/admin/invitations/{invitation_id}/revoke")
    def revoke_invitation(request: Request, invitation_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        page.tools.revoke_invitation(page.actor, invitation_id)
        return see_other("/admin?notice=uninvited")

    @router.get("/invite/{secret}", response_class=HTMLResponse)
    def invitation(request: Request, secret: Secret) -> HTMLResponse:
        """What the link offers; joining takes a click (a POST), so a mail scanner that fetches
        the link does not use it up."""
        tools: Toolset = request.app.state.ctx.tools
        view, org_name = tools.invitation_for_link(secret)
        html = templates.get_template("invite.html").render(
            actor=None, path="/invite", invitation=view, org_name=org_name, secret=secret
        )
        return HTMLResponse(html)

    @router.post("/invite/{secret}")
    def accept_invitation(request: Request, secret: Secret) -> RedirectResponse:
        """Join: the invitation becomes a membership and this browser is signed in."""
        tools: Toolset = request.app.state.ctx.tools
        if not same_origin(request, tools.settings.triggers.public_url):
            raise PermissionDenied(CROSS_SITE_SIGN_IN)
        actor = tools.accept_invitation(secret)
        return signed_in(request, tools.start_dashboard_session(actor))

    return router
