"""`skilltick` command line: a thin adapter over the tool set (parse, call, format).

Every listing takes --json. Errors print one clear line to stderr and exit 1; nothing changes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console

from assistant.app import AppContext, build_context
from assistant.cli.render import automation_table, print_run, runs_table, skills_table
from assistant.tools.toolset import Actor, actor_for
from assistant.tools.views import AutomationSpec
from models.clock import parse_instant
from models.errors import InvalidInput, SkilltickError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="skilltick: recruiting automations from plain words.",
)
automations_app = typer.Typer(no_args_is_help=True, help="Create and manage automations.")
runs_app = typer.Typer(no_args_is_help=True, help="Run history.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
demo_app = typer.Typer(no_args_is_help=True, help="Demo organisation and ATS data.")
skills_app = typer.Typer(no_args_is_help=True, help="Skills automations can run.")
outbox_app = typer.Typer(no_args_is_help=True, help="Mail kept locally when no SMTP is set.")
for sub, name in (
    (automations_app, "automations"),
    (runs_app, "runs"),
    (db_app, "db"),
    (demo_app, "demo"),
    (skills_app, "skills"),
    (outbox_app, "outbox"),
):
    app.add_typer(sub, name=name)

out = Console()
err = Console(stderr=True)

OrgOpt = Annotated[str, typer.Option("--org", help="Organisation slug.")]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user", help="Act as this user (email); default: the organisation's first admin."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]

F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn skilltick errors into one clear line and exit code 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SkilltickError as exc:
            err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
            raise typer.Exit(1) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            err.print(f"[bold red]error:[/] {where}: {first['msg']}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _ctx() -> AppContext:
    return build_context()


def _actor(ctx: AppContext, org: str, user: str | None) -> Actor:
    return actor_for(ctx.engine, org, user)


def _json(value: Any) -> None:
    def default(obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return obj.model_dump(mode="json")
        if isinstance(obj, datetime):
            return obj.isoformat()
        raise TypeError(type(obj).__name__)

    sys.stdout.write(json.dumps(value, default=default, indent=2) + "\n")


def _instant(value: str | None, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise InvalidInput(f"{what}: {exc}") from None


def _params(pairs: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(f"--param takes key=value, got '{pair}'.")
        result[key.strip()] = value
    return result


# --- automations ---------------------------------------------------------------------------


@automations_app.command("list")
@friendly
def automations_list(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    owner: Annotated[str | None, typer.Option(help="Owner's email.")] = None,
    all_: Annotated[
        bool | None, typer.Option("--all/--mine", help="Everyone's (default for admins) or yours.")
    ] = None,
) -> None:
    """List automations (yours, a colleague's, or everyone's)."""
    ctx = _ctx()
    views = ctx.tools.list_automations(_actor(ctx, org, user), owner_email=owner, everyone=all_)
    if as_json:
        _json(views)
    else:
        out.print(automation_table(views))


@automations_app.command("create")
@friendly
def automations_create(
    name: Annotated[str, typer.Option(help="A short name.")],
    skill: Annotated[str, typer.Option(help="Skill name (see `skilltick skills list`).")],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    cron: Annotated[str | None, typer.Option(help="5-field cron, e.g. '0 9 * * MON'.")] = None,
    rrule: Annotated[
        str | None,
        typer.Option(help="RRULE body, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=9;BYMINUTE=0."),
    ] = None,
    once: Annotated[str | None, typer.Option(help="ISO instant to run once.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="IANA time zone.")] = None,
    channel: Annotated[str, typer.Option(help="email | slack | webhook | in_app")] = "email",
    to: Annotated[list[str] | None, typer.Option(help="Recipient; 'me' is you.")] = None,
    param: Annotated[list[str] | None, typer.Option(help="Skill param key=value.")] = None,
    misfire: Annotated[str, typer.Option(help="latest | skip | catch_up")] = "latest",
    overlap: Annotated[str, typer.Option(help="skip | buffer_one | allow")] = "skip",
    owner: Annotated[str | None, typer.Option(help="Create for this user (admins).")] = None,
    paused: Annotated[bool, typer.Option(help="Create it paused.")] = False,
) -> None:
    """Create a scheduled automation."""
    if sum(x is not None for x in (cron, rrule, once)) != 1:
        raise InvalidInput("Give exactly one schedule: --cron, --rrule or --once.")
    ctx = _ctx()
    spec = AutomationSpec(
        name=name,
        skill=skill,
        params=_params(param or []),
        cron=cron,
        rrule=rrule,
        once=_instant(once, "--once"),
        timezone=tz,
        output_channel=channel,
        to=to or ["me"],
        misfire_policy=misfire,
        overlap_policy=overlap,
        owner_email=owner,
        enabled=not paused,
        origin={"channel": "email", "via": "cli"},
    )
    view = ctx.tools.create_automation(_actor(ctx, org, user), spec)
    if as_json:
        _json(view)
    else:
        out.print(f"Created automation #{view.id} “{view.name}”: {view.trigger}.")
        if view.next_run_at:
            out.print(f"Next run: {view.next_run_at.isoformat()}")


@automations_app.command("show")
@friendly
def automations_show(
    automation_id: int, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Show one automation with its next runs."""
    ctx = _ctx()
    view = ctx.tools.get_automation(_actor(ctx, org, user), automation_id)
    if as_json:
        _json(view)
        return
    out.print(automation_table([view]))
    for when in view.next_runs:
        out.print(f"  next: {when.isoformat()}")


