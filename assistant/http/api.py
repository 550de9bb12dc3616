"""REST API under /api: a thin adapter over the tool set, so permissions and scope are
exactly those of the CLI, Slack and MCP. Authenticate with `Authorization: Bearer <token>`.

The endpoints are defined by the router factories, which import FastAPI; their annotations are
evaluated there (no postponed annotations), so FastAPI reads real types."""

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from assistant.app import AppContext
from assistant.http.api_edge import (
    ERROR_RESPONSES,
    AutomationCreate,
    Deleted,
    PlanRequest,
    ToggleRequest,
    TokenRequest,
    api_route,
    caller,
    record_id,
    tools,
)
from assistant.tools.changes import AutomationChanges
from assistant.tools.events import EventView
from assistant.tools.service_views import (
    ApiTokenView,
    AutomationPage,
    IssuedToken,
    OrgView,
    RunPage,
)
from assistant.tools.skills import InboxItem, InboxMessageView, param_range
from assistant.tools.toolset import Actor
from assistant.tools.views import AutomationView, RunView
from models.errors import InvalidInput, NotFound
from models.limits import cut_page, page_read_size
from models.store.orgs import find_user

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI
    from fastapi.params import Query


@cache
def page_cursor() -> "Query":
    """What a listing takes as `Annotated[int | None, page_cursor()]`: where its page starts."""
    from fastapi import Query

    return Query(ge=1, le=2**31 - 1, description="`next_cursor` of the previous page.")


class ParamView(BaseModel):
    type: str
    default: Any = None
    description: str
    choices: list[str]
    required: bool
    minimum: int | None = Field(default=None, description="Integer params: lowest accepted.")
    maximum: int | None = Field(default=None, description="Integer params: highest accepted.")


class SkillView(BaseModel):
    name: str
    description: str
    mode: str
    triggers: list[str]
    default_output: str
    params: dict[str, ParamView]


class WhoAmI(BaseModel):
    email: str
    role: str
    org: OrgView


def _known_skill(request: Request, name: str | None) -> None:
    """A skill named in a body that does not exist is bad input (422), not a missing page."""
    if name is not None and name not in {s.name for s in tools(request).list_skills(hidden=True)}:
        raise InvalidInput(f"Unknown skill '{name}'. See GET /api/skills.")


def _known_user(request: Request, me: Actor, email: str) -> None:

    try:
        find_user(tools(request).engine, me.org_id, email)
    except NotFound as exc:
        raise InvalidInput(exc.message) from None


