"""The in-app inbox as MCP tools: list your messages, read one (which marks it read).

The tools' annotations are evaluated where they are defined (no postponed annotations): the SDK
reads them, and its types are imported inside add_inbox_tools, not with this module."""

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from assistant.mcp.plain import READS, SETS, listing
from assistant.tools.skills import InboxItem
from assistant.tools.toolset import Toolset
from models.errors import SkilltickError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.mcp.plain import ActorOf


def add_inbox_tools(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> None:
    from mcp.server.mcpserver import Context
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.types import CallToolResult

    @server.tool(annotations=READS.annotations())
    def list_inbox(
        ctx: Context,
        unread_only: Annotated[bool, Field(description="Only unread messages.")] = False,
        limit: Annotated[int, Field(ge=1, le=200)] = 50,
    ) -> Annotated[CallToolResult, list[InboxItem]]:
        """The user's in-app messages (from automations whose output is in_app), newest
        first: id, when, subject, read or not. read_inbox_message shows one in full."""
        try:
            items = tools.list_inbox(actor_of(ctx), unread_only=unread_only, limit=limit)
        except SkilltickError as exc:
            raise ToolError(exc.message) from None
        return listing(
            items,
            ("id", "when", "subject", "state"),
            lambda m: (f"#{m.id}", m.created_at, m.subject, "read" if m.read else "unread"),
            empty="No in-app messages.",
        )

    # reading marks the message read: a state set, the same call again changes nothing
    @server.tool(annotations=SETS.annotations())
    def read_inbox_message(
        message_id: Annotated[int, Field(description="A message id from list_inbox.")],
        ctx: Context,
    ) -> dict[str, Any]:
        """One in-app message in full (subject and text); it is marked read."""
        try:
            message = tools.read_inbox(actor_of(ctx), message_id)
        except SkilltickError as exc:
            raise ToolError(exc.message) from None
        return message.model_dump(mode="json", exclude={"html"})
