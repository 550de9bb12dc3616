"""The dashboard's Skip and Unskip buttons of an automation's next runs: each posts the run's
instant to the tool set's skip_runs or unskip_runs, as chat and the REST API call them, and
comes back to the automation's page (a refusal shows as the dashboard's error page).

The pages are defined by build_router, which imports FastAPI; their annotations are evaluated
there (no postponed annotations), so FastAPI reads real types."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from starlette.requests import Request
from starlette.responses import RedirectResponse

from assistant.http.dashboard.support import Page, dashboard_route, form_body, path_id, see_other
from models.errors import InvalidInput

if TYPE_CHECKING:
    from fastapi import APIRouter


def _change(page: Page, automation_id: int, body: bytes, *, skip: bool) -> RedirectResponse:
    form = page.form(body)
    try:
        at = [datetime.fromisoformat(form.get("at", ""))]
    except ValueError as exc:
        raise InvalidInput("Which run? The form named none.") from exc
    tool = page.tools.skip_runs if skip else page.tools.unskip_runs
    tool(page.actor, automation_id, at=at)
    return see_other(f"/automations/{automation_id}")


def build_router() -> "APIRouter":
    from fastapi import APIRouter

    Id = Annotated[int, path_id()]
    Body = Annotated[bytes, form_body()]
    router = APIRouter(route_class=dashboard_route(), include_in_schema=False)

    @router.post("/automations/{automation_id}/skip")
    def skip_run(request: Request, automation_id: Id, body: Body) -> RedirectResponse:
        """A run of the next-runs list skipped."""
        return _change(Page(request), automation_id, body, skip=True)

    @router.post("/automations/{automation_id}/unskip")
    def unskip_run(request: Request, automation_id: Id, body: Body) -> RedirectResponse:
        """A skipped run of the next-runs list brought back."""
        return _change(Page(request), automation_id, body, skip=False)

    return router
