"""The MCP server (official `mcp` SDK, class MCPServer): the tool set for Claude Desktop, Claude
Code and any MCP client. Over stdio (`skilltick mcp --org ORG --user EMAIL`, or `python -m
assistant.mcp.server ...`) every call acts as that user; over streamable HTTP (mounted on the
service at /mcp) as the owner of the request's Bearer API token.

Each tool is a thin adapter: parse arguments, call the tool set, return its view as JSON.
skilltick errors come back as tool errors with the plain-words message; every tool carries
hints saying truly whether it only reads, destroys, or can be repeated safely.

The tools' annotations are evaluated where they are defined (no postponed annotations): the SDK
reads them, and its types are imported by the functions adding the tools, never with this
module, which every command line start loads."""

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, ValidationError

from assistant.app import build_context
from assistant.mcp.audit import add_audit_tool
from assistant.mcp.chat import add_chat_tool
from assistant.mcp.inbox import add_inbox_tools
from assistant.mcp.plain import (
    ADDS,
    READS,
    REMOVES,
    SETS,
    argument_sentence,
    hints,
    listing,
    plain_server,
)
from assistant.mcp.run_tools import add_run_tools
from assistant.mcp.skips import add_skip_tools
from assistant.mcp.tool_calls import Id, Zone, dump, tool_errors
from assistant.mcp.workflow import add_workflow_tool
from assistant.tools.changes import AutomationChanges
from assistant.tools.toolset import Actor, Toolset, actor_for
from assistant.tools.views import AutomationView, listed_next_run, listed_state
from models.clock import parse_instant
from models.errors import InvalidInput

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.mcp.plain import ActorOf

Confirm = Annotated[
    bool,
    Field(
        description="Must be true: this cannot be undone without another call. Ask the user first."
    ),
]
INSTRUCTIONS = (
    "skilltick runs recruiting automations (reports, alerts, follow-ups) on a schedule or when "
    "ATS events happen. To create one: call draft_automation with the user's words, show the "
    "summary (or ask its question), and call confirm_draft only after the user agrees. "
    "Destructive tools (delete_automation, bulk_pause_resume) need confirm=true."
)


def build_server(tools: Toolset, actor_of: "ActorOf", *, name: str = "skilltick") -> "MCPServer":
    """An MCPServer whose tools act as `actor_of(context)` (the stdio user, or the HTTP
    request's token owner)."""
    server = plain_server(name, instructions=INSTRUCTIONS)
    _add_request_tools(server, tools, actor_of)
    _add_automation_tools(server, tools, actor_of)
    add_run_tools(server, tools, actor_of)
    add_chat_tool(server, tools, actor_of)
    add_inbox_tools(server, tools, actor_of)
    add_audit_tool(server, tools, actor_of)
    add_workflow_tool(server, tools, actor_of)
    add_skip_tools(server, tools, actor_of)
    return server


