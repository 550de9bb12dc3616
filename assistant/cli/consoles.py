"""Rich consoles and help screens for the command line that never wrap what is piped or captured.

On a terminal Rich fits output to its width. Anywhere else (a pipe, a file, a test) Rich would
assume 80 columns and break long lines, error messages and login links included, so copying
them fails: there, lines are left whole and tables take their natural width. Help is the same:
on a terminal it is Rich panels; elsewhere it is plain text, one line per summary and option.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleDimensions
from typer.core import TyperCommand, TyperGroup

UNBOUNDED_WIDTH = 10_000


class PipeConsole(Console):
    @property
    def size(self) -> ConsoleDimensions:
        measured = super().size
        if self.is_terminal:
            return measured
        return ConsoleDimensions(UNBOUNDED_WIDTH, measured.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


def make_console(*, stderr: bool = False, markup: bool = True) -> Console:
    """`markup=False`: what is printed is shown as written (names may hold square brackets);
    styles are then given as rich.text.Text."""
    return PipeConsole(stderr=stderr, soft_wrap=False, markup=markup)


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced by an object without it, or closed
        return False


def plain_help(command: object) -> None:
    """Plain click help for this command and everything under it (Rich draws panels to fit a
    width; click's formatter takes the width the context gives it)."""
    if isinstance(command, TyperCommand | TyperGroup):
        command.rich_markup_mode = None
        if command.help and not command.short_help:
            # a listing summarises a command by the first paragraph of its help, as on a
            # terminal (click alone would stop at the first full stop)
            command.short_help = " ".join(command.help.split("\n\n")[0].split())
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            plain_help(sub)


class PipeAwareGroup(TyperGroup):
    """The root command: when stdout is not a terminal, help and usage errors are plain text
    whose lines are never wrapped (every context below inherits the width given here)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not stdout_is_terminal():
            plain_help(self)
            extra.setdefault("terminal_width", UNBOUNDED_WIDTH)
            extra.setdefault("max_content_width", UNBOUNDED_WIDTH)
        return super().main(
            args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
        )
