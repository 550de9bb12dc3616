"""Command-line commands for triggers: `connections add|list|webhook-secret` and `events
list`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.common import (
    CursorOpt,
    JsonOpt,
    LimitOpt,
    OrgOpt,
    UserOpt,
    acting,
    answered,
    friendly,
    out,
    print_json,
)
from assistant.language.draft import interval_words
from assistant.tools.events import EventView

connections_app = typer.Typer(no_args_is_help=True, help="ATS connections (webhooks, polls).")
events_app = typer.Typer(no_args_is_help=True, help="Events received from ATSs.")


@connections_app.command("add")
@friendly
def connections_add(
    provider: Annotated[
        str, typer.Argument(help="greenhouse | lever | ashby | workable | generic | demo")
    ],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    secret: Annotated[
        str, typer.Option(help="The signing secret from the ATS's webhook settings.")
    ] = "",
    name: Annotated[str, typer.Option(help="A label.")] = "",
    poll_every: Annotated[
        int | None, typer.Option(help="Poll every N minutes instead of webhooks (demo ATS).")
    ] = None,
) -> None:
    """Connect an ATS and print the webhook URL to paste into it."""
    ctx, me = acting(org, user)
    view = ctx.tools.add_connection(
        me, provider, secret=secret, name=name, poll_interval_minutes=poll_every
    )
    if as_json:
        print_json(view)
    elif view.webhook_url:
        out.print(f"Connected {view.provider} (#{view.id}). Webhook URL:", highlight=False)
        out.print(view.webhook_url, highlight=False, soft_wrap=True)
        if "public_url" not in ctx.settings.triggers.model_fields_set:
            out.print(
                "It starts with this machine's default address: set SKILLTICK_PUBLIC_URL to "
                "the address your ATS reaches skilltick at, and the URL follows.",
                highlight=False,
            )
    elif view.poll_interval_minutes:
        out.print(
            f"Connected {view.provider} (#{view.id}), polled "
            f"{interval_words(view.poll_interval_minutes)}.",
            highlight=False,
        )
    else:
        out.print(f"Connected {view.provider} (#{view.id}).", highlight=False)


@connections_app.command("webhook-secret")
@friendly
def connections_webhook_secret(
    org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False
) -> None:
    """The secret your webhook outputs are signed with (admins): your receivers verify
    X-Skilltick-Signature with it; each organisation has its own."""
    ctx, me = acting(org, user)
    shown = ctx.tools.webhook_signing_secret(me)
    if answered(shown, as_json):
        return
    out.print(shown.secret, highlight=False, soft_wrap=True)


@connections_app.command("list")
@friendly
def connections_list(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """ATS connections with their webhook URLs."""
    ctx, me = acting(org, user)
    views = ctx.tools.list_connections(me)
    if answered(
        views, as_json, empty="No ATS connections. Add one with `skilltick connections add`."
    ):
        return
    for v in views:
        where = v.webhook_url or (
            f"polled {interval_words(v.poll_interval_minutes)}"
            if v.poll_interval_minutes
            else "not polled (events arrive through `skilltick demo move`)"
        )
        out.print(f"#{v.id}  {v.provider:<10} {where}", highlight=False, soft_wrap=True)


def events_table(views: list[EventView]) -> Table:
    table = Table("id", "received", "provider", "event", "status", "runs", "note")
    for v in views:
        note = v.error or (f"replay of #{v.duplicate_of}" if v.duplicate_of else "")
        table.add_row(
            str(v.id),
            f"{v.received_at:%Y-%m-%d %H:%M:%S}",
            v.provider,
            v.event_type or v.provider_type or "-",
            v.status,
            str(v.runs_started),
            note,
        )
    return table


@events_app.command("list")
@friendly
def events_list(
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
    limit: LimitOpt = 20,
    cursor: CursorOpt = None,
) -> None:
    """Recent events: provider, canonical type, status and the runs they started."""
    ctx, me = acting(org, user)
    views = ctx.tools.list_events(me, limit=limit, cursor=cursor)
    if not answered(views, as_json, empty="No events yet."):
        out.print(events_table(views))
