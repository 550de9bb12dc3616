"""Running, testing and retrying automations, their run history, and the installed skills, as
MCP tools: thin adapters over the tool set, as the other tool groups of the server.

The tools' annotations are evaluated where they are defined (no postponed annotations): the SDK
reads them, and its types are imported inside add_run_tools, not with this module."""

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from assistant.mcp.plain import ADDS, READS, SENDS, listing
from assistant.mcp.tool_calls import Id, dump, tool_errors
from assistant.tools.run_questions import BacktestHit
from assistant.tools.toolset import Toolset
from assistant.tools.views import RunView

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.mcp.plain import ActorOf


def add_run_tools(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> None:
    """Running, testing and retrying automations, their history, and the installed skills."""
    from mcp.server.mcpserver import Context
    from mcp.types import CallToolResult

    @server.tool(annotations=SENDS.annotations())
    @tool_errors
    def run_now(automation_id: Id, ctx: Context) -> dict[str, Any]:
        """Queue a run right away (its schedule does not move)."""
        return dump(tools.run_now(actor_of(ctx), automation_id))

    # records a test run in the history, sends nothing
    @server.tool(annotations=ADDS.annotations())
    @tool_errors
    def test_automation(automation_id: Id, ctx: Context) -> dict[str, Any]:
        """Dry run on live data: returns the rendered output to this user only and records
        a test run in the history; sends nothing to anyone."""
        return dump(tools.test(actor_of(ctx), automation_id))

    @server.tool(annotations=SENDS.annotations())
    @tool_errors
    def retry_run(
        run_id: Annotated[int, Field(description="A failed run's id.")], ctx: Context
    ) -> dict[str, Any]:
        """Run a failed occurrence again from the start with the current configuration."""
        return dump(tools.retry(actor_of(ctx), run_id))

    @server.tool(annotations=READS.annotations())
    @tool_errors
    def run_history(
        automation_id: Id, ctx: Context, limit: Annotated[int, Field(ge=1, le=200)] = 20
    ) -> Annotated[CallToolResult, list[RunView]]:
        """An automation's runs, newest first, one line each: status, timings, errors,
        skipped reasons; every field in the structured result."""
        runs = tools.history(actor_of(ctx), automation_id, limit)
        return listing(
            runs,
            ("run", "scheduled for", "by", "status", "ms", "error or skipped reason"),
            lambda r: (
                f"#{r.id}",
                r.scheduled_for,
                r.triggered_by,
                r.status,
                r.duration_ms,
                r.error_message or r.skipped_reason,
            ),
            empty=f"Automation #{automation_id} has no runs yet.",
        )

    @server.tool(annotations=READS.annotations())
    @tool_errors
    def why(
        automation_id: Id,
        ctx: Context,
        question: Annotated[
            str, Field(description="e.g. 'why didn't it fire?' or 'why did it fail?'")
        ] = "",
    ) -> dict[str, Any]:
        """Why an automation did not fire, or failed, in plain words from its run history."""
        return dump(tools.why(actor_of(ctx), automation_id, question))

    @server.tool(annotations=READS.annotations())
    @tool_errors
    def backtest(
        automation_id: Id, ctx: Context, days: Annotated[int, Field(ge=1, le=31)] = 7
    ) -> Annotated[CallToolResult, list[BacktestHit]]:
        """Which events of the last days would have fired this event automation, and what it
        would have sent (nothing is run or sent): one line per event, previews in the
        structured result."""
        hits = tools.backtest(actor_of(ctx), automation_id, days)
        return listing(
            hits,
            ("event", "type", "received", "would send"),
            lambda h: (
                f"#{h.event_id}",
                h.event_type,
                h.received_at,
                h.subject or h.would_send or h.skipped_reason or h.error,
            ),
            empty=f"No event of the last {days} days would have fired #{automation_id}.",
        )

    @server.tool(annotations=READS.annotations())
    @tool_errors
    def list_skills() -> Annotated[CallToolResult, list[dict[str, Any]]]:
        """Skills an automation can run: one line each with triggers, default output and
        params; param types, defaults and descriptions in the structured result."""
        skills = [
            {
                "name": s.name,
                "description": s.description,
                "triggers": list(s.triggers),
                "default_output": s.default_output,
                "params": {
                    k: {"type": p.type, "default": p.default, "description": p.description}
                    for k, p in s.params.items()
                },
            }
            for s in tools.list_skills()
        ]
        return listing(
            skills,
            ("skill", "triggers", "output", "params", "what it does"),
            lambda s: (
                s["name"],
                s["triggers"],
                s["default_output"],
                list(s["params"]),
                s["description"],
            ),
            empty="No skills are installed.",
        )
