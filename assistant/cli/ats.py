"""Command-line commands for a mirrored ATS: `ats connect [greenhouse|lever]` (or `--vendor`),
`ats disconnect`, `ats sync` and `ats status`."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.markup import escape

from assistant.app import AppContext
from assistant.cli.common import JsonOpt, UserOpt, acting, context, err, friendly, out, print_json
from models.errors import InvalidInput, NotFound
from models.settings import CoreSettings
from models.store.ats_sync import sync_sources
from models.store.orgs import find_org, get_org
from models.store.run_queue import db_now
from models.tables.ats_sync import AtsSyncSource
from skills.ats.greenhouse_client import HARVEST_URL
from skills.ats.leased_sync import leased_sync
from skills.ats.lever_client import LEVER_URL

ats_app = typer.Typer(
    no_args_is_help=True, help="Mirror your ATS (Greenhouse or Lever) so skills read its data."
)

#: each vendor's API address unless --api-url says otherwise
API_URLS = {"greenhouse": HARVEST_URL, "lever": LEVER_URL}

VendorArg = Annotated[
    str | None, typer.Argument(help="greenhouse (the default) or lever.", show_default=False)
]
VendorOpt = Annotated[
    str | None, typer.Option("--vendor", help="greenhouse (the default) or lever.")
]


def chosen_vendor(argument: str | None, option: str | None) -> str:
    """The vendor named as the argument or with --vendor (Greenhouse when neither)."""
    if argument and option and argument.lower() != option.lower():
        raise InvalidInput(f"Two vendors given ('{argument}' and --vendor '{option}'): give one.")
    return (option or argument or "greenhouse").strip().lower()


@ats_app.command("connect")
@friendly
def ats_connect(
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")],
    api_key_env: Annotated[
        str,
        typer.Option(
            "--api-key-env",
            help="The environment variable holding the API key (never the key itself).",
        ),
    ],
    vendor: VendorArg = None,
    vendor_option: VendorOpt = None,
    api_url: Annotated[
        str | None,
        typer.Option(help=f"The API address (default {HARVEST_URL}, or {LEVER_URL} for Lever)."),
    ] = None,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Connect an organisation's ATS; `skilltick ats sync` then mirrors it."""
    name = chosen_vendor(vendor, vendor_option)
    key = os.environ.get(api_key_env, "").strip()
    if not key:
        raise InvalidInput(f"The environment variable {api_key_env} is not set or empty.")
    ctx, me = acting(org, user)
    address = api_url or API_URLS.get(name, HARVEST_URL)
    source, created = ctx.tools.connect_ats_sync(
        me, name, base_url=address.rstrip("/"), api_key=key
    )
    if as_json:
        print_json(
            {"org": org, "vendor": source.vendor, "api_url": source.base_url, "created": created}
        )
        return
    verb = "Connected" if created else "Updated the key of"
    out.print(
        f"{verb} {source.vendor} for {org}. Run `skilltick ats sync --org {org}` to mirror it now.",
        highlight=False,
    )


def _connected_sources(ctx: AppContext, org: str | None, hint: str = "") -> list[AtsSyncSource]:
    """The ATS sources of `org` (every organisation's when None); none is an error, the `hint`
    saying what to do about it."""
    org_id = find_org(ctx.engine, org).id if org is not None else None
    sources = sync_sources(ctx.engine, org_id)
    if not sources:
        where = f" for {org}" if org else ""
        raise NotFound(f"No ATS is connected{where}{hint}.")
    return sources


@ats_app.command("disconnect")
@friendly
def ats_disconnect(
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")],
    vendor: VendorArg = None,
    vendor_option: VendorOpt = None,
    user: UserOpt = None,
) -> None:
    """Stop mirroring an organisation's ATS (the mirrored records stay); connect it again with
    `skilltick ats connect`."""
    name = chosen_vendor(vendor, vendor_option)
    ctx, me = acting(org, user)
    ctx.tools.disconnect_ats_sync(me, name)
    out.print(f"Disconnected {name} from {org}; the worker no longer syncs it.", highlight=False)


@ats_app.command("sync")
@friendly
def ats_sync(
    org: Annotated[
        str | None, typer.Option("--org", help="Organisation slug (default: every one).")
    ] = None,
    full: Annotated[
        bool,
        typer.Option(help="Read everything, not only what changed (finds deleted candidates)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Mirror each connected ATS now, printing one line of counts per organisation."""
    ctx = context()
    sources = _connected_sources(
        ctx,
        org,
        ": connect one with `skilltick ats connect [greenhouse|lever] --org SLUG --api-key-env VAR`",
    )
    results: list[dict[str, Any]] = []
    failed = False
    holder = f"cli:{socket.gethostname()}:{os.getpid()}"[:64]
    interval = timedelta(minutes=ctx.settings.core.ats_sync_minutes or 15)
    for source in sources:
        slug = get_org(ctx.engine, source.org_id).slug
        outcome = leased_sync(
            ctx.engine, source, db_now(ctx.engine), holder=holder, interval=interval, full=full
        )
        if outcome.busy:
            results.append({"org": slug, "vendor": source.vendor, "running": True})
            if not as_json:
                out.print(
                    f"{slug}: a sync is already running; this one was not started.",
                    highlight=False,
                )
            continue
        if outcome.error is not None or outcome.counts is None:
            failed = True
            results.append({"org": slug, "vendor": source.vendor, "error": outcome.error})
            if not as_json:
                err.print(
                    f"[bold red]error:[/] {slug}: {escape(str(outcome.error))}", highlight=False
                )
            continue
        counts = outcome.counts
        results.append({"org": slug, "vendor": source.vendor, **counts.as_dict()})
        if not as_json:
            out.print(f"{slug}: {counts.line()}.", highlight=False)
    if as_json:
        print_json(results)
    if failed:
        raise typer.Exit(1)


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value is not None else "never"


def status_of(source: AtsSyncSource, slug: str, settings: CoreSettings) -> dict[str, Any]:
    automatic = settings.ats_sync_minutes > 0
    return {
        "org": slug,
        "vendor": source.vendor,
        "last_synced_at": source.last_synced_at.isoformat() if source.last_synced_at else None,
        "last_full_at": source.last_full_at.isoformat() if source.last_full_at else None,
        "last_error": source.last_error,
        "failures": source.failures,
        "next_sync_at": (
            (source.next_sync_at.isoformat() if source.next_sync_at else "now")
            if automatic
            else None
        ),
        "running_until": source.lease_until.isoformat() if source.lease_until else None,
    }


@ats_app.command("status")
@friendly
def ats_status(
    org: Annotated[
        str | None, typer.Option("--org", help="Organisation slug (default: every one).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Each connected ATS: its last sync, last error and when the worker syncs it next."""
    ctx = context()
    sources = _connected_sources(ctx, org)
    rows = [status_of(s, get_org(ctx.engine, s.org_id).slug, ctx.settings.core) for s in sources]
    if as_json:
        print_json(rows)
        return
    for source, row in zip(sources, rows, strict=True):
        parts = [f"last sync {_when(source.last_synced_at)}"]
        if source.last_error:
            parts.append(f"last error ({source.failures} in a row): {source.last_error}")
        if source.lease_until is not None:
            parts.append("a sync is running")
        if ctx.settings.core.ats_sync_minutes > 0:
            parts.append(
                f"next by the worker {_when(source.next_sync_at) if source.next_sync_at else 'at its next tick'}"
            )
        else:
            parts.append("the worker does not sync (ats_sync_minutes is 0)")
        out.print(f"{row['org']} ({source.vendor}): {'; '.join(parts)}.", highlight=False)
