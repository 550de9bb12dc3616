"""Command-line commands for the assistant: `skilltick understand`, `skilltick mcp` and
`skilltick slack-socket`."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.app import deployment_settings
from assistant.cli.common import acting, context, friendly, instant, out
from assistant.language import Draft, understand
from assistant.mcp.server import serve_stdio
from assistant.slack.bot import run_socket_mode
from assistant.tools.claude_planner import ClaudePlanner
from assistant.tools.toolset import actor_for
from models.errors import InvalidInput
from skills.builtin import default_registry

# commands that sit at the top level of `skilltick`
language_commands = typer.Typer()


def _draft(request: str, tz: str | None, now: datetime, org: str | None, user: str | None) -> Draft:
    if org is None:
        # Claude plans whenever a key is set; without --org there is no plan to check
        # the registry loaded also tells the read-back how each skill's params read
        planner = ClaudePlanner.from_settings(default_registry(), deployment_settings().anthropic)
        if planner is not None:
            return planner.plan(request, tz or "UTC", now)[0]
        return understand(request, tz=tz or "UTC", now=now, specs=default_registry().specs())
    ctx = context()
    return ctx.tools.understand(actor_for(ctx.engine, org, user), request, tz, now)


@language_commands.command("understand")
@friendly
def understand_command(
    request: Annotated[str | None, typer.Argument(help="The request in plain words.")] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Requester's IANA time zone "
            "(default: the user's, else the organisation's, "
            "else UTC).",
        ),
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", help="Read the request as if said at this ISO instant.")
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch", help="A file with one request a line; prints one JSON object a line."
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation slug: use its time zone, plan and skills."),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Requester's email (with --org).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what a request would become (nothing is created): the trigger, schedule, skill,
    params, output and next runs, or one clarifying question."""
    moment = instant(now, "--now") or datetime.now().astimezone()
    if batch is not None:
        try:
            lines = batch.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InvalidInput(f"Cannot read {batch}: {exc.strerror}.") from None
        for line in lines:
            shown: dict[str, Any] = _draft(line, tz, moment, org, user).as_json()
            sys.stdout.write(json.dumps(shown, ensure_ascii=False) + "\n")
        return
    if request is None:
        raise InvalidInput("Give a request in quotes, or --batch FILE.")
    draft = _draft(request, tz, moment, org, user)
    if as_json:
        sys.stdout.write(json.dumps(draft.as_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(draft.summary, highlight=False)


@language_commands.command("mcp")
@friendly
def mcp_command(
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")],
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="Act as this user (email); default: the organisation's first admin."
        ),
    ] = None,
) -> None:
    """Serve the tool set over MCP on stdio (for Claude Desktop and Claude Code)."""
    ctx, me = acting(org, user)  # an unknown organisation or user is one line, before serving
    serve_stdio(ctx.tools, me)


@language_commands.command("slack-socket")
@friendly
def slack_socket_command() -> None:
    """Run the Slack app over Socket Mode (no public URL): needs SKILLTICK_SLACK_APP_TOKEN,
    SKILLTICK_SLACK_BOT_TOKEN and SKILLTICK_SLACK_SIGNING_SECRET."""

    ctx = context()
    run_socket_mode(ctx, ctx.settings.slack)
