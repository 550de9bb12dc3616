"""What every command module shares: the consoles, the common options, the error wrapper and
the helpers that build the context, pick the acting user and print JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console

from assistant.app import AppContext, build_context
from assistant.tools.toolset import Actor, actor_for
from models.clock import parse_instant
from models.errors import InvalidInput, SkilltickError

out = Console()
err = Console(stderr=True)

OrgOpt = Annotated[str, typer.Option("--org", help="Organisation slug.")]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user", help="Act as this user (email); default: the organisation's first admin."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]

F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn skilltick errors into one clear line and exit code 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SkilltickError as exc:
            err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
            raise typer.Exit(1) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            err.print(f"[bold red]error:[/] {where}: {first['msg']}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def context() -> AppContext:
    """The application context every command works through (building it migrates)."""
    return build_context()


def actor(ctx: AppContext, org: str, user: str | None) -> Actor:
    """The user a command acts as: `user` in `org`, else the organisation's first admin."""
    return actor_for(ctx.engine, org, user)


def print_json(value: Any) -> None:
    """Print views, dicts and lists of them as indented JSON."""

    def default(obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return obj.model_dump(mode="json")
        if isinstance(obj, datetime):
            return obj.isoformat()
        raise TypeError(type(obj).__name__)

    sys.stdout.write(json.dumps(value, default=default, indent=2) + "\n")


def instant(value: str | None, what: str) -> datetime | None:
    """An ISO instant given on the command line, or None; `what` names the option in errors."""
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise InvalidInput(f"{what}: {exc}") from None


def skill_params(pairs: list[str]) -> dict[str, Any]:
    """Skill params from repeated `--param key=value` options."""
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(f"--param takes key=value, got '{pair}'.")
        result[key.strip()] = value
    return result
