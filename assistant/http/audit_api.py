"""REST reading of the audit log: GET /api/audit, who changed what, newest first, a page at a
time (admins: the organisation's; members: their own automations' and their own actions).

The endpoint is defined by _router, which imports FastAPI; its annotations are evaluated there
(no postponed annotations), so FastAPI reads real types."""

from typing import TYPE_CHECKING, Annotated

from starlette.requests import Request

from assistant.app import AppContext
from assistant.http.api import page_cursor
from assistant.http.api_edge import ERROR_RESPONSES, api_route, caller, tools
from assistant.tools.audit import AuditPage
from assistant.tools.toolset import Actor

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def _router() -> "APIRouter":
    from fastapi import APIRouter, Query

    Me = Annotated[Actor, caller()]
    Cursor = Annotated[int | None, page_cursor()]

    router = APIRouter(prefix="/api", route_class=api_route(), responses=ERROR_RESPONSES)

    @router.get("/audit", response_model=AuditPage, tags=["account"])
    def list_audit(
        request: Request,
        me: Me,
        cursor: Cursor = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        automation: Annotated[
            int | None, Query(ge=1, le=2**31 - 1, description="Only this automation's entries.")
        ] = None,
    ) -> AuditPage:
        """Who changed what, newest first: creations, changes (old and new schedule, state and
        channel), pauses and resumes (the service's own as "system"), deletions, runs asked for,
        recipients, tokens, users and invitations. Admins see the organisation's; members the
        entries on their own automations and their own."""
        return tools(request).list_audit(me, automation_id=automation, cursor=cursor, limit=limit)

    return router


def install(app: "FastAPI", ctx: AppContext) -> None:
    app.include_router(_router())