def _add_request_tools(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> None:
    """Understanding a request and drafting, confirming or cancelling an automation."""
    from mcp.server.mcpserver import Context

    @server.tool(annotations=READS.annotations())
    @tool_errors
    def understand_request(
        request: Annotated[
            str,
            Field(
                description="What the user asked, in their words, e.g. "
                "'Every Monday at 9am, send me a summary of my "
                "pipeline'."
            ),
        ],
        ctx: Context,
        timezone: Zone = None,
    ) -> dict[str, Any]:
        """Show what a request would become, without keeping or creating anything: status
        "ok" with trigger, schedule, skill, params, output, next_runs and a summary, or
        status "question" with one clarifying question to put to the user."""
        return tools.understand(actor_of(ctx), request, timezone).as_json()

    @server.tool(annotations=ADDS.annotations())
    @tool_errors
    def draft_automation(
        request: Annotated[str, Field(description="What the user asked, in their words.")],
        ctx: Context,
        timezone: Zone = None,
    ) -> dict[str, Any]:
        """Understand a request and keep it as a draft for 24 hours. Show the user `summary`;
        if `status` is "question", ask them `question` and draft again with their answer. Call
        confirm_draft with `id` only after the user agrees."""
        return dump(
            tools.draft_automation(
                actor_of(ctx), request, tz=timezone, origin={"channel": "email", "via": "mcp"}
            )
        )

    @server.tool(annotations=SETS.annotations())
    @tool_errors
    def confirm_draft(
        draft_id: Annotated[int, Field(description="The id draft_automation returned.")],
        ctx: Context,
    ) -> dict[str, Any]:
        """Create the automation a draft describes, once the user has agreed. Confirming the
        same draft twice returns the same automation."""
        return dump(tools.confirm_draft(actor_of(ctx), draft_id))

    @server.tool(annotations=REMOVES.annotations())
    @tool_errors
    def cancel_draft(
        draft_id: Annotated[int, Field(description="The draft's id.")], ctx: Context
    ) -> str:
        """Drop a draft the user did not want."""
        tools.cancel_draft(actor_of(ctx), draft_id)
        return f"Draft #{draft_id} cancelled."


def _add_automation_tools(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> None:
    """Listing, reading, changing, pausing, resuming and deleting automations."""
    from mcp.server.mcpserver import Context
    from mcp.types import CallToolResult

    @server.tool(annotations=READS.annotations())
    @tool_errors
    def list_automations(
        ctx: Context,
        owner_email: Annotated[str | None, Field(description="Admins: one colleague's.")] = None,
        system: Annotated[
            bool, Field(description="Admins: the organisation's system jobs instead.")
        ] = False,
    ) -> Annotated[CallToolResult, list[AutomationView]]:
        """The user's automations (admins: everyone's in the organisation, or its system jobs
        with system=true): one line each with id, name, owner, status, trigger in words, next
        and last run; every field in the structured result."""
        views = tools.list_automations(actor_of(ctx), owner_email=owner_email, system=system)
        return listing(
            views,
            ("id", "name", "owner", "status", "trigger", "next run", "last run"),
            lambda a: (
                f"#{a.id}",
                a.name,
                a.owner_email,
                listed_state(a),
                a.trigger,
                listed_next_run(a),
                a.last_run_status,
            ),
            empty="No automations.",
        )

    @server.tool(annotations=READS.annotations())
    @tool_errors
    def get_automation(automation_id: Id, ctx: Context) -> dict[str, Any]:
        """One automation with its next three runs."""
        return dump(tools.get_automation(actor_of(ctx), automation_id))

    # the previous settings are overwritten; words like "an hour later" are relative
    @server.tool(annotations=hints(writes=True, destructive=True, repeatable=False).annotations())
    @tool_errors
    def update_automation(
        automation_id: Id,
        ctx: Context,
        change: Annotated[
            str | None,
            Field(
                description="The change in words: 'move it to "
                "8am', 'make it weekdays only', 'post it in "
                "#hiring instead'."
            ),
        ] = None,
        fields: Annotated[
            dict[str, Any] | None,
            Field(
                description="Or exact fields: name, "
                "cron, rrule, timezone, params, to, "
                "output_channel, event_filter, skip_holidays (no run on the organisation's "
                "holidays); admins: owner_email (give it to a colleague)."
            ),
        ] = None,
    ) -> dict[str, Any]:
        """Change an automation, in words or by fields; nothing changes if unclear."""
        actor = actor_of(ctx)
        if change:
            return dump(tools.update_in_words(actor, automation_id, change))
        if not fields:
            raise InvalidInput("Say what to change (change) or give fields.")
        try:
            typed = AutomationChanges.model_validate(fields).changes()
        except ValidationError as exc:
            raise InvalidInput(argument_sentence("update_automation", exc)) from None
        return dump(tools.update_automation(actor, automation_id, typed))

    @server.tool(annotations=SETS.annotations())
    @tool_errors
    def pause_automation(
        automation_id: Id,
        ctx: Context,
        until: Annotated[
            str | None,
            Field(description="Optional end: 'Monday', 'March 3rd' or an ISO date-time."),
        ] = None,
    ) -> dict[str, Any]:
        """Pause an automation, optionally until a day (it resumes by itself then)."""
        actor = actor_of(ctx)
        if until is None:
            return dump(tools.pause(actor, automation_id))
        try:
            instant: datetime | None = parse_instant(until)
        except ValueError:
            instant = None
        if instant is None:
            return dump(tools.pause_until(actor, automation_id, until))
        return dump(tools.pause(actor, automation_id, until=instant))

    @server.tool(annotations=SETS.annotations())
    @tool_errors
    def resume_automation(automation_id: Id, ctx: Context) -> dict[str, Any]:
        """Resume a paused (or failed-and-paused) automation; its failure count restarts."""
        return dump(tools.resume(actor_of(ctx), automation_id))

    @server.tool(annotations=REMOVES.annotations())
    @tool_errors
    def delete_automation(automation_id: Id, confirm: Confirm, ctx: Context) -> str:
        """Delete an automation and its run history. Ask the user first; pass confirm=true."""
        how = "ask the user, then call again with confirm=true"
        tools.delete(actor_of(ctx), automation_id, confirm=confirm, how_to_confirm=how)
        return f"Deleted automation #{automation_id}."

    # pausing and resuming lose nothing and can be undone; the same request again changes nothing
    @server.tool(annotations=SETS.annotations())
    @tool_errors
    def bulk_pause_resume(
        request: Annotated[
            str,
            Field(
                description="'pause all of Dana's automations', "
                "'resume everything paused this week', 'pause my "
                "automations until Monday'."
            ),
        ],
        ctx: Context,
        confirm: Annotated[
            bool,
            Field(
                description="false: only say what would change; "
                "true: do it (after the user agreed)."
            ),
        ] = False,
    ) -> dict[str, Any]:
        """Pause or resume many automations at once. Members act on their own; admins on
        anyone's in the organisation."""
        return dump(tools.bulk(actor_of(ctx), request, confirm=confirm))


def stdio_actor(actor: Actor) -> "ActorOf":
    return lambda _ctx: actor


def main(argv: list[str] | None = None) -> None:
    """`python -m assistant.mcp.server --org ORG --user EMAIL`: serve MCP over stdio."""

    parser = argparse.ArgumentParser(description="skilltick MCP server over stdio")
    parser.add_argument("--org", required=True)
    parser.add_argument("--user", default=None)
    args = parser.parse_args(argv)
    ctx = build_context()
    serve_stdio(ctx.tools, actor_for(ctx.engine, args.org, args.user))


def serve_stdio(tools: Toolset, actor: Actor) -> None:
    """Serve the tool set over MCP on stdio, acting as `actor`, until stdin closes."""
    build_server(tools, stdio_actor(actor)).run("stdio")


if __name__ == "__main__":
    main()
