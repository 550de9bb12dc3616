"""Command-line commands for the service (registered on assistant.cli.root.app when imported):
API tokens, the organisation's plan and the worker's status."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.root import JsonOpt, OrgOpt, UserOpt, _actor, _ctx, _json, app, friendly, out

tokens_app = typer.Typer(
    no_args_is_help=True, help="API tokens for the REST API and the dashboard's login link."
)
plan_app = typer.Typer(no_args_is_help=True, help="The organisation's plan.")
app.add_typer(tokens_app, name="tokens")
app.add_typer(plan_app, name="plan")


@tokens_app.command("create")
@friendly
def tokens_create(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "API",
    as_json: JsonOpt = False,
) -> None:
    """Print a new bearer token for a user (default: the organisation's first admin). Only its
    hash is kept: copy it now."""
    ctx = _ctx()
    issued = ctx.tools.create_api_token(_actor(ctx, org, user), name=name)
    if as_json:
        _json(issued)
    else:
        # the token alone on stdout, so `TOKEN=$(skilltick tokens create ...)` works
        print(issued.token)


@tokens_app.command("list")
@friendly
def tokens_list(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Your tokens (admins: the organisation's), without their secrets."""
    ctx = _ctx()
    views = ctx.tools.list_api_tokens(_actor(ctx, org, user))
    if as_json:
        _json(views)
        return
    if not views:
        out.print("No tokens.")
    for t in views:
        used = t.last_used_at.isoformat() if t.last_used_at else "never"
        out.print(
            f"#{t.id}  {t.hint}…  {t.name}  {t.user_email}  last used {used}", highlight=False
        )


@tokens_app.command("revoke")
@friendly
def tokens_revoke(token_id: int, org: OrgOpt = "demo", user: UserOpt = None) -> None:
    """Revoke a token at once."""
    ctx = _ctx()
    ctx.tools.revoke_api_token(_actor(ctx, org, user), token_id)
    out.print(f"Revoked token #{token_id}.")


@plan_app.command("set")
@friendly
def plan_set(
    plan: Annotated[str, typer.Argument(help="free | pro | enterprise")],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Set the organisation's plan (admins)."""
    ctx = _ctx()
    view = ctx.tools.set_plan(_actor(ctx, org, user), plan)
    _json(view) if as_json else out.print(f"Organisation '{view.slug}' is on {view.plan}.")


@app.command("status")
@friendly
def status(as_json: JsonOpt = False) -> None:
    """The worker at a glance: last tick, lag, due backlog, stuck leases, failures by skill."""
    report = _ctx().tools.service_status()
    if as_json:
        _json(report)
        return
    last = report.last_tick_at.isoformat() if report.last_tick_at else "never"
    out.print(
        f"{'ok' if report.ok else 'NOT OK'}: last tick {last} "
        f"({report.workers_seen} workers seen); lag p50 {report.lag_ms_p50} ms, "
        f"p95 {report.lag_ms_p95} ms; due {report.due_occurrences} occurrences and "
        f"{report.due_queued_runs} queued runs; {report.stuck_leases} stuck leases.",
        highlight=False,
    )
    for skill, rate in report.failure_rate_by_skill.items():
        out.print(f"  {skill}: {rate.failed}/{rate.finished} failed in 24 h", highlight=False)
    for problem in report.problems:
        out.print(f"  problem: {problem}", highlight=False)
