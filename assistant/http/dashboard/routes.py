"""Server-rendered dashboard: the automations list, create and edit forms, pause and
resume, run now, test with a preview, and each automation's run history as an accordion.
Login, runs, the outbox and the admin view are in dashboard_pages; every asset is local.

The pages are defined by _router, which imports FastAPI; their annotations are evaluated there
(no postponed annotations), so FastAPI reads real types."""

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from assistant.app import AppContext
from assistant.conversation import ConversationEngine, Reply, Turn
from assistant.conversation.reply import STALE_CHOICE, question_of
from assistant.http.dashboard import admin_pages, skip_pages
from assistant.http.dashboard import pages as dashboard_pages
from assistant.http.dashboard.forms import (
    FILTER_KEYS,
    changes_from_form,
    form_values,
    pause_end,
    spec_from_form,
)
from assistant.http.dashboard.support import (
    STATIC,
    Page,
    dashboard_route,
    explain_not_fired,
    form_body,
    path_id,
    query_cursor,
    see_other,
)
from assistant.http.dashboard.words import does, sends, workflow_steps
from assistant.language.draft import event_words
from assistant.tools.holiday_words import holidays_sentence
from assistant.tools.views import RunView
from models.errors import InvalidInput, NotFound
from models.tables.automations import (
    MISFIRE_POLICIES,
    OUTPUT_CHANNELS,
    OVERLAP_POLICIES,
)
from worker.triggers.canonical import CANONICAL_TYPES

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

PAGE_SIZE = 50


