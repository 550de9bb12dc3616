"""What every command module shares: the consoles, the common options, the error wrapper and
the helpers that build the context, pick the acting user and print JSON. The consoles and
one-line failures are defined in assistant.cli.output (light, for the root) and named here."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from pydantic_settings import SettingsError
from rich.console import RenderableType
from rich.markup import escape

from assistant.app import AppContext, build_context
from assistant.cli.output import err, fail_unexpectedly, one_line, out, settings, usage_words
from assistant.tools.toolset import Actor, actor_for
from models.clock import parse_instant
from models.errors import InvalidInput, SkilltickError
from models.limits import PAGE_MAX
from models.settings import Settings
from models.settings_env import variable_of

OrgOpt = Annotated[str, typer.Option("--org", help="Organisation slug.")]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user", help="Act as this user (email); default: the organisation's first admin."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
# ids, limits and cursors are range-checked by the tool set (models.limits), one place for
# every interface, so an out-of-range number is a one-line refusal and never reaches the driver
IdArg = Annotated[int, typer.Argument(show_default=False)]
LimitOpt = Annotated[int, typer.Option(help=f"Page size (1-{PAGE_MAX}).")]
CursorOpt = Annotated[int | None, typer.Option(help="Last id of the previous page.")]

P = ParamSpec("P")
R = TypeVar("R")


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn skilltick errors into one clear line and exit code 1."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SkilltickError as exc:
            err.print(f"[bold red]error:[/] {escape(one_line(exc.message))}", highlight=False)
            raise typer.Exit(1) from None
        except (ValidationError, SettingsError) as exc:
            err.print(f"[bold red]error:[/] {escape(_invalid_words(exc))}", highlight=False)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            if settings["debug"]:
                raise
            fail_unexpectedly(exc)

    return wrapper


def _invalid_words(exc: ValidationError | SettingsError) -> str:
    """A value refused, in one line: a setting by the variable it was read from
    ("SKILLTICK_SMTP_PORT: a whole number is needed"), anything else by its field."""
    if isinstance(exc, SettingsError):  # a JSON setting that does not parse
        field = re.search(r'field "(\w+)"', str(exc))
        variable = variable_of(Settings, (field.group(1),) if field else ())
        cause = exc.__cause__
        if isinstance(cause, json.JSONDecodeError):
            line = f"line {cause.lineno}, " if "\n" in cause.doc.rstrip() else ""
            return f"{variable} is not valid JSON: {cause.msg} at {line}column {cause.colno}."
        return one_line(f"{variable}: {exc}")
    first = exc.errors()[0]
    if exc.title == Settings.__name__:
        return usage_words(f"{variable_of(Settings, tuple(first['loc']))}: {first['msg']}")
    where = ".".join(str(p) for p in first["loc"])
    return one_line(f"{where}: {first['msg']}")


def context() -> AppContext:
    """The application context every command works through (building it migrates)."""
    return build_context()


def actor(ctx: AppContext, org: str, user: str | None) -> Actor:
    """The user a command acts as: `user` in `org`, else the organisation's first admin."""
    return actor_for(ctx.engine, org, user)


def acting(org: str, user: str | None) -> tuple[AppContext, Actor]:
    """The context a command works through and the user it acts as."""
    ctx = context()
    return ctx, actor(ctx, org, user)


def answered(value: Any, as_json: bool, *, empty: str | None = None) -> bool:
    """Print `value` as JSON when asked, or `empty` when there is nothing to show; True when
    that answered the command, False when the caller prints the human form."""
    if as_json:
        print_json(value)
        return True
    if empty is not None and not value:
        out.print(empty)
        return True
    return False


def said(
    value: Any, as_json: bool, shown: RenderableType, *, highlight: bool | None = None
) -> None:
    """Print `value` as JSON when asked, else what `shown` says of it (a line, a table)."""
    if as_json:
        print_json(value)
    else:
        out.print(shown, highlight=highlight)


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
