"""The runs an automation skips, over REST: which they are, skipping more (in words or as
instants) and bringing some back. Each route calls one tool-set method, as chat, Slack, MCP
and the dashboard do; a day the schedule has no run on, or a skip past the cap, is a 422 that
says so and changes nothing.

Route functions are defined inside the router factory and read their real annotations (no
postponed annotations); FastAPI is imported there, never with this module."""

from typing import TYPE_CHECKING, Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from starlette.requests import Request

from assistant.app import AppContext
from assistant.http.api_edge import ERROR_RESPONSES, api_route, caller, record_id, tools
from assistant.tools.skips import SkippedRuns
from assistant.tools.toolset import Actor
from models.errors import InvalidInput

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


class SkipRequest(BaseModel):
    """The runs to skip or bring back: in words, or as the schedule's own instants."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"words": "Dec 14 and 21"}, {"at": ["2026-12-14T14:00Z"]}]},
    )

    words: str | None = Field(
        default=None,
        max_length=200,
        description="Runs in words, in the automation's time zone: 'next Monday', 'the next 2 "
        "runs', 'Dec 14 and 21', 'everything between Dec 24 and Jan 2', 'Christmas day'; "
        "bringing back, also 'all'.",
    )
    at: list[AwareDatetime] | None = Field(
        default=None, max_length=50, description="Occurrences of the schedule, as instants."
    )

    def said(self) -> tuple[str, list[AwareDatetime] | None]:
        if (self.words is None or not self.words.strip()) == (self.at is None):
            raise InvalidInput("Give either the runs in words or their instants (at), not both.")
        return (self.words or "").strip(), self.at


def _router() -> "APIRouter":
    from fastapi import APIRouter

    Id = Annotated[int, record_id()]
    Me = Annotated[Actor, caller()]
    router = APIRouter(prefix="/api", route_class=api_route(), responses=ERROR_RESPONSES)
    path = "/automations/{automation_id}/skips"

    @router.get(path, response_model=SkippedRuns, tags=["automations"])
    def list_skips(request: Request, me: Me, automation_id: Id) -> SkippedRuns:
        """The runs it skips (`skips`, soonest first) and the first run it will make."""
        return tools(request).skipped_runs(me, automation_id)

    @router.post(path, response_model=SkippedRuns, tags=["automations"])
    def skip_runs(request: Request, me: Me, automation_id: Id, body: SkipRequest) -> SkippedRuns:
        """Skip chosen runs; it stays active and makes every other run. `skipped` holds the runs
        this call added, `skips` every run it skips now. The worker records each skipped run in
        the history as skipped as asked."""
        words, at = body.said()
        return tools(request).skip_runs(me, automation_id, words, at=at)

    @router.delete(path, response_model=SkippedRuns, tags=["automations"])
    def unskip_runs(request: Request, me: Me, automation_id: Id, body: SkipRequest) -> SkippedRuns:
        """Bring skipped runs back (`{"words": "all"}` brings back every one); `skipped` holds
        the runs brought back."""
        words, at = body.said()
        return tools(request).unskip_runs(me, automation_id, words, at=at)

    @router.delete(path + "/{instant}", response_model=SkippedRuns, tags=["automations"])
    def unskip_run(
        request: Request, me: Me, automation_id: Id, instant: AwareDatetime
    ) -> SkippedRuns:
        """Bring back the one skipped run at `instant` (ISO 8601 with its offset)."""
        return tools(request).unskip_runs(me, automation_id, at=[instant])

    return router


def install(app: "FastAPI", ctx: AppContext) -> None:
    """Add the skip routes to the app."""
    app.include_router(_router())
