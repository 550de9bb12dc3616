"""Where the command line writes, and how it fails: the consoles, one-line errors, and the
`--debug` switch. Light (no application), so the root can start without loading any command."""

from __future__ import annotations

import logging
import re
from typing import Any, NoReturn

import typer
from rich.markup import escape
from typer.core import TyperOption

from assistant.cli.consoles import make_console

# results name what people named (automations, holidays, sequences): never read as markup
out = make_console(markup=False)
err = make_console(stderr=True)
# set by --debug (see assistant.cli.root.main): unexpected errors then show their traceback
settings = {"debug": False}

log = logging.getLogger(__name__)


def _flag_shows_no_type(self: TyperOption, ctx: Any) -> str | None:
    """A flag takes no value, so its help line names no type (Typer labels it `<bool>`)."""
    return None if self.is_flag else _option_type(self, ctx)


_option_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_shows_no_type  # type: ignore[method-assign]


def one_line(text: str) -> str:
    return " ".join(text.split())


# the validator's words for a bad number on the command line, as a person says them
_USAGE_WORDS = (
    (
        r"Input should be a valid integer(?:, unable to parse string as an integer)?",
        "a whole number is needed",
    ),
    (
        r"Input should be a valid number(?:, unable to parse string as a number)?",
        "a number is needed",
    ),
    (r"Input should be greater than or equal to (\S+)", r"it must be at least \1"),
    (r"Input should be less than or equal to (\S+)", r"it must be at most \1"),
    (r"Input should be greater than (\S+)", r"it must be more than \1"),
    (r"Input should be less than (\S+)", r"it must be less than \1"),
)


def usage_words(text: str) -> str:
    """A usage error in one line, in plain words ("Invalid value for '--port': a whole number
    is needed")."""
    said = one_line(text)
    for pattern, words in _USAGE_WORDS:
        said = re.sub(pattern, words, said)
    return said


def fail_unexpectedly(exc: BaseException) -> NoReturn:
    """One line naming the failure, exit 1; the traceback goes to the debug log."""
    log.debug("unexpected error", exc_info=exc)
    err.print(
        f"[bold red]error:[/] {escape(one_line(f'{type(exc).__name__}: {exc}'))} "
        "(run again with --debug for details)",
        highlight=False,
    )
    raise typer.Exit(1)
