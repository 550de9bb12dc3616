"""`skilltick` command line: a thin adapter over the tool set (parse, call, format).

Every listing takes --json. Errors print one clear line to stderr and exit 1; nothing changes.
An unexpected failure is one line too; `--debug` (anywhere on the line) shows its traceback.
Each module of this package defines its command groups; this one puts them together, top-level
commands first.
"""

from __future__ import annotations

import sys

import typer
import typer.main
from rich.markup import escape

from assistant.cli import output
from assistant.cli.lazy import Entry, LazyGroup

M = "assistant.cli."


class RootGroup(LazyGroup):
    # top-level commands first, then the groups; each summary is the first paragraph of the
    # command's help (a test holds them equal)
    entries = {
        "understand": Entry(
            M + "language:language_commands",
            "Show what a request would become (nothing is created): the trigger, schedule, "
            "skill, params, output and next runs, or one clarifying question.",
        ),
        "mcp": Entry(
            M + "language:language_commands",
            "Serve the tool set over MCP on stdio (for Claude Desktop and Claude Code).",
        ),
        "slack-socket": Entry(
            M + "language:language_commands",
            "Run the Slack app over Socket Mode (no public URL): needs "
            "SKILLTICK_SLACK_APP_TOKEN, SKILLTICK_SLACK_BOT_TOKEN and "
            "SKILLTICK_SLACK_SIGNING_SECRET.",
        ),
        "chat": Entry(
            M + "chat:chat_commands",
            "Talk to skilltick: create, change, pause, resume, delete and inspect automations "
            "in plain words (\u201chelp\u201d lists what it understands).",
        ),
        "tick": Entry(
            M + "ops:ops_commands",
            "Run one tick and exit (for system cron, a Kubernetes CronJob, EventBridge).",
        ),
        "worker": Entry(
            M + "ops:ops_commands",
            "Tick at each minute boundary, and early when a run is queued; Ctrl+C stops.",
        ),
        "serve": Entry(
            M + "ops:ops_commands",
            "Run everything on one port: REST API, dashboard, Slack and ATS webhooks, the tick "
            "endpoint, and (unless --no-worker) the worker in a background thread.",
        ),
        "status": Entry(
            M + "service:service_commands",
            "The worker at a glance (last tick, lag, due backlog, stuck leases, failures by "
            "skill); exit code 0 when ok, 2 when not ok (problems listed), 1 when it cannot run; "
            "--json too.",
        ),
        "audit": Entry(
            M + "service:service_commands",
            "Who changed what, newest first (admins: the organisation's; members: their own "
            "automations' and their own actions).",
        ),
        "config-docs": Entry(
            M + "config_docs:config_commands",
            "Print the configuration reference (every variable, its type and default) as "
            "Markdown, or write it to --output.",
        ),
        # automations_more adds its commands to the automations and runs groups
        "automations": Entry(
            M + "automations_more:automations_app", "Create and manage automations.", group=True
        ),
        "runs": Entry(M + "automations_more:runs_app", "Run history.", group=True),
        "db": Entry(M + "ops:db_app", "Database schema.", group=True),
        "demo": Entry(M + "ops:demo_app", "Demo organisation and ATS data.", group=True),
        "skills": Entry(M + "skills:skills_app", "Skills automations can run.", group=True),
        "outbox": Entry(M + "ops:outbox_app", "Mail kept locally when no SMTP is set.", group=True),
        "connections": Entry(
            M + "events:connections_app", "ATS connections (webhooks, polls).", group=True
        ),
        "ats": Entry(
            M + "ats:ats_app",
            "Mirror your ATS (Greenhouse or Lever) so skills read its data.",
            group=True,
        ),
        "events": Entry(M + "events:events_app", "Events received from ATSs.", group=True),
        "tokens": Entry(
            M + "service:tokens_app",
            "API tokens for the REST API and the dashboard's login link.",
            group=True,
        ),
        "plan": Entry(M + "service:plan_app", "The organisation's plan.", group=True),
        "orgs": Entry(
            M + "admin:orgs_app", "Organisations (whoever runs the service).", group=True
        ),
        "operators": Entry(
            M + "admin:operators_app",
            "Who reads the whole service's /status and /metrics (whoever runs the service).",
            group=True,
        ),
        "users": Entry(
            M + "admin:users_app",
            "An organisation's users and invitations (its admins).",
            group=True,
        ),
        "holidays": Entry(
            M + "skills:holidays_app",
            "The organisation's holiday calendar (business days skip these).",
            group=True,
        ),
        "sequences": Entry(
            M + "skills:sequences_app",
            "Nurture sequences: enrol candidates, remove them, see how sequences perform.",
            group=True,
        ),
        "inbox": Entry(M + "skills:inbox_app", "Your in-app messages (output in_app).", group=True),
    }


app = typer.Typer(
    cls=RootGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    help="skilltick: recruiting automations from plain words.",
)


@app.callback()
def _root() -> None:
    """(the commands are the root group's; a callback makes Typer build it as a group)"""


def full_command() -> RootGroup:
    """The root group with every command loaded (to walk the whole command tree)."""
    root = typer.main.get_command(app)
    assert isinstance(root, RootGroup)
    root.load_all()
    return root


def main(argv: list[str] | None = None) -> None:
    """The console script: usage errors and unexpected failures as one line on stderr."""
    args = list(sys.argv[1:] if argv is None else argv)
    output.settings["debug"] = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        code = app(args=args, prog_name="skilltick", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        output.err.print("Aborted.", highlight=False)
        code = 1
    except typer.TyperException as exc:  # usage errors: unknown command, bad parameter value
        context = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and context is not None:
            sys.stdout.write(context.get_help() + "\n")  # a bare group answers with its help
            code = 0
        else:
            text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            message = escape(output.usage_words(text))
            output.err.print(f"[bold red]error:[/] {message}{hint}", highlight=False)
            code = 1  # bad input, like every other refusal
    except Exception as exc:
        if output.settings["debug"]:
            raise
        try:
            output.fail_unexpectedly(exc)
        except typer.Exit as exit_:
            code = exit_.exit_code
    sys.exit(code if isinstance(code, int) else 0)
