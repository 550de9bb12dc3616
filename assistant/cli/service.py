"""Command-line commands for the service: API tokens (`tokens create|list|revoke`), the
organisation's plan (`plan show|set`), the worker's status (`status`) and the audit log (`audit`)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli.common import (
    IdArg,
    JsonOpt,
    OrgOpt,
    UserOpt,
    acting,
    answered,
    context,
    friendly,
    out,
    print_json,
    said,
)
from assistant.tools.audit import automation_named
from assistant.tools.plan_words import plan_words
from models.errors import InvalidInput

if TYPE_CHECKING:
    from assistant.tools.service_views import ServiceStatus

tokens_app = typer.Typer(
    no_args_is_help=True, help="API tokens for the REST API and the dashboard's login link."
)
plan_app = typer.Typer(no_args_is_help=True, help="The organisation's plan.")
# commands that sit at the top level of `skilltick`
service_commands = typer.Typer()
#: `skilltick status`'s exit code when the worker is not ok (1 is any command's failure)
NOT_OK_EXIT = 2


def parse_lifetime(text: str) -> timedelta:
    """'90d', '12h', '8w' (days, hours, weeks) as a duration; InvalidInput otherwise."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([hdw])\s*", text.lower())
    if match is None:
        raise InvalidInput(f"--expires-in takes a number and h, d or w (e.g. 90d), got '{text}'.")
    unit = {"h": "hours", "d": "days", "w": "weeks"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


@tokens_app.command("create")
@friendly
def tokens_create(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "API",
    expires_in: Annotated[
        str | None, typer.Option(help="Lifetime, e.g. 90d, 12h or 8w; default: until revoked.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a new bearer token for a user (default: the organisation's first admin). Only its
    hash is kept: copy it now."""
    lifetime = parse_lifetime(expires_in) if expires_in is not None else None
    ctx, me = acting(org, user)
    issued = ctx.tools.create_api_token(me, name=name, expires_in=lifetime)
    if as_json:
        print_json(issued)
    else:
        # the token alone on stdout, so `TOKEN=$(skilltick tokens create ...)` works
        print(issued.token)


@tokens_app.command("list")
@friendly
def tokens_list(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Your tokens (admins: the organisation's), without their secrets."""
    ctx, me = acting(org, user)
    views = ctx.tools.list_api_tokens(me)
    if answered(views, as_json, empty="No tokens."):
        return
    for t in views:
        used = t.last_used_at.isoformat() if t.last_used_at else "never"
        expires = t.expires_at.isoformat() if t.expires_at else "never"
        out.print(
            f"#{t.id}  {t.hint}…  {t.name}  {t.user_email}  last used {used}  expires {expires}",
            highlight=False,
        )


@tokens_app.command("revoke")
@friendly
def tokens_revoke(token_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None) -> None:
    """Revoke a token at once."""
    ctx, me = acting(org, user)
    ctx.tools.revoke_api_token(me, token_id)
    out.print(f"Revoked token #{token_id}.")


@plan_app.command("set")
@friendly
def plan_set(
    plan: Annotated[str, typer.Argument(help="free | pro | enterprise")],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Set the organisation's plan (admins): says what it allows, and what is active beyond it."""
    ctx, me = acting(org, user)
    before = ctx.tools.get_org(me).plan
    view = ctx.tools.set_plan(me, plan)
    words = plan_words(ctx.engine, ctx.settings, me.org_id, ctx.tools.clock(), was=before)
    said(view, as_json, words, highlight=False)


@plan_app.command("show")
@friendly
def plan_show(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """The organisation's plan: what it allows, and what is active beyond it."""
    ctx, me = acting(org, user)
    view = ctx.tools.get_org(me)
    said(
        view,
        as_json,
        plan_words(ctx.engine, ctx.settings, me.org_id, ctx.tools.clock()),
        highlight=False,
    )


@service_commands.command("status")
@friendly
def status(as_json: JsonOpt = False) -> None:
    """The worker at a glance (last tick, lag, due backlog, stuck leases, failures by skill);
    exit code 0 when ok, 2 when not ok (problems listed), 1 when it cannot run; --json too."""
    report = context().tools.service_status()
    if not answered(report, as_json):
        _print_status(report)
    if not report.ok:
        raise typer.Exit(NOT_OK_EXIT)


def _print_status(report: ServiceStatus) -> None:
    last = report.last_tick_at.isoformat() if report.last_tick_at else "never"
    lag = (
        f"lag p50 {report.lag_ms_p50} ms, p95 {report.lag_ms_p95} ms"
        if report.lag_ms_p50 is not None
        else "no run started in the last hour to measure lag from"
    )
    out.print(
        f"{'ok' if report.ok else 'NOT OK'}: last tick {last} "
        f"({report.workers_seen} workers seen); {lag}; due {report.due_occurrences} occurrences and "
        f"{report.due_queued_runs} queued runs; {report.stuck_leases} stuck leases.",
        highlight=False,
    )
    for skill, rate in report.failure_rate_by_skill.items():
        out.print(f"  {skill}: {rate.failed}/{rate.finished} failed in 24 h", highlight=False)
    for problem in report.problems:
        out.print(f"  problem: {problem}", highlight=False)


@service_commands.command("audit")
@friendly
def audit(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    automation: Annotated[
        int | None, typer.Option(min=1, max=2**31 - 1, help="Only this automation's changes.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="Entries per page.")] = 50,
    cursor: Annotated[
        int | None, typer.Option(min=1, max=2**31 - 1, help="`next_cursor` of the last page.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Who changed what, newest first (admins: the organisation's; members: their own
    automations' and their own actions)."""
    ctx, me = acting(org, user)
    page = ctx.tools.list_audit(me, automation_id=automation, cursor=cursor, limit=limit)
    if answered(page, as_json) or answered(page.items, False, empty="No changes recorded."):
        return
    for item in page.items:
        # the summary names the automation by id; its name (or that it is gone) follows
        named = automation_named(item).partition(" ")[2]
        about = f" · {named}" if named else ""
        out.print(
            f"{item.at:%Y-%m-%d %H:%M} UTC  {item.actor}  {item.summary}{about}", highlight=False
        )
    if page.next_cursor:
        only = f" --automation {automation}" if automation else ""
        out.print(f"More: skilltick audit{only} --cursor {page.next_cursor}", highlight=False)
