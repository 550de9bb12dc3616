"""The `chat` MCP tool: the conversation engine for MCP clients. A conversation is keyed by the
MCP session when the transport has one (the Mcp-Session-Id of stateful streamable HTTP), else it
is the user's MCP conversation (stdio, stateless HTTP); a client may name another with the
`conversation` argument."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset

ORIGIN = {"channel": "email", "via": "mcp"}


def _session_key(ctx: Context | None) -> str:
    headers: Any = None
    try:
        headers = ctx.headers if ctx is not None else None
    except (AttributeError, LookupError, ValueError):
        headers = None
    if headers:
        for name, value in dict(headers).items():
            if str(name).lower() == "mcp-session-id" and value:
                return f"mcp:{value}"
    return "mcp:default"


def add_chat_tool(
    server: MCPServer, tools: Toolset, actor_of: Callable[[Context | None], Actor]
) -> ConversationEngine:
    engine = ConversationEngine(tools)

    @server.tool(
        annotations=ToolAnnotations(
            title="Talk to skilltick",
            # a confirmed "yes" may delete, "run it now" sends: the widest hints are the true ones
            read_only_hint=False,
            destructive_hint=True,
            idempotent_hint=False,
            open_world_hint=True,
        )
    )
    def chat(
        message: Annotated[
            str,
            Field(
                description="The user's words, as said: a request ('every Monday at 9am send me "
                "my pipeline'), an answer to the last question ('8am', 'yes', 'the second "
                "one'), or a command ('pause it until Monday', 'list my automations')."
            ),
        ],
        ctx: Context,
        conversation: Annotated[
            str | None,
            Field(
                description="Continue this conversation (the `conversation` of an earlier "
                "reply); default: this MCP session's, else your MCP conversation."
            ),
        ] = None,
    ) -> dict[str, Any]:
        """Talk to skilltick as the user would in Slack: it remembers the pending question,
        draft or confirmation of this conversation. Show the user `reply.text`; `reply.kind`
        is question, draft or confirm when it waits for their answer (relay it in their
        words, e.g. "yes"), `reply.choices` are the answers it offers. Nothing destructive
        happens without the user's "yes"."""
        key = f"mcp:{conversation}" if conversation else _session_key(ctx)
        turn = Turn(actor_of(ctx), key[:200], origin=dict(ORIGIN))
        reply = engine.handle(turn, message)
        return {"conversation": key.removeprefix("mcp:"), "reply": reply.as_json()}

    return engine
