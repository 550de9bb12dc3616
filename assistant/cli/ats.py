"""Command-line commands for a mirrored ATS: `ats connect greenhouse` and `ats sync`."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from rich.markup import escape

from assistant.cli.common import JsonOpt, UserOpt, acting, context, err, friendly, out, print_json
from models.errors import InvalidInput, NotFound, PermissionDenied
from models.store.ats_sync import connect_source, sync_sources
from models.store.orgs import find_org, get_org
from models.store.run_queue import db_now
from skills.ats.greenhouse_client import HARVEST_URL, HarvestError
from skills.ats.greenhouse_sync import sync_source

ats_app = typer.Typer(
    no_args_is_help=True, help="Mirror your ATS (Greenhouse) so skills read its data."
)


@ats_app.command("connect")
@friendly
def ats_connect(
    vendor: Annotated[str, typer.Argument(help="greenhouse")],
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")],
    api_key_env: Annotated[
        str,
        typer.Option(
            "--api-key-env",
            help="The environment variable holding the Harvest API key (never the key itself).",
        ),
    ],
    api_url: Annotated[str, typer.Option(help="The Harvest API address.")] = HARVEST_URL,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Connect an organisation's ATS; `skilltick ats sync` then mirrors it."""
    key = os.environ.get(api_key_env, "").strip()
    if not key:
        raise InvalidInput(f"The environment variable {api_key_env} is not set or empty.")
    ctx, me = acting(org, user)
    if not me.is_admin:
        raise PermissionDenied("Only an admin can connect the organisation's ATS.")
    source, created = connect_source(
        ctx.engine,
        org_id=me.org_id,
        vendor=vendor,
        base_url=api_url.rstrip("/"),
        api_key=key,
        now=db_now(ctx.engine),
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
    org_id = find_org(ctx.engine, org).id if org is not None else None
    sources = sync_sources(ctx.engine, org_id)
    if not sources:
        where = f" for {org}" if org else ""
        raise NotFound(
            f"No ATS is connected{where}: connect one with `skilltick ats connect greenhouse "
            "--org SLUG --api-key-env VAR`."
        )
    results: list[dict[str, Any]] = []
    failed = False
    for source in sources:
        slug = get_org(ctx.engine, source.org_id).slug
        try:
            counts = sync_source(ctx.engine, source, db_now(ctx.engine), full=full)
        except HarvestError as error:
            failed = True
            results.append({"org": slug, "vendor": source.vendor, "error": str(error)})
            if not as_json:
                err.print(f"[bold red]error:[/] {slug}: {escape(str(error))}", highlight=False)
            continue
        results.append({"org": slug, "vendor": source.vendor, **counts.as_dict()})
        if not as_json:
            out.print(f"{slug}: {counts.line()}.", highlight=False)
    if as_json:
        print_json(results)
    if failed:
        raise typer.Exit(1)
