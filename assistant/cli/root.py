"""`skilltick` command line: a thin adapter over the tool set (parse, call, format).

Every listing takes --json. Errors print one clear line to stderr and exit 1; nothing changes.
Each module of this package defines its command groups; this one puts them together, top-level
commands first.
"""

from __future__ import annotations

import typer

from assistant.cli.automations import automations_app, runs_app
from assistant.cli.events import connections_app, events_app
from assistant.cli.language import language_commands
from assistant.cli.ops import db_app, demo_app, ops_commands, outbox_app
from assistant.cli.service import plan_app, service_commands, tokens_app
from assistant.cli.skills import holidays_app, inbox_app, sequences_app, skills_app

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="skilltick: recruiting automations from plain words.",
)
for commands in (language_commands, ops_commands, service_commands):
    app.add_typer(commands)
for group, name in (
    (automations_app, "automations"),
    (runs_app, "runs"),
    (db_app, "db"),
    (demo_app, "demo"),
    (skills_app, "skills"),
    (outbox_app, "outbox"),
    (connections_app, "connections"),
    (events_app, "events"),
    (tokens_app, "tokens"),
    (plan_app, "plan"),
    (holidays_app, "holidays"),
    (sequences_app, "sequences"),
    (inbox_app, "inbox"),
):
    app.add_typer(group, name=name)


def main() -> None:
    app()