@automations_app.command("pause")
@friendly
def automations_pause(
    automation_id: int,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    until: Annotated[str | None, typer.Option(help="ISO instant.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Pause an automation (optionally until a date)."""
    ctx = _ctx()
    view = ctx.tools.pause(_actor(ctx, org, user), automation_id, until=_instant(until, "--until"))
    _json(view) if as_json else out.print(f"Paused #{view.id} “{view.name}”.")


@automations_app.command("resume")
@friendly
def automations_resume(
    automation_id: int, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Resume a paused or failed automation."""
    ctx = _ctx()
    view = ctx.tools.resume(_actor(ctx, org, user), automation_id)
    if as_json:
        _json(view)
    else:
        nxt = view.next_run_at.isoformat() if view.next_run_at else "none"
        out.print(f"Resumed #{view.id} “{view.name}”; next run {nxt}.")


@automations_app.command("delete")
@friendly
def automations_delete(
    automation_id: int,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm.")] = False,
) -> None:
    """Delete an automation and its history (needs --yes)."""
    ctx = _ctx()
    ctx.tools.delete(_actor(ctx, org, user), automation_id, confirm=yes)
    out.print(f"Deleted automation #{automation_id}.")


@automations_app.command("run")
@friendly
def automations_run(
    automation_id: int, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Queue a run now (the worker picks it up within a second or two)."""
    ctx = _ctx()
    run = ctx.tools.run_now(_actor(ctx, org, user), automation_id)
    _json(run) if as_json else out.print(f"Queued run #{run.id} of automation #{automation_id}.")


@automations_app.command("test")
@friendly
def automations_test(
    automation_id: int, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Dry run on live data: shows the output to you; sends nothing."""
    ctx = _ctx()
    run = ctx.tools.test(_actor(ctx, org, user), automation_id)
    _json(run) if as_json else print_run(out, run)


# --- runs, skills, outbox ------------------------------------------------------------------


@runs_app.command("list")
@friendly
def runs_list(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    automation: Annotated[int | None, typer.Option(help="Automation id.")] = None,
    limit: Annotated[int, typer.Option(help="Page size.")] = 20,
    cursor: Annotated[int | None, typer.Option(help="Last id of the previous page.")] = None,
) -> None:
    """Run history, newest first."""
    ctx = _ctx()
    views = ctx.tools.list_runs(
        _actor(ctx, org, user), automation_id=automation, limit=limit, cursor=cursor
    )
    _json(views) if as_json else out.print(runs_table(views))


@runs_app.command("show")
@friendly
def runs_show(
    run_id: int, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """One run with its per-action and per-target rows."""
    ctx = _ctx()
    view = ctx.tools.get_run(_actor(ctx, org, user), run_id)
    _json(view) if as_json else print_run(out, view)


@skills_app.command("list")
@friendly
def skills_list(as_json: JsonOpt = False) -> None:
    """Skills with their params."""
    ctx = _ctx()
    specs = ctx.tools.list_skills()
    if as_json:
        _json(
            [
                {
                    "name": s.name,
                    "description": s.description,
                    "mode": s.mode,
                    "triggers": list(s.triggers),
                    "default_output": s.default_output,
                    "params": {
                        k: {
                            "type": p.type,
                            "default": p.default,
                            "description": p.description,
                            "choices": list(p.choices),
                        }
                        for k, p in s.params.items()
                    },
                }
                for s in specs
            ]
        )
    else:
        out.print(skills_table(specs))


@outbox_app.command("list")
@friendly
def outbox_list(as_json: JsonOpt = False, limit: int = 20) -> None:
    """Mail in the local outbox, newest first."""
    from models.store.deliveries import list_outbox

    ctx = _ctx()
    mails = list_outbox(ctx.engine, limit=limit)
    if as_json:
        _json(
            [
                {
                    "id": m.id,
                    "to": m.to_addr,
                    "subject": m.subject,
                    "created_at": m.created_at,
                    "message_id": m.message_id,
                }
                for m in mails
            ]
        )
        return
    if not mails:
        out.print("The outbox is empty.")
    for m in mails:
        out.print(
            f"#{m.id}  {m.created_at:%Y-%m-%d %H:%M}  to {m.to_addr}  {m.subject}", highlight=False
        )


@outbox_app.command("show")
@friendly
def outbox_show(message_id: int) -> None:
    """Print one message as sent (RFC 5322)."""
    from models.errors import NotFound
    from models.store.deliveries import get_outbox_message

    message = get_outbox_message(_ctx().engine, message_id)
    if message is None:
        raise NotFound(f"No outbox message #{message_id}.")
    sys.stdout.write(message.raw + "\n")


# each feature area registers its commands on `app` when imported
from assistant.cli import (  # noqa: E402, F401
    events,
    language,
    ops,
    service,
    skills,
)


def main() -> None:
    app()
