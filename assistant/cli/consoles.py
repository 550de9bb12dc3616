"""Rich consoles for the command line that never wrap what is piped or captured.

On a terminal Rich fits output to its width. Anywhere else (a pipe, a file, a test) Rich would
assume 80 columns and break long lines, error messages and login links included, so copying
them fails: there, lines are left whole and tables take their natural width.
"""

from __future__ import annotations

from rich.console import Console, ConsoleDimensions

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


def make_console(*, stderr: bool = False) -> Console:
    return PipeConsole(stderr=stderr, soft_wrap=False)
