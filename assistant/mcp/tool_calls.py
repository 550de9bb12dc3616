"""What every MCP tool adapter shares: the automation id and time zone arguments, skilltick
errors turned into tool errors, and pydantic views dumped as JSON.

The MCP SDK is imported when tool_errors wraps a tool, never with this module, which every command
line start loads."""

from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, ParamSpec, TypeVar

from pydantic import BaseModel, Field

from models.errors import SkilltickError

P = ParamSpec("P")
R = TypeVar("R")
Id = Annotated[int, Field(description="The automation's id (from list_automations).")]
Zone = Annotated[
    str | None, Field(description="IANA zone; default: the user's, else the organisation's.")
]


def dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [dump(v) for v in value]
    return value


def tool_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """skilltick errors become tool errors the model can read and act on."""

    from mcp.server.mcpserver.exceptions import ToolError

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SkilltickError as exc:
            raise ToolError(exc.message) from None

    return wrapper
