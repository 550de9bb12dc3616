"""`skilltick chat`: the conversation engine in a terminal. A REPL by default; `--once` answers
one message and exits (scripts), `--session KEY` lets several calls continue one conversation,
`--json` prints each reply with the conversation's state as one JSON object per line (and, for
programs, reads lines that are JSON objects naming the message, session and speaker)."""

from __future__ import annotations

import json
import sys
import uuid
from typing import Annotated

import typer

from assistant.app import AppContext
from assistant.cli.common import context, friendly, instant, out
from assistant.conversation import ConversationEngine, Reply, Turn
from assistant.tools.toolset import actor_for
from models.errors import InvalidInput, SkilltickError


def _show(engine: ConversationEngine, turn: Turn, reply: Reply, as_json: bool) -> None:
    if as_json:
        state = engine.state(turn.actor, turn.key)
        line = {"session": turn.key.removeprefix("cli:"), "reply": reply.as_json(), "state": state}
        sys.stdout.write(json.dumps(line, default=str) + "\n")
        sys.stdout.flush()
        return
    out.print(reply.text, highlight=False, markup=False, soft_wrap=True)
    if reply.choices:
        out.print(
            "  " + " · ".join(f"[{c.say}] {c.label}" for c in reply.choices),
            highlight=False,
            markup=False,
        )


def _json_line(ctx: AppContext, line: str, org: str, user: str | None, key: str) -> Turn:
    """A program's line: {"message": ..., "session"?, "org"?, "user"?} (one process can then
    speak in many conversations, as many people); returns the turn, message in `origin`."""
    try:
        said = json.loads(line)
        message = str(said["message"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput('A JSON line needs {"message": "..."}.') from None
    actor = actor_for(ctx.engine, str(said.get("org") or org), said.get("user") or user)
    key = f"cli:{said['session']}" if said.get("session") else key
    return Turn(actor, key, origin={"message": message})


def _show_error(message: str, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps({"reply": Reply(message, "error").as_json()}) + "\n")
        sys.stdout.flush()
    else:
        out.print(message, highlight=False, markup=False, soft_wrap=True)


chat_commands = typer.Typer()


@chat_commands.command("chat")
@friendly
def chat_command(
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")] = "demo",
    user: Annotated[
        str | None,
        typer.Option("--user", help="Speak as this user (email); default: the first admin."),
    ] = None,
    once: Annotated[
        str | None, typer.Option("--once", help="Answer this one message and exit.")
    ] = None,
    session: Annotated[
        str | None,
        typer.Option("--session", help="Continue this conversation (any key you choose)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per reply.")] = False,
    tz: Annotated[str | None, typer.Option("--tz", help="Your IANA time zone.")] = None,
    now: Annotated[
        str | None, typer.Option("--now", help="Pretend it is this instant (ISO 8601).")
    ] = None,
) -> None:
    """Talk to skilltick: create, change, pause, resume, delete and inspect automations in
    plain words (“help” lists what it understands)."""
    ctx = context()
    fixed = instant(now, "--now")
    if fixed is not None:
        ctx.tools.clock = lambda: fixed
    engine = ConversationEngine(ctx.tools)
    key = f"cli:{session or uuid.uuid4().hex}"
    if once is not None:
        turn = Turn(actor_for(ctx.engine, org, user), key, tz=tz)
        reply = engine.handle(turn, once)
        _show(engine, turn, reply, as_json)
        if reply.kind == "error":
            raise typer.Exit(1)
        return
    # a program may name the speaker on each line, so the default one is looked up when needed
    default: list[Turn] = []
    if not as_json and sys.stdin.isatty():
        default.append(Turn(actor_for(ctx.engine, org, user), key, tz=tz))
        out.print(
            f"skilltick chat as {default[0].actor.email} (“help” for examples, Ctrl+D to leave)"
        )
    for line in sys.stdin:
        message = line.strip()
        if message.lower() in ("quit", "exit", "bye"):
            break
        if not message:
            continue
        try:
            if as_json and message.startswith("{"):
                turn = _json_line(ctx, message, org, user, key)
                turn.tz, message = tz, turn.origin.pop("message")
            else:
                default = default or [Turn(actor_for(ctx.engine, org, user), key, tz=tz)]
                turn = default[0]
        except SkilltickError as exc:
            _show_error(exc.message, as_json)
            continue
        _show(engine, turn, engine.handle(turn, message), as_json)
        if not as_json and sys.stdin.isatty():
            out.print()
