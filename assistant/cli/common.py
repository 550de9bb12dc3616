"""What every command module shares: the consoles, the common options, the error wrapper and
the helpers that build the context, pick the acting user and print JSON."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.markup import escape
from typer.core import TyperOption

from assistant.app import AppContext, build_context
from assistant.cli.consoles import make_console
from assistant.tools.toolset import Actor, actor_for
from models.clock import parse_instant
from models.errors import InvalidInput, SkilltickError
from models.limits import PAGE_MAX

out = make_console()
err = make_console(stderr=True)


def _flag_shows_no_type(self: TyperOption, ctx: Any) -> str | None:
    """A flag takes no value, so its help line names no type (Typer labels it `<bool>`)."""
    return None if self.is_flag else _option_type(self, ctx)


_option_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_shows_no_type  # type: ignore[method-assign]
# set by --debug (see assistant.cli.root.main): unexpected errors then show their traceback
settings = {"debug": False}

log = logging.getLogger(__name__)

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
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = escape(one_line(f"{where}: {first['msg']}"))
            err.print(f"[bold red]error:[/] {message}", highlight=False)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            if settings["debug"]:
                raise
            fail_unexpectedly(exc)

    return wrapper


def one_line(text: str) -> str:
    return " ".join(text.split())


def fail_unexpectedly(exc: BaseException) -> NoReturn:
    """One line naming the failure, exit 1; the traceback goes to the debug log."""
    log.debug("unexpected error", exc_info=exc)
    err.print(
        f"[bold red]error:[/] {escape(one_line(f'{type(exc).__name__}: {exc}'))} "
        "(run again with --debug for details)",
        highlight=False,
    )
    raise typer.Exit(1)


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
