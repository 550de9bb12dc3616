"""The audit log as an MCP tool: who changed what, newest first, a page at a time, with the
permissions GET /api/audit has (admins: the organisation's entries; members: those about their
own automations and their own actions).

The tool's annotations are evaluated where it is defined (no postponed annotations): the SDK
reads them, and its types are imported inside add_audit_tool, not with this module."""

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from assistant.mcp.plain import READS, table
from assistant.tools.audit import AuditPage, automation_named
from assistant.tools.toolset import Toolset
from models.clock import utc
from models.errors import SkilltickError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.mcp.plain import ActorOf


def add_audit_tool(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> None:
    from mcp.server.mcpserver import Context
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.types import CallToolResult, TextContent

    @server.tool(annotations=READS.annotations())
    def read_audit_log(
        ctx: Context,
        automation_id: Annotated[
            int | None, Field(description="Only the entries about this automation.")
        ] = None,
        cursor: Annotated[
            int | None, Field(description="next_cursor of the previous page, for older entries.")
        ] = None,
        limit: Annotated[int, Field(ge=1, le=200)] = 20,
    ) -> Annotated[CallToolResult, AuditPage]:
        """Who changed what, newest first: one line each with entry id, when (UTC), who and
        the change in words; every field and next_cursor in the structured result. Admins
        read the organisation's log, members the entries about their own automations."""
        try:
            page = tools.list_audit(
                actor_of(ctx), automation_id=automation_id, cursor=cursor, limit=limit
            )
        except SkilltickError as exc:
            raise ToolError(exc.message) from None
        rows = (
            (
                f"#{i.id}",
                f"{utc(i.at):%Y-%m-%d %H:%M}",
                i.actor,
                i.summary,
                automation_named(i) or None,
            )
            for i in page.items
        )
        columns = ("entry", "at (UTC)", "who", "what", "automation")
        text = table(columns, rows) if page.items else "No entries."
        if page.next_cursor is not None:
            text += f"\nOlder entries: call again with cursor={page.next_cursor}."
        return CallToolResult(
            content=[TextContent(type="text", text=text)],
            structured_content=page.model_dump(mode="json"),
        )