def _form_page(
    page: Page,
    *,
    values: dict[str, str],
    error: str | None = None,
    automation_id: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page.render(
        "form.html",
        status_code=status_code,
        values=values,
        error=error,
        automation_id=automation_id,
        skills=page.tools.list_skills(),
        event_types=[(e, event_words(e, {})) for e in CANONICAL_TYPES],
        channels=[c for c in OUTPUT_CHANNELS if c != "noop"],
        misfire_policies=MISFIRE_POLICIES,
        overlap_policies=OVERLAP_POLICIES,
        filter_keys=FILTER_KEYS,
        sentence_tool=sentence_tool(page),
    )


def web_key(page: Page) -> str:
    """The dashboard session's conversation (the cookie itself is never stored)."""
    return "web:" + hashlib.sha256(page.secret.encode()).hexdigest()[:32]


def sentence_tool(page: Page) -> str | None:
    """The assistant's draft tool, when this build has it (creating from a sentence)."""
    return "draft_automation" if callable(getattr(page.tools, "draft_automation", None)) else None


def _detail(
    page: Page,
    automation_id: int,
    *,
    cursor: int | None = None,
    notice: str | None = None,
    preview: RunView | None = None,
    pause_error: str | None = None,
    until: str = "",
) -> HTMLResponse:
    """The automation's page; `pause_error` and `until`: a refused pause's message, shown on
    its form with the date as typed."""
    view = page.tools.get_automation(page.actor, automation_id)
    runs = page.tools.list_runs_page(page.actor, automation_id, cursor=cursor, limit=20)
    why: list[str] = []
    if cursor is None:
        if callable(getattr(page.tools, "why", None)):  # the assistant's answer, as in Slack
            why = [page.tools.why(page.actor, automation_id).answer]
        else:
            why = explain_not_fired(view, runs.items, page.tools.clock(), page.zone)
    return page.render(
        "automation.html",
        view=view,
        action=does(view, page.tools.registry.specs(), page.actor.email),
        steps=workflow_steps(view, page.actor.email),
        output=sends(view, page.actor.email),
        holidays=holidays_sentence(view),
        first_day=(page.tools.clock().astimezone(ZoneInfo(page.zone)).date() + timedelta(days=1)),
        runs=runs,
        cursor=cursor,
        why=why,
        notice=notice,
        preview=preview,
        pause_error=pause_error,
        until=until,
        whose=page.owner_name(view.owner_email),
        # whom an admin may give it to
        colleagues=(
            [u.email for u in page.tools.list_users(page.actor) if u.email != view.owner_email]
            if page.actor.is_admin and not view.system
            else []
        ),
        status_code=422 if pause_error else 200,
    )


def _toggle(page: Page, automation_id: int, until: str) -> HTMLResponse | None:
    """Pause or resume; with `until`, a pause that ends by itself at the start of that day.
    A refusal (a day gone by, not a date) is said on the automation's page by its form, the
    day kept as typed and nothing changed."""
    if until:
        try:
            page.tools.pause(page.actor, automation_id, until=pause_end(until, page.zone))
        except InvalidInput as exc:
            return _detail(page, automation_id, pause_error=exc.message, until=until[:40])
    elif page.tools.get_automation(page.actor, automation_id).enabled:
        page.tools.pause(page.actor, automation_id)
    else:
        page.tools.resume(page.actor, automation_id)
    return None


def _back(back: str, otherwise: str) -> str:
    """Where a form returns to: a page of this site it names, else `otherwise`."""
    return back if back.startswith("/") and not back.startswith("//") else otherwise


def _say(page: Page, sentence: str, asked: str | None) -> HTMLResponse:
    """The conversation's answer to `sentence`, whose choices name the question they answer
    (`asked`): a choice from an older page (another tab, the back button) would answer the
    question asked since, so it is refused and nothing is said."""
    key = web_key(page)
    engine = ConversationEngine(page.tools)
    if asked and asked != question_of(engine.state(page.actor, key)):
        stale = Reply(STALE_CHOICE, kind="error")
        return page.render("draft.html", reply=stale, sentence=sentence, asked=None)
    turn = Turn(page.actor, key, origin={"channel": "email", "via": "dashboard"})
    reply = engine.handle(turn, sentence[:1000])
    now_asked = question_of(engine.state(page.actor, key)) if reply.choices else None
    return page.render("draft.html", reply=reply, sentence=sentence, asked=now_asked)


def _router() -> "APIRouter":
    """The automations list, forms, actions and history."""
    from fastapi import APIRouter, Query

    Id = Annotated[int, path_id()]
    Cursor = Annotated[int | None, query_cursor()]
    Body = Annotated[bytes, form_body()]

    router = APIRouter(route_class=dashboard_route(), include_in_schema=False)

    @router.post("/automations/draft", response_class=HTMLResponse)
    def draft_from_sentence(request: Request, body: Body) -> HTMLResponse:
        """The same conversation as Slack: what it understood, or its question, then a confirm;
        short answers ("8am", "yes") continue it."""
        page = Page(request)
        sentence = page.form(body).get("sentence", "").strip()
        if not sentence:
            raise InvalidInput(
                "Say what you want automated, e.g. “Every Monday at 9am, send me "
                "a summary of my pipeline”."
            )
        return _say(page, sentence, page.form(body).get("asked"))

    @router.post("/automations/draft/{draft_id}/confirm")
    def confirm_sentence(request: Request, draft_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        view = page.tools.confirm_draft(page.actor, draft_id)
        ConversationEngine(page.tools).settle_draft(page.actor, web_key(page), draft_id, view.id)
        return see_other(f"/automations/{view.id}?created=1")

    @router.get("/", response_class=HTMLResponse)
    def automations_list(
        request: Request,
        cursor: Cursor = None,
        scope: Annotated[str | None, Query(pattern="^(mine|all|system)$")] = None,
        q: Annotated[str, Query(max_length=200)] = "",
    ) -> HTMLResponse:
        page = Page(request)
        everyone = None if scope in (None, "system") else scope == "all"
        listing = page.tools.list_automations_page(
            page.actor,
            cursor=cursor,
            limit=PAGE_SIZE,
            everyone=everyone,
            system=scope == "system",
            name_has=q,
        )
        specs = page.tools.registry.specs()
        words = {
            a.id: {"does": does(a, specs, page.actor.email), "sends": sends(a, page.actor.email)}
            for a in listing.items
        }
        kept = {k: v for k, v in (("scope", scope), ("q", q.strip())) if v}
        later = {**kept, "cursor": listing.next_cursor}
        return page.render(
            "list.html",
            listing=listing,
            scope=scope,
            cursor=cursor,
            words=words,
            q=q.strip(),
            first_page="/" + (f"?{urlencode(kept)}" if kept else ""),
            next_page=f"/?{urlencode(later)}" if listing.next_cursor else None,
        )

    @router.get("/automations/new", response_class=HTMLResponse)
    def new_automation(request: Request) -> HTMLResponse:
        page = Page(request)
        return _form_page(
            page,
            values={
                # the example the form's fields show: a weekly pipeline report to yourself
                # (no period: a report's follows its schedule, so a daily cron makes it daily)
                "skill": "pipeline-report",
                "params": "",
                "trigger_type": "cron",
                "cron": "0 9 * * MON",
                "to": "me",
                "output_channel": "email",
            },
        )

    @router.post("/automations/new", response_class=HTMLResponse, response_model=None)
    def create_automation(request: Request, body: Body) -> HTMLResponse | RedirectResponse:
        page = Page(request)
        form = page.form(body)
        try:
            view = page.tools.create_automation(page.actor, spec_from_form(form))
        except InvalidInput as exc:
            return _form_page(page, values=form, error=exc.message, status_code=422)
        return see_other(f"/automations/{view.id}?created=1")

    @router.get("/automations/{automation_id}", response_class=HTMLResponse)
    def automation_detail(
        request: Request, automation_id: Id, cursor: Cursor = None, created: bool = False
    ) -> HTMLResponse:
        page = Page(request)
        try:
            return _detail(
                page, automation_id, cursor=cursor, notice="Created." if created else None
            )
        except NotFound:
            # a link from an email or a bookmark to one since deleted: its history remains
            if not page.tools.list_audit(page.actor, automation_id=automation_id, limit=1).items:
                raise
            return page.render(
                "error.html",
                404,
                message=f"Automation #{automation_id} was deleted; its history of changes remains.",
                status=404,
                history=f"/changes?automation={automation_id}",
            )

    @router.get("/automations/{automation_id}/edit", response_class=HTMLResponse)
    def edit_automation(request: Request, automation_id: Id) -> HTMLResponse:
        page = Page(request)
        auto = page.tools.automation_record(page.actor, automation_id)
        return _form_page(page, values=form_values(auto), automation_id=automation_id)

    @router.post(
        "/automations/{automation_id}/edit", response_class=HTMLResponse, response_model=None
    )
    def save_automation(
        request: Request, automation_id: Id, body: Body
    ) -> HTMLResponse | RedirectResponse:
        page = Page(request)
        form = page.form(body)
        auto = page.tools.automation_record(page.actor, automation_id)
        try:
            changes = changes_from_form(form, auto)
            if changes:
                page.tools.update_automation(page.actor, automation_id, changes)
        except InvalidInput as exc:
            values = {**form, "trigger_type": auto.trigger_type}
            return _form_page(
                page, values=values, error=exc.message, automation_id=automation_id, status_code=422
            )
        return see_other(f"/automations/{automation_id}")

    @router.post(
        "/automations/{automation_id}/toggle", response_class=HTMLResponse, response_model=None
    )
    def toggle_automation(
        request: Request, automation_id: Id, body: Body
    ) -> HTMLResponse | RedirectResponse:
        page = Page(request)
        form = page.form(body)
        refused = _toggle(page, automation_id, form.get("until", "").strip())
        return refused or see_other(_back(form.get("back", ""), f"/automations/{automation_id}"))

    @router.post("/automations/{automation_id}/run")
    def run_automation(request: Request, automation_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        run = page.tools.run_now(page.actor, automation_id)
        return see_other(f"/runs/{run.id}?queued=1")

    @router.post("/automations/{automation_id}/test", response_class=HTMLResponse)
    def test_automation(request: Request, automation_id: Id, body: Body) -> HTMLResponse:
        page = Page(request)
        page.form(body)
        preview = page.tools.test(page.actor, automation_id)
        return _detail(
            page,
            automation_id,
            preview=preview,
            notice="Test run: the output below was sent to nobody.",
        )

    @router.post("/automations/{automation_id}/clear")
    def clear_history(request: Request, automation_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        page.form(body)
        page.tools.clear_history(page.actor, automation_id)
        return see_other(f"/automations/{automation_id}")

    @router.post("/automations/{automation_id}/delete")
    def delete_automation(request: Request, automation_id: Id, body: Body) -> RedirectResponse:
        page = Page(request)
        form = page.form(body)
        page.tools.delete(page.actor, automation_id, confirm=form.get("confirm") == "yes")
        return see_other("/")

    return router


def install(app: "FastAPI", ctx: AppContext) -> None:
    """Add the dashboard's pages and its local static assets."""
    from starlette.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(dashboard_pages.build_router())
    app.include_router(admin_pages.build_router())
    app.include_router(skip_pages.build_router())
    app.include_router(_router())