def _events_router() -> "APIRouter":
    """GET /api/events."""
    from fastapi import APIRouter, Query

    Me = Annotated[Actor, caller()]
    Cursor = Annotated[int | None, page_cursor()]
    events = APIRouter(prefix="/api", route_class=api_route(), responses=ERROR_RESPONSES)

    class EventPage(BaseModel):
        items: list[EventView]
        next_cursor: int | None

    @events.get("/events", response_model=EventPage, tags=["events"])
    def list_events(
        request: Request,
        me: Me,
        cursor: Cursor = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> EventPage:
        """Recent ATS events, newest first: provider, canonical type, status (processed,
        rejected, duplicate, unmatched, received) and how many runs each started. Admins see
        the organisation's; members the events that started their runs."""
        found = tools(request).list_events(me, limit=page_read_size(limit), cursor=cursor)
        items, more = cut_page(found, limit)
        return EventPage(items=items, next_cursor=items[-1].id if more and items else None)

    return events


def _inbox_router() -> "APIRouter":
    """GET /api/inbox and GET /api/inbox/{id}: the caller's in-app messages; POST
    /api/inbox/{id}/unread and /api/inbox/all/read mark them."""
    from fastapi import APIRouter, Query

    Id = Annotated[int, record_id()]
    Me = Annotated[Actor, caller()]
    inbox = APIRouter(prefix="/api", route_class=api_route(), responses=ERROR_RESPONSES)

    @inbox.get("/inbox", response_model=list[InboxItem], tags=["inbox"])
    def list_inbox(
        request: Request,
        me: Me,
        unread: Annotated[bool, Query(description="Only unread messages.")] = False,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> list[InboxItem]:
        """Your in-app messages (from automations whose output is in_app), newest first."""
        return tools(request).list_inbox(me, unread_only=unread, limit=limit)

    @inbox.get("/inbox/{message_id}", response_model=InboxMessageView, tags=["inbox"])
    def read_inbox(request: Request, me: Me, message_id: Id) -> InboxMessageView:
        """One of your in-app messages in full; reading it marks it read."""
        return tools(request).read_inbox(me, message_id)

    @inbox.post("/inbox/{message_id}/unread", response_model=InboxState, tags=["inbox"])
    def mark_unread(request: Request, me: Me, message_id: Id) -> InboxState:
        """Mark one of your in-app messages unread again; answers how many are unread now."""
        tools(request).mark_inbox_unread(me, message_id)
        return InboxState(marked=1, unread=tools(request).unread_inbox_count(me))

    @inbox.post("/inbox/all/read", response_model=InboxState, tags=["inbox"])
    def mark_all_read(request: Request, me: Me) -> InboxState:
        """Mark every unread in-app message of yours read; answers how many were."""
        marked = tools(request).mark_inbox_read(me)
        return InboxState(marked=marked, unread=tools(request).unread_inbox_count(me))

    return inbox


class InboxState(BaseModel):
    marked: int = Field(description="Messages this call marked.")
    unread: int = Field(description="Your unread messages now.")


def _router() -> "APIRouter":
    """Who am I, automations and runs under /api; then skills, plan and tokens."""
    from fastapi import APIRouter, Query

    Id = Annotated[int, record_id()]
    Me = Annotated[Actor, caller()]
    Cursor = Annotated[int | None, page_cursor()]

    router = APIRouter(prefix="/api", route_class=api_route(), responses=ERROR_RESPONSES)

    @router.get("/me", response_model=WhoAmI, tags=["account"])
    def whoami(request: Request, me: Me) -> WhoAmI:
        """Who the token belongs to: email, role (admin or member) and organisation."""
        return WhoAmI(email=me.email, role=me.role, org=tools(request).get_org(me))

    @router.get("/automations", response_model=AutomationPage, tags=["automations"])
    def list_automations(
        request: Request,
        me: Me,
        cursor: Cursor = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        owner: Annotated[
            str | None,
            Query(
                max_length=320,
                description="Only this colleague's (admins; members may name themselves).",
            ),
        ] = None,
        scope: Annotated[
            str | None,
            Query(
                pattern="^(mine|all|system)$",
                description="mine, all (admins' default), or system: the organisation's system "
                "jobs (admins).",
            ),
        ] = None,
    ) -> AutomationPage:
        """Your automations, a page at a time in creation order; admins see everyone's by default.
        Each has its trigger in words, its next runs and its last run's status."""
        everyone = None if scope in (None, "system") else scope == "all"
        return tools(request).list_automations_page(
            me,
            cursor=cursor,
            limit=limit,
            owner_email=owner,
            everyone=everyone,
            system=scope == "system",
        )

    @router.post(
        "/automations", response_model=AutomationView, status_code=201, tags=["automations"]
    )
    def create_automation(request: Request, me: Me, spec: AutomationCreate) -> AutomationView:
        """Create an automation: a skill with its params, a trigger (cron with one schedule, event
        or poll) and an output. Everything is validated first: bad input changes nothing, and a
        plan limit is explained (409)."""
        clean = AutomationCreate.model_validate(
            {**spec.model_dump(), "origin": {"channel": "email", "via": "api"}}
        )
        _known_skill(request, clean.skill)
        if clean.owner_email:
            _known_user(request, me, clean.owner_email)
        return tools(request).create_automation(me, clean)

    @router.get("/automations/{automation_id}", response_model=AutomationView, tags=["automations"])
    def get_automation(request: Request, me: Me, automation_id: Id) -> AutomationView:
        """One automation with its next three runs."""
        return tools(request).get_automation(me, automation_id)

    @router.patch(
        "/automations/{automation_id}", response_model=AutomationView, tags=["automations"]
    )
    def update_automation(
        request: Request, me: Me, automation_id: Id, changes: AutomationChanges
    ) -> AutomationView:
        """Change some fields; a new schedule replaces the old one and moves the next run."""
        _known_skill(request, changes.skill)
        return tools(request).update_automation(me, automation_id, changes.changes())

    @router.post(
        "/automations/{automation_id}/toggle", response_model=AutomationView, tags=["automations"]
    )
    def toggle_automation(
        request: Request, me: Me, automation_id: Id, body: ToggleRequest | None = None
    ) -> AutomationView:
        """Pause or resume. Without a body the state flips; `{"enabled": false, "until": ...}`
        pauses until an instant. Resuming checks the plan's active-automation limit."""
        body = body or ToggleRequest()
        tool = tools(request)
        enabled = body.enabled
        if enabled is None:
            enabled = not tool.get_automation(me, automation_id).enabled
        if enabled:
            return tool.resume(me, automation_id)
        return tool.pause(me, automation_id, until=body.until)

    @router.post(
        "/automations/{automation_id}/rerun",
        response_model=RunView,
        status_code=202,
        tags=["automations"],
    )
    def rerun_automation(request: Request, me: Me, automation_id: Id) -> RunView:
        """Run now: queues a manual run the worker starts within a second or two. The schedule,
        pause state and failure count do not change. Poll GET /api/runs/{id} for the outcome."""
        return tools(request).run_now(me, automation_id)

    @router.post("/automations/{automation_id}/test", response_model=RunView, tags=["automations"])
    def test_automation(request: Request, me: Me, automation_id: Id) -> RunView:
        """Dry run on live data, right away: the answer holds the rendered output, shown only to
        you; nothing is sent to anyone."""
        return tools(request).test(me, automation_id)

    @router.delete(
        "/automations/{automation_id}",
        status_code=204,
        tags=["automations"],
        response_class=Response,
    )
    def delete_automation(request: Request, me: Me, automation_id: Id) -> Response:
        """Delete an automation and its run history."""
        tools(request).delete(me, automation_id, confirm=True)
        return Response(status_code=204)

    @router.get("/automations/{automation_id}/runs", response_model=RunPage, tags=["runs"])
    def list_runs(
        request: Request,
        me: Me,
        automation_id: Id,
        cursor: Cursor = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> RunPage:
        """The automation's runs, newest first, a page at a time: status, trigger, timings, lag
        and a PII-free summary. Per-action and per-target rows are in GET /api/runs/{id}."""
        return tools(request).list_runs_page(me, automation_id, cursor=cursor, limit=limit)

    @router.delete("/automations/{automation_id}/runs", response_model=Deleted, tags=["runs"])
    def clear_runs(request: Request, me: Me, automation_id: Id) -> Deleted:
        """Clear the automation's finished runs; queued and running ones stay."""
        return Deleted(deleted=tools(request).clear_history(me, automation_id))

    @router.get("/runs/{run_id}", response_model=RunView, tags=["runs"])
    def get_run(request: Request, me: Me, run_id: Id) -> RunView:
        """One run with its per-action and per-target rows (status, error, skipped reason). A test
        run's output is shown to the person who ran it."""
        return tools(request).get_run(me, run_id)

    _add_account_routes(router)
    return router


def _add_account_routes(router: "APIRouter") -> None:
    """Skills, the organisation's plan and API tokens under /api."""
    Id = Annotated[int, record_id()]
    Me = Annotated[Actor, caller()]

    @router.get("/skills", response_model=list[SkillView], tags=["skills"])
    def list_skills(request: Request, me: Me) -> list[SkillView]:
        """The skills automations can run, with their params."""
        return [
            SkillView(
                name=s.name,
                description=s.description,
                mode=s.mode,
                triggers=list(s.triggers),
                default_output=s.default_output,
                params={
                    k: ParamView(
                        type=p.type,
                        default=p.default,
                        description=p.description,
                        choices=list(p.choices),
                        required=p.required,
                        minimum=param_range(p)[0],
                        maximum=param_range(p)[1],
                    )
                    for k, p in s.params.items()
                },
            )
            for s in tools(request).list_skills()
        ]

    @router.put("/org/plan", response_model=OrgView, tags=["account"])
    def set_plan(request: Request, me: Me, body: PlanRequest) -> OrgView:
        """Set the organisation's plan (admins only)."""
        return tools(request).set_plan(me, body.plan)

    @router.get("/tokens", response_model=list[ApiTokenView], tags=["account"])
    def list_tokens(request: Request, me: Me) -> list[ApiTokenView]:
        """Your API tokens (admins: the organisation's), without their secrets."""
        return tools(request).list_api_tokens(me)

    @router.post("/tokens", response_model=IssuedToken, status_code=201, tags=["account"])
    def create_token(request: Request, me: Me, body: TokenRequest) -> IssuedToken:
        """Issue a token; the secret is in this answer only."""
        lifetime = timedelta(days=body.expires_in_days) if body.expires_in_days else None
        return tools(request).create_api_token(
            me, name=body.name, user_email=body.user_email, expires_in=lifetime
        )

    @router.delete("/tokens/{token_id}", status_code=204, tags=["account"], response_class=Response)
    def revoke_token(request: Request, me: Me, token_id: Id) -> Response:
        """Revoke a token at once."""
        tools(request).revoke_api_token(me, token_id)
        return Response(status_code=204)


def install(app: "FastAPI", ctx: AppContext) -> None:
    """Add the REST API's routes to the app."""
    app.include_router(_router())
    app.include_router(_events_router())
    app.include_router(_inbox_router())
