"""The `chat` MCP tool: the conversation engine for MCP clients. A conversation is keyed by the
MCP session when the transport has one (the Mcp-Session-Id of stateful streamable HTTP), else it
is the user's MCP conversation (stdio, stateless HTTP); a client may name another with the
`conversation` argument.

The tool's annotations are evaluated where it is defined (no postponed annotations): the SDK
reads them, and its types are imported inside add_chat_tool, not with this module."""

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from assistant.conversation import ConversationEngine, Turn
from assistant.mcp.plain import Hints
from assistant.tools.toolset import Toolset

if TYPE_CHECKING:
    from mcp.server.mcpserver import Context, MCPServer

    from assistant.mcp.plain import ActorOf

ORIGIN = {"channel": "email", "via": "mcp"}


# a confirmed "yes" may delete, "run it now" sends: the widest hints are the true ones
CHAT = Hints(title="Talk to skilltick", writes=True, destructive=True, repeatable=False, world=True)


def _session_key(ctx: "Context | None") -> str:
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


def add_chat_tool(server: "MCPServer", tools: Toolset, actor_of: "ActorOf") -> ConversationEngine:
    from mcp.server.mcpserver import Context

    engine = ConversationEngine(tools)

    @server.tool(annotations=CHAT.annotations())
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
        words, e.g. "yes"), `reply.choices` are the answers it offers; `reply.private` true is
        live data shown to this user only (a preview: "show me my pipeline"), not to be posted
        elsewhere. Nothing destructive happens without the user's "yes"."""
        key = f"mcp:{conversation}" if conversation else _session_key(ctx)
        turn = Turn(actor_of(ctx), key[:200], origin=dict(ORIGIN))
        reply = engine.handle(turn, message)
        return {"conversation": key.removeprefix("mcp:"), "reply": reply.as_json()}

    return engine
