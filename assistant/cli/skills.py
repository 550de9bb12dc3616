"""Command-line commands for skills and what they read: `skills list`, `holidays list|add|remove`,
`sequences list|enrol|remove|analytics` and `inbox list|show`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from assistant.cli.common import (
    IdArg,
    JsonOpt,
    LimitOpt,
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
from assistant.cli.render import skills_table
from assistant.tools.skills import param_range

skills_app = typer.Typer(no_args_is_help=True, help="Skills automations can run.")
holidays_app = typer.Typer(
    no_args_is_help=True, help="The organisation's holiday calendar (business days skip these)."
)
sequences_app = typer.Typer(
    no_args_is_help=True,
    help="Nurture sequences: enrol candidates, remove them, see how sequences perform.",
)
inbox_app = typer.Typer(no_args_is_help=True, help="Your in-app messages (output in_app).")

SequenceArg = Annotated[str, typer.Argument(help="Sequence name or id.")]
CandidateArg = Annotated[int, typer.Argument(help="Candidate id in the ATS.")]


# --- skills -------------------------------------------------------------------------------


@skills_app.command("list")
@friendly
def skills_list(as_json: JsonOpt = False) -> None:
    """Skills with their params."""
    ctx = context()
    specs = ctx.tools.list_skills()
    if as_json:
        print_json(
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
                            "required": p.required,
                            "minimum": param_range(p)[0],
                            "maximum": param_range(p)[1],
                        }
                        for k, p in s.params.items()
                    },
                }
                for s in specs
            ]
        )
    else:
        out.print(skills_table(specs))


# --- holidays ------------------------------------------------------------------------------


@holidays_app.command("list")
@friendly
def holidays_list(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Holidays in date order."""
    ctx, me = acting(org, user)
    days = ctx.tools.list_holidays(me)
    if answered(days, as_json, empty="No holidays in the calendar."):
        return
    for h in days:
        out.print(f"{h.day:%Y-%m-%d %a}  {h.name}", highlight=False)


@holidays_app.command("add")
@friendly
def holidays_add(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD")],
    name: Annotated[str, typer.Option(help="What the day is, e.g. Christmas Day.")] = "",
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a holiday (admins)."""
    ctx, me = acting(org, user)
    view = ctx.tools.add_holiday(me, day, name)
    said(view, as_json, f"Added {view.day:%Y-%m-%d} {view.name}".rstrip(), highlight=False)


@holidays_app.command("remove")
@friendly
def holidays_remove(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD")],
    org: OrgOpt = "demo",
    user: UserOpt = None,
) -> None:
    """Remove a holiday (admins)."""
    ctx, me = acting(org, user)
    ctx.tools.remove_holiday(me, day)
    out.print(f"Removed {day.strip()}.", highlight=False)


# --- sequences -----------------------------------------------------------------------------


@sequences_app.command("list")
@friendly
def sequences_list(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Sequences with their steps and active enrolments."""
    ctx, me = acting(org, user)
    views = ctx.tools.list_sequences(me)
    if answered(views, as_json, empty="No sequences yet."):
        return
    table = Table("id", "name", "steps", "active", "automatic", "stage", "enabled")
    for v in views:
        table.add_row(
            str(v.id),
            v.name,
            str(v.steps),
            str(v.active),
            "yes" if v.automatic else "no",
            v.stage or "-",
            "yes" if v.enabled else "no",
        )
    out.print(table)


@sequences_app.command("enrol")
@friendly
def sequences_enrol(
    sequence: SequenceArg,
    candidate: CandidateArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Enrol a candidate in a sequence."""
    ctx, me = acting(org, user)
    view = ctx.tools.enrol_in_sequence(me, sequence, candidate)
    if answered(view, as_json):
        return
    due = f"{view.next_step_at:%Y-%m-%d %H:%M} UTC" if view.next_step_at else "now"
    out.print(
        f"Enrolled candidate {view.candidate_id} (enrolment #{view.id}); step 1 is due {due}.",
        highlight=False,
    )


@sequences_app.command("remove")
@friendly
def sequences_remove(
    sequence: SequenceArg, candidate: CandidateArg, org: OrgOpt = "demo", user: UserOpt = None
) -> None:
    """Stop a candidate's enrolment in a sequence."""
    ctx, me = acting(org, user)
    ctx.tools.remove_from_sequence(me, sequence, candidate)
    out.print(f"Removed candidate {candidate} from the sequence.", highlight=False)


@sequences_app.command("analytics")
@friendly
def sequences_analytics(
    sequence: Annotated[
        str | None, typer.Argument(help="Sequence name or id; default: all.")
    ] = None,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Enrolled, completed, stopped (and why), failed, per sequence and step."""
    ctx, me = acting(org, user)
    stats = ctx.tools.sequence_analytics(me, sequence)
    if answered(stats, as_json, empty="No sequences yet."):
        return
    for s in stats:
        stopped = ", ".join(f"{k} {v}" for k, v in s["stopped_by_reason"].items()) or "none"
        out.print(
            Text.assemble(
                (s["name"], "bold"),
                f" (#{s['sequence_id']}): {s['enrolled']} enrolled, "
                f"{s['pending'] + s['running']} active, {s['completed']} completed, "
                f"{s['stopped']} stopped ({stopped}), {s['failed']} failed",
            ),
            highlight=False,
        )
        for step in s["steps"]:
            rates = (
                f" of {step['reached']} reached: {step['completion_rate']:.0%} completed, "
                f"{step['stop_rate']:.0%} stopped"
                if step["reached"]
                else ""
            )
            out.print(
                f"  step {step['position']}: {step['completed']} completed, "
                f"{step['failed']} failed, {step['stopped']} stopped{rates}",
                highlight=False,
            )


# --- inbox ---------------------------------------------------------------------------------


@inbox_app.command("list")
@friendly
def inbox_list(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    unread: Annotated[bool, typer.Option(help="Only unread messages.")] = False,
    limit: LimitOpt = 20,
) -> None:
    """Your in-app messages, newest first."""
    ctx, me = acting(org, user)
    items = ctx.tools.list_inbox(me, unread_only=unread, limit=limit)
    if answered(items, as_json, empty="Your inbox is empty."):
        return
    for m in items:
        mark = " " if m.read else "•"
        out.print(f"{mark} #{m.id}  {m.created_at:%Y-%m-%d %H:%M}  {m.subject}", highlight=False)


@inbox_app.command("show")
@friendly
def inbox_show(
    message_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """One message in full (marks it read)."""
    ctx, me = acting(org, user)
    view = ctx.tools.read_inbox(me, message_id)
    if answered(view, as_json):
        return
    sys.stdout.write(
        f"Subject: {view.subject}\nDate: {view.created_at:%Y-%m-%d %H:%M} UTC\n\n"
        f"{view.text.rstrip()}\n"
    )
