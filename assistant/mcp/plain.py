"""How the MCP server speaks: truthful tool hints, failures as one plain sentence (argument errors included, never a
pydantic dump or the SDK's "Error executing tool" prefix), and list results as a compact
table-like text for the model plus the full rows as `structuredContent` for programs.

The MCP SDK is imported by the functions that build servers and answers, never with this module:
it takes over a second to import, which every command line start would pay."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from mcp.server.mcpserver import Context, MCPServer
    from mcp.types import CallToolResult, ToolAnnotations

    from assistant.tools.toolset import Actor

    # who a tool call acts as, from its MCP context (the stdio user, or the token's owner)
    ActorOf = Callable[[Context | None], Actor]

log = logging.getLogger(__name__)

_KINDS = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "dict_type": "an object of names to values",
    "list_type": "a list",
    "datetime_parsing": "an ISO date-time",
}


def _problem(error: Any) -> str:
    field = ".".join(str(part) for part in error.get("loc", ())) or "the arguments"
    kind = error.get("type", "")
    limits = error.get("ctx") or {}
    if kind == "missing":
        return f"{field} is required"
    if kind in _KINDS:
        return f"{field} should be {_KINDS[kind]}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{field} should be at least {limits.get('ge', limits.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{field} should be at most {limits.get('le', limits.get('lt'))}"
    if kind == "extra_forbidden":
        return f"{field} is not an argument of this tool"
    message = str(error.get("msg", "is not valid")).split(",")[0].rstrip(".")
    if message.startswith("Input "):
        message = message[len("Input ") :]
    return f"{field} {message[:1].lower()}{message[1:]}"


def argument_sentence(tool: str, exc: ValidationError) -> str:
    """One sentence naming every wrong argument of a call and what it should be."""
    problems = list(dict.fromkeys(_problem(e) for e in exc.errors()))
    return f"Wrong arguments for {tool}: {'; '.join(problems)}."


@dataclass(frozen=True)
class Hints:
    """MCP tool hints: `writes` (changes anything at all), `destructive` (removes or overwrites
    what cannot be had back), `repeatable` (a second identical call changes nothing more),
    `world` (reaches people outside skilltick: sends reports)."""

    writes: bool
    repeatable: bool
    destructive: bool = False
    world: bool = False
    title: str | None = None

    def annotations(self) -> ToolAnnotations:
        """The hints as the SDK's ToolAnnotations, for `server.tool(annotations=...)`."""
        from mcp.types import ToolAnnotations

        titled: dict[str, Any] = {"title": self.title} if self.title else {}
        return ToolAnnotations(
            **titled,
            read_only_hint=not self.writes,
            destructive_hint=self.destructive,
            idempotent_hint=self.repeatable,
            open_world_hint=self.world,
        )


def hints(
    *, writes: bool, destructive: bool = False, repeatable: bool, world: bool = False
) -> Hints:
    return Hints(writes=writes, repeatable=repeatable, destructive=destructive, world=world)


READS = hints(writes=False, repeatable=True)
# a row is added on each call (a draft, a queued or test run): not repeatable, nothing lost
ADDS = hints(writes=True, repeatable=False)
# a state set to a value (paused, resumed, confirmed): the same call again changes nothing
SETS = hints(writes=True, repeatable=True)
REMOVES = hints(writes=True, destructive=True, repeatable=True)
SENDS = hints(writes=True, repeatable=False, world=True)


def _failure(text: str) -> CallToolResult:
    from mcp.types import CallToolResult, TextContent

    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


@cache
def _plain_server_class() -> type[MCPServer]:
    """The MCPServer subclass, defined once the SDK is loaded (by the first server built)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError

    class PlainMCPServer(MCPServer):
        """An MCPServer whose failed calls answer one plain sentence: the tool's own message,
        or which arguments are wrong; an unforeseen crash is logged here and named as such."""

        async def call_tool(
            self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
        ) -> Any:
            try:
                return await super().call_tool(name, arguments, context)
            except UnexpectedToolError as exc:
                log.error("MCP tool %s crashed", name, exc_info=exc.__cause__ or exc)
                return _failure(
                    f"{name} failed because of an internal error in skilltick; "
                    "the details are in the server's log."
                )
            except ToolError as exc:
                cause = exc.__cause__
                if isinstance(cause, ValidationError):
                    return _failure(argument_sentence(name, cause))
                if isinstance(cause, ToolError):
                    return _failure(str(cause))
                return _failure(str(exc))

    return PlainMCPServer


def plain_server(name: str, *, instructions: str) -> MCPServer:
    """An MCPServer whose failed calls answer one plain sentence (see _plain_server_class)."""
    return _plain_server_class()(name, instructions=instructions)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value) or "-"
    return " ".join(str(value).split())


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as pipe-separated lines under a header line: compact, and aligned enough for a
    model (or a person) to read without a JSON block per row."""
    lines = [" | ".join(headers)]
    lines.extend(" | ".join(_cell(v) for v in row) for row in rows)
    return "\n".join(lines)


def listing(
    items: Sequence[BaseModel] | Sequence[dict[str, Any]],
    headers: Sequence[str],
    row: Callable[[Any], Sequence[Any]],
    *,
    empty: str,
) -> CallToolResult:
    """A list tool's answer: the table as text (or `empty` when there is nothing), every row
    in full as `structuredContent["result"]`."""
    from mcp.types import CallToolResult, TextContent

    full = [i.model_dump(mode="json") if isinstance(i, BaseModel) else i for i in items]
    text = table(headers, (row(i) for i in items)) if items else empty
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content={"result": full}
    )
