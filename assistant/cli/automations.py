"""Command-line commands for automations and their runs: `automations list|create|show|pause|
resume|delete|run|test` and `runs list|show`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from assistant.cli.common import (
    CursorOpt,
    IdArg,
    JsonOpt,
    LimitOpt,
    OrgOpt,
    UserOpt,
    acting,
    actor,
    answered,
    context,
    err,
    friendly,
    instant,
    out,
    print_json,
    said,
    skill_params,
)
from assistant.cli.render import automation_table, print_run, runs_table
from assistant.tools.bulk_words import until_words
from assistant.tools.holiday_words import holidays_sentence
from assistant.tools.views import AutomationSpec
from models.clock import local_time
from models.errors import InvalidInput
from models.limits import cut_page, page_read_size


def event_filter(pairs: list[str]) -> dict[str, Any]:
    """An event filter from repeated `--filter key=value` options (e.g. to_stage=Interview)."""
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--filter takes key=value, got '{pair}'.")
        result[key.strip()] = value.strip()
    return result


automations_app = typer.Typer(no_args_is_help=True, help="Create and manage automations.")
runs_app = typer.Typer(no_args_is_help=True, help="Run history.")


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
    system: Annotated[
        bool, typer.Option("--system", help="The organisation's system jobs (admins).")
    ] = False,
) -> None:
    """List automations (yours, a colleague's, or everyone's), or the system jobs."""
    ctx, me = acting(org, user)
    views = ctx.tools.list_automations(me, owner_email=owner, everyone=all_, system=system)
    said(views, as_json, automation_table(views))


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
    skip_holidays: Annotated[
        bool,
        typer.Option(
            "--skip-holidays",
            help="Skip the runs on the organisation's holidays (`skilltick holidays`).",
        ),
    ] = False,
    owner: Annotated[str | None, typer.Option(help="Create for this user (admins).")] = None,
    paused: Annotated[bool, typer.Option(help="Create it paused.")] = False,
    event: Annotated[
        str | None, typer.Option(help="Fire on this event, e.g. candidate.stage_changed.")
    ] = None,
    filter_: Annotated[
        list[str] | None,
        typer.Option("--filter", help="Event filter key=value, e.g. to_stage=Interview."),
    ] = None,
    poll_every: Annotated[
        int | None, typer.Option(min=1, help="Poll the ATS every this many minutes.")
    ] = None,
) -> None:
    """Create an automation: on a schedule (--cron, --rrule or --once), on an ATS event
    (--event, with --filter), or polling the ATS (--poll-every)."""
    triggers = sum(x is not None for x in (cron, rrule, once, event, poll_every))
    if triggers != 1:
        raise InvalidInput(
            "Give exactly one schedule (--cron, --rrule or --once), or instead --event (an "
            "ATS event) or --poll-every (minutes)."
        )
    if filter_ and event is None:
        raise InvalidInput("--filter narrows an event trigger; add --event.")
    ctx = context()
    spec = AutomationSpec(
        name=name,
        skill=skill,
        params=skill_params(param or []),
        trigger_type="event" if event else "poll" if poll_every else "cron",
        event_type=event,
        event_filter=event_filter(filter_ or []),
        poll_interval_minutes=poll_every,
        cron=cron,
        rrule=rrule,
        once=instant(once, "--once"),
        timezone=tz,
        output_channel=channel,
        to=to or ["me"],
        misfire_policy=misfire,
        overlap_policy=overlap,
        skip_holidays=skip_holidays,
        owner_email=owner,
        enabled=not paused,
        origin={"channel": "email", "via": "cli"},
    )
    view = ctx.tools.create_automation(actor(ctx, org, user), spec)
    if as_json:
        print_json(view)
    else:
        out.print(f"Created automation #{view.id} “{view.name}”: {view.trigger}.")
        if not view.enabled:
            out.print(f"It is paused: `skilltick automations resume {view.id}` starts it.")
        elif view.next_kept_run_at:
            out.print(f"Next run: {local_time(view.next_kept_run_at, view.timezone)}.")
        if said := holidays_sentence(view):
            out.print(said)


@automations_app.command("show")
@friendly
def automations_show(
    automation_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Show one automation with its next runs."""
    ctx, me = acting(org, user)
    view = ctx.tools.get_automation(me, automation_id)
    if answered(view, as_json):
        return
    out.print(automation_table([view]))
    for when in view.next_runs:
        out.print(f"  next: {when.isoformat()}" + (" (skipped)" if when in view.skipped else ""))
    if said := holidays_sentence(view):
        out.print(said)


