"""The rest of what the tool set does to an automation, from the command line: `automations
update`, `clear`, `why` and `backtest`, and `runs retry`. Registered on the groups of
assistant.cli.automations."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from assistant.cli.automations import automations_app, event_filter, runs_app
from assistant.cli.common import (
    IdArg,
    JsonOpt,
    OrgOpt,
    UserOpt,
    acting,
    answered,
    friendly,
    instant,
    out,
    said,
    skill_params,
)
from assistant.cli.render import automation_table, print_run
from assistant.tools.holiday_words import holidays_sentence
from models.errors import InvalidInput


@automations_app.command("update")
@friendly
def automations_update(
    automation_id: IdArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    cron: Annotated[str | None, typer.Option(help="A new 5-field cron.")] = None,
    rrule: Annotated[str | None, typer.Option(help="A new RRULE body.")] = None,
    once: Annotated[str | None, typer.Option(help="Run once at this ISO instant instead.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="IANA time zone.")] = None,
    channel: Annotated[str | None, typer.Option(help="email | slack | webhook | in_app")] = None,
    to: Annotated[list[str] | None, typer.Option(help="Recipients (replace the list).")] = None,
    param: Annotated[
        list[str] | None, typer.Option(help="Skill param key=value (merged into the current).")
    ] = None,
    event: Annotated[str | None, typer.Option(help="Event type of an event trigger.")] = None,
    filter_: Annotated[
        list[str] | None,
        typer.Option("--filter", help="Event filter key=value (replaces the filter)."),
    ] = None,
    poll_every: Annotated[
        int | None, typer.Option(min=1, help="Minutes between polls of a poll trigger.")
    ] = None,
    misfire: Annotated[str | None, typer.Option(help="latest | skip | catch_up")] = None,
    overlap: Annotated[str | None, typer.Option(help="skip | buffer_one | allow")] = None,
    skip_holidays: Annotated[
        bool | None,
        typer.Option(
            "--skip-holidays/--run-on-holidays",
            help="Skip the runs on the organisation's holidays, or run on them too.",
        ),
    ] = None,
    owner: Annotated[
        str | None, typer.Option(help="Admins: give it to this colleague (email).")
    ] = None,
) -> None:
    """Change an automation: only what you pass changes, checked as at creation."""
    ctx, who = acting(org, user)
    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("name", name),
            ("cron", cron),
            ("rrule", rrule),
            ("once", instant(once, "--once")),
            ("timezone", tz),
            ("output_channel", channel),
            ("to", to),
            ("event_type", event),
            ("event_filter", event_filter(filter_) if filter_ is not None else None),
            ("poll_interval_minutes", poll_every),
            ("misfire_policy", misfire),
            ("overlap_policy", overlap),
            ("skip_holidays", skip_holidays),
            ("owner_email", owner),
        )
        if value is not None
    }
    if param:
        current = ctx.tools.get_automation(who, automation_id).params
        changes["params"] = {**current, **skill_params(param)}
    if not changes:
        raise InvalidInput("Nothing to change: pass at least one option (see --help).")
    view = ctx.tools.update_automation(who, automation_id, changes)
    if answered(view, as_json):
        return
    out.print(f"Updated #{view.id} “{view.name}”: {view.trigger}.", highlight=False)
    if "skip_holidays" in changes:
        out.print(holidays_sentence(view) or "It runs on your organisation's holidays too.")
    out.print(automation_table([view]))


@automations_app.command("clear")
@friendly
def automations_clear(
    automation_id: IdArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm.")] = False,
) -> None:
    """Delete an automation's finished runs (queued and running ones stay)."""
    if not yes:
        raise InvalidInput("Clearing deletes the finished runs for good; add --yes to go ahead.")
    ctx, who = acting(org, user)
    count = ctx.tools.clear_history(who, automation_id)
    out.print(f"Cleared {count} finished run{'s' if count != 1 else ''} of #{automation_id}.")


@automations_app.command("why")
@friendly
def automations_why(
    automation_id: IdArg,
    question: Annotated[str, typer.Argument(help="Your question, in words.")] = "",
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Why it did or did not fire, or why it failed, in plain words from its runs."""
    ctx, who = acting(org, user)
    answer = ctx.tools.why(who, automation_id, question)
    said(answer, as_json, answer.answer, highlight=False)


@automations_app.command("backtest")
@friendly
def automations_backtest(
    automation_id: IdArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    days: Annotated[int, typer.Option(min=1, max=30, help="How many days back.")] = 7,
) -> None:
    """Which recent events an event automation would have fired on, and what it would have
    sent; nothing is sent or stored."""
    ctx, who = acting(org, user)
    hits = ctx.tools.backtest(who, automation_id, days)
    if answered(hits, as_json):
        return
    out.print(
        f"In the last {days} days {len(hits)} event{'s' if len(hits) != 1 else ''} would have "
        f"fired #{automation_id}.",
        highlight=False,
    )
    for h in hits:
        outcome = h.subject or h.skipped_reason or h.error or h.would_send
        out.print(
            f"  event #{h.event_id} {h.event_type} at {h.received_at.isoformat()}: {outcome}",
            highlight=False,
        )


@runs_app.command("retry")
@friendly
def runs_retry(
    run_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Run a failed or partial run's occurrence again now (a manual run: the schedule and the
    failure count do not move)."""
    ctx, who = acting(org, user)
    run = ctx.tools.retry(who, run_id)
    if answered(run, as_json):
        return
    out.print(f"Queued run #{run.id}, a retry of #{run_id}.", highlight=False)
    print_run(out, run)
