"""A command group that imports a command's module only when that command runs.

Most commands need the tool set, the tables and the skills, over a second to import; help and
a mistyped command need none of it. The root lists every command by name and summary without
importing it, and loads one when the command line names it.
"""

from __future__ import annotations

import gc
import importlib
import sys
from dataclasses import dataclass

import typer
import typer.main
from typer import _click as click  # Typer's own copy of click, the one its groups use
from typer.core import TyperCommand

from assistant.cli.consoles import PipeAwareGroup, plain_help, stdout_is_terminal


@dataclass(frozen=True)
class Entry:
    """Where a command lives ("package.module:attribute", a Typer) and its one-line summary.
    A group is that whole Typer under this name; otherwise the Typer holds top-level commands
    and this is the one of them so named."""

    target: str
    summary: str
    group: bool = False


class Unloaded(TyperCommand):
    """Stands in for a command in listings until the command line names it."""

    def __init__(self, name: str, summary: str) -> None:
        super().__init__(name, help=summary, short_help=summary)


def load(name: str, entry: Entry) -> click.Command:
    """The command as Typer builds it, its module imported."""
    module_name, _, attribute = entry.target.partition(":")
    # Importing the commands makes over a hundred thousand objects that live as long as the
    # process: the cyclic collector would scan them again and again while they are made, for
    # nothing. It waits until they are all made, and then leaves them out of later collections.
    if module_name not in sys.modules:
        gc.disable()
        try:
            importlib.import_module(module_name)
        finally:
            gc.enable()
        gc.freeze()
    commands: typer.Typer = getattr(sys.modules[module_name], attribute)
    # help texts are wrapped paragraphs: as Markdown the lines of a paragraph flow together
    holder = typer.Typer(rich_markup_mode="markdown")
    holder.add_typer(commands, name=name if entry.group else None)
    return typer.main.get_group(holder).commands[name]


class LazyGroup(PipeAwareGroup):
    """The root group: `entries` in the order listings show them."""

    entries: dict[str, Entry] = {}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, entry in self.entries.items():
            self.add_command(Unloaded(name, entry.summary))

    def load(self, name: str) -> click.Command:
        command = self.commands[name]
        if isinstance(command, Unloaded):
            command = load(name, self.entries[name])
            if not stdout_is_terminal():
                plain_help(command)
            self.commands[name] = command
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and isinstance(command, Unloaded):
            command = self.load(name)
        return name, command, rest

    def load_all(self) -> None:
        for name in list(self.commands):
            self.load(name)