@automations_app.command("pause")
@friendly
def automations_pause(
    automation_id: IdArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    until: Annotated[str | None, typer.Option(help="ISO instant.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Pause an automation (optionally until a date)."""
    ctx, me = acting(org, user)
    view = ctx.tools.pause(me, automation_id, until=instant(until, "--until"))
    ending = until_words(view.paused_until, view.timezone or "UTC")
    said(view, as_json, f"Paused #{view.id} “{view.name}”{ending}.")


@automations_app.command("resume")
@friendly
def automations_resume(
    automation_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Resume a paused or failed automation."""
    ctx, me = acting(org, user)
    view = ctx.tools.resume(me, automation_id)
    if view.next_kept_run_at is not None:
        nxt = f"next run {local_time(view.next_kept_run_at, view.timezone)}"
    elif view.trigger_type == "event":  # it has no time of its own: an event starts it
        nxt = f"it runs {view.trigger[:1].lower()}{view.trigger[1:]}"
    else:
        nxt = "no run scheduled"
    said(view, as_json, f"Resumed #{view.id} “{view.name}”; {nxt}.")


@automations_app.command("skip")
@friendly
def automations_skip(
    automation_id: IdArg,
    words: Annotated[str, typer.Argument(help="The runs: 'Dec 14 and 21', 'the next 2 runs'.")],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    undo: Annotated[bool, typer.Option("--undo", help="Bring those runs back instead.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Skip chosen runs (it stays active), or with --undo bring skipped ones back ('all')."""
    ctx, me = acting(org, user)
    tool = ctx.tools.unskip_runs if undo else ctx.tools.skip_runs
    done = tool(me, automation_id, words)
    tz = done.automation.timezone
    runs = ", ".join(local_time(t, tz) for t in done.skipped)
    nxt = local_time(done.next_run_at, tz) if done.next_run_at else "none scheduled"
    what = "No longer skipping" if undo else "Skipping"
    said(done, as_json, f"{what} #{automation_id}'s runs of {runs}; next run {nxt}.")


@automations_app.command("delete")
@friendly
def automations_delete(
    automation_id: IdArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm.")] = False,
) -> None:
    """Delete an automation and its history (needs --yes)."""
    ctx, me = acting(org, user)
    ctx.tools.delete(me, automation_id, confirm=yes, how_to_confirm="add --yes to go ahead")
    out.print(f"Deleted automation #{automation_id}.")


@automations_app.command("run")
@friendly
def automations_run(
    automation_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Queue a run now (the worker picks it up within a second or two)."""
    ctx, me = acting(org, user)
    run = ctx.tools.run_now(me, automation_id)
    said(run, as_json, f"Queued run #{run.id} of automation #{automation_id}.")


@automations_app.command("test")
@friendly
def automations_test(
    automation_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """Dry run on live data: shows the output to you; sends nothing."""
    ctx, me = acting(org, user)
    run = ctx.tools.test(me, automation_id)
    if as_json:
        print_json(run)
        return
    if run.note:
        out.print(run.note, highlight=False)
    print_run(out, run)


# --- runs ------------------------------------------------------------------


@runs_app.command("list")
@friendly
def runs_list(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    automation: Annotated[int | None, typer.Option(help="Automation id.")] = None,
    limit: LimitOpt = 20,
    cursor: CursorOpt = None,
) -> None:
    """Run history, newest first."""
    ctx, who = acting(org, user)
    found = ctx.tools.list_runs(
        who, automation_id=automation, limit=page_read_size(limit), cursor=cursor
    )
    views, more = cut_page(found, limit)
    note = ctx.tools.history_note(who)
    if as_json:
        print_json(views)
        if note:  # the JSON stays a list of runs; the note goes beside it
            err.print(note, highlight=False)
        return
    out.print(runs_table(views, more=more))
    if note:
        out.print(note, highlight=False)


@runs_app.command("show")
@friendly
def runs_show(
    run_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """One run with its per-action and per-target rows."""
    ctx, me = acting(org, user)
    view = ctx.tools.get_run(me, run_id)
    print_json(view) if as_json else print_run(out, view)
