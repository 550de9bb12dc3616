"""Rich tables and run detail for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.tools.views import AutomationView, RunView, listed_next_run, listed_state
from skills.base import SkillSpec


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def automation_table(views: Sequence[AutomationView]) -> Table:
    table = Table(title="Automations", show_lines=False)
    for column in (
        "id",
        "name",
        "owner",
        "trigger",
        "skill",
        "output",
        "state",
        "last run",
        "next run",
    ):
        table.add_column(column)
    for v in views:
        last = f"{_when(v.last_run_at)} {v.last_run_status or ''}".strip()
        table.add_row(
            str(v.id),
            f"{v.name} (system job)" if v.system else v.name,
            v.owner_email,
            v.trigger,
            v.skill,
            f"{v.output_channel} → {', '.join(v.to)}",
            listed_state(v),
            last,
            _when(listed_next_run(v)) if v.enabled else "— (paused)",
        )
    if not views:
        table.caption = "No automations yet."
    return table


def runs_table(views: Sequence[RunView], *, more: bool = False) -> Table:
    """`more`: runs older than these exist (the caption then names the next page's cursor)."""
    table = Table(title="Runs (newest first)")
    for column in ("id", "automation", "by", "scheduled for", "attempt", "status", "lag", "detail"):
        table.add_column(column)
    for v in views:
        detail = v.error_message or v.skipped_reason or ""
        if v.missed_count:
            missed = f"{v.missed_count} missed occurrence{'s' if v.missed_count != 1 else ''}"
            detail = missed if detail in ("", "missed") else f"{detail}; {missed}"
        lag = f"{v.lag_ms / 1000:.1f}s" if v.lag_ms is not None else "—"
        table.add_row(
            str(v.id),
            f"#{v.automation_id}",
            v.triggered_by,
            _when(v.scheduled_for),
            str(v.attempt),
            v.status,
            lag,
            detail,
        )
    if views and more:
        table.caption = f"Next page: --cursor {views[-1].id}"
    elif not views:
        table.caption = "No runs yet."
    return table


def skills_table(specs: Sequence[SkillSpec]) -> Table:
    table = Table(title="Skills")
    for column in ("name", "mode", "triggers", "params", "description"):
        table.add_column(column)
    for s in specs:
        params = ", ".join(
            f"{k}={p.default}" if p.default is not None else k for k, p in s.params.items()
        )
        table.add_row(s.name, s.mode, ", ".join(s.triggers), params, s.description)
    return table


def print_run(console: Console, run: RunView) -> None:
    console.print(
        Text.assemble(
            (f"Run #{run.id}", "bold"),
            f" of automation #{run.automation_id} — {run.status}"
            f" ({run.triggered_by}, attempt {run.attempt})",
        )
    )
    console.print(
        f"scheduled for {_when(run.scheduled_for)}, started {_when(run.started_at)}, "
        f"completed {_when(run.completed_at)}",
        highlight=False,
    )
    if run.error_message:
        console.print(
            Text.assemble(("error", "red"), f" {run.error_code}: {run.error_message}"),
            highlight=False,
        )
    if run.skipped_reason:
        console.print(f"skipped: {run.skipped_reason}")
    if run.summary:
        console.print(f"summary: {run.summary}", highlight=False)
    for action in run.actions:
        console.print(
            f"  action {action.position} {action.action_type}: {action.status} "
            f"{action.error or action.skipped_reason or ''} {action.detail}",
            highlight=False,
        )
    for target in run.targets:
        console.print(
            f"  target {target.target_type} {target.target_ref}: {target.status} "
            f"{target.error or target.skipped_reason or ''}",
            highlight=False,
        )
    if run.output:
        console.rule("output (shown to you only)")
        console.print(run.output, highlight=False, markup=False)
