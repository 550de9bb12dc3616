"""Skipping chosen runs as MCP tools: skip_runs, unskip_runs and list_skipped_runs call the
tool set as chat, REST and the dashboard do. A day the schedule has no run on, or a skip past
the cap, is a tool error saying so; nothing changes.

The tools' annotations are evaluated where they are defined (no postponed annotations): the SDK
reads them, and its types are imported inside add_skip_tools, not with this module."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from assistant.mcp.plain import READS, hints
from assistant.mcp.tool_calls import Id
from assistant.tools.toolset import Toolset
from models.errors import SkilltickError

# "the next run" names another run once that one is skipped: the same call again skips (or,
# unskipping, brings back) another, so neither is repeatable; a run brought back is not lost
_CHANGES = hints(writes=True, repeatable=False)

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.mcp.plain import ActorOf

Words = Annotated[
    str,
    Field(
        description="The runs in words, in the automation's time zone: 'next Monday', 'the next 2 "
        "runs', 'Dec 14 and 21', 'everything between Dec 24 and Jan 2', 'Christmas day' "
        "(unskipping, also 'all'). Leave empty when giving instants."
    ),
]
At = Annotated[
    list[datetime] | None,
    Field(description="The runs as ISO instants of the schedule's occurrences, instead of words."),
]


def add_skip_tools(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> None:
    from mcp.server.mcpserver import Context
    from mcp.server.mcpserver.exceptions import ToolError

    def answered(call: Any) -> dict[str, Any]:
        try:
            return dict(call().model_dump(mode="json"))
        except SkilltickError as exc:
            raise ToolError(exc.message) from None

    @server.tool(annotations=_CHANGES.annotations())
    def skip_runs(
        automation_id: Id, ctx: Context, words: Words = "", at: At = None
    ) -> dict[str, Any]:
        """Skip chosen runs of a scheduled automation; it stays active and makes every other
        run (each skipped one shows in its history as skipped as asked). `skipped`: the runs
        this call added; `skips`: every run it skips now; `next_run_at`: the first it makes."""
        actor = actor_of(ctx)
        return answered(lambda: tools.skip_runs(actor, automation_id, words, at=at))

    @server.tool(annotations=_CHANGES.annotations())
    def unskip_runs(
        automation_id: Id, ctx: Context, words: Words = "", at: At = None
    ) -> dict[str, Any]:
        """Bring skipped runs back ('all' for every one); `skipped`: the runs brought back."""
        actor = actor_of(ctx)
        return answered(lambda: tools.unskip_runs(actor, automation_id, words, at=at))

    @server.tool(annotations=READS.annotations())
    def list_skipped_runs(automation_id: Id, ctx: Context) -> dict[str, Any]:
        """The runs an automation skips (`skips`, soonest first) and the first run it makes."""
        actor = actor_of(ctx)
        return answered(lambda: tools.skipped_runs(actor, automation_id))
