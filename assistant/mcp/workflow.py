"""draft_workflow as an MCP tool: one trigger in words and typed steps, kept as a draft that
confirm_draft creates once the user agrees.

The tool's annotations are evaluated where it is defined (no postponed annotations): the SDK
reads them, and its types are imported inside add_workflow_tool, not with this module."""

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from assistant.mcp.plain import ADDS
from assistant.mcp.tool_calls import Zone
from assistant.tools.toolset import Toolset
from assistant.tools.workflows import WorkflowStep
from models.errors import SkilltickError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.mcp.plain import ActorOf


def add_workflow_tool(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> None:
    from mcp.server.mcpserver import Context
    from mcp.server.mcpserver.exceptions import ToolError

    @server.tool(annotations=ADDS.annotations())
    def draft_workflow(
        when: Annotated[
            str,
            Field(
                description="The event it runs on, in words, e.g. 'when a candidate reaches "
                "Offer', 'when an interview is scheduled', '2 days after a candidate is rejected'."
            ),
        ],
        steps: Annotated[
            list[WorkflowStep],
            Field(min_length=1, max_length=20, description="The steps, run in this order."),
        ],
        ctx: Context,
        timezone: Zone = None,
    ) -> dict[str, Any]:
        """Several steps on one event, as one workflow: keep it as a draft for 24 hours and
        show the user `summary` (one line per step); call confirm_draft with `id` only after
        they agree. For a request in words, draft_automation reads steps too."""
        try:
            view = tools.draft_workflow(
                actor_of(ctx), when, list(steps), tz=timezone, origin={"via": "mcp"}
            )
        except SkilltickError as exc:
            raise ToolError(exc.message) from exc
        return view.model_dump(mode="json")
