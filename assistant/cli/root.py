"""`skilltick` command line: a thin adapter over the tool set (parse, call, format).

Every listing takes --json. Errors print one clear line to stderr and exit 1; nothing changes.
An unexpected failure is one line too; `--debug` (anywhere on the line) shows its traceback.
Each module of this package defines its command groups; this one puts them together, top-level
commands first.
"""

from __future__ import annotations

import gc
import sys

import typer
from rich.markup import escape

# Loading the commands (the tool set, the tables, the skills) makes over a hundred thousand
# objects that live as long as the process: the cyclic collector would scan them again and again
# while they are made, for nothing. It waits until they are all made, and then leaves them out
# of its later collections.
gc.disable()
try:
    from assistant.cli import common
    from assistant.cli.admin import orgs_app, users_app
    from assistant.cli.ats import ats_app
    from assistant.cli.automations import automations_app, runs_app
    from assistant.cli.automations_more import automations_app as _more  # noqa: F401 (commands)
    from assistant.cli.chat import chat_commands
    from assistant.cli.config_docs import config_commands
    from assistant.cli.consoles import PipeAwareGroup
    from assistant.cli.events import connections_app, events_app
    from assistant.cli.language import language_commands
    from assistant.cli.ops import db_app, demo_app, ops_commands, outbox_app
    from assistant.cli.service import plan_app, service_commands, tokens_app
    from assistant.cli.skills import holidays_app, inbox_app, sequences_app, skills_app
finally:
    gc.enable()
gc.freeze()

app = typer.Typer(
    cls=PipeAwareGroup,
    no_args_is_help=True,
    add_completion=False,
    help="skilltick: recruiting automations from plain words.",
)
for commands in (
    language_commands,
    chat_commands,
    ops_commands,
    service_commands,
    config_commands,
):
    app.add_typer(commands)
for group, name in (
    (automations_app, "automations"),
    (runs_app, "runs"),
    (db_app, "db"),
    (demo_app, "demo"),
    (skills_app, "skills"),
    (outbox_app, "outbox"),
    (connections_app, "connections"),
    (ats_app, "ats"),
    (events_app, "events"),
    (tokens_app, "tokens"),
    (plan_app, "plan"),
    (orgs_app, "orgs"),
    (users_app, "users"),
    (holidays_app, "holidays"),
    (sequences_app, "sequences"),
    (inbox_app, "inbox"),
):
    app.add_typer(group, name=name)


def _help_as_paragraphs(group: typer.Typer) -> None:
    """Help texts are written as wrapped paragraphs: in Typer's default markup a command
    listing keeps each line break of a summary (the listing then breaks mid-sentence); as
    Markdown the lines of a paragraph flow together."""
    group.rich_markup_mode = "markdown"
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _help_as_paragraphs(sub.typer_instance)


_help_as_paragraphs(app)


def main(argv: list[str] | None = None) -> None:
    """The console script: usage errors and unexpected failures as one line on stderr."""
    args = list(sys.argv[1:] if argv is None else argv)
    common.settings["debug"] = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        code = app(args=args, prog_name="skilltick", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        common.err.print("Aborted.", highlight=False)
        code = 1
    except typer.TyperException as exc:  # usage errors: unknown command, bad parameter value
        context = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and context is not None:
            sys.stdout.write(context.get_help() + "\n")  # a bare group answers with its help
            code = 0
        else:
            text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            message = escape(common.one_line(text))
            common.err.print(f"[bold red]error:[/] {message}{hint}", highlight=False)
            code = 1  # bad input, like every other refusal
    except Exception as exc:
        if common.settings["debug"]:
            raise
        try:
            common.fail_unexpectedly(exc)
        except typer.Exit as exit_:
            code = exit_.exit_code
    sys.exit(code if isinstance(code, int) else 0)
