"""Operator commands: db, demo, tick, worker, serve."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Annotated

import typer

from assistant.cli import (
    JsonOpt,
    _ctx,
    _instant,
    _json,
    app,
    db_app,
    demo_app,
    friendly,
    out,
)
from assistant.demo_setup import ensure_demo
from models.migrate import current_revision, head_revision
from models.runqueue import db_now
from worker import TickReport, Worker, run_worker
from worker.factory import build_worker


@db_app.command("upgrade")
@friendly
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    ctx = _ctx()  # building the context upgrades
    out.print(f"Database at revision {current_revision(ctx.engine)} (head {head_revision()}).")


@demo_app.command("seed")
@friendly
def demo_seed(candidates: Annotated[int, typer.Option(min=1, max=100_000)] = 40) -> None:
    """Create organisation `demo` (an admin, two members), ATS data and a weekly report."""
    ctx = _ctx()
    setup = ensure_demo(ctx, db_now(ctx.engine), candidates=candidates)
    out.print(f"Organisation '{setup.org_slug}': admin {setup.admin_email}, members "
              f"{', '.join(setup.member_emails)}.")
    out.print(f"Automation #{setup.report.id} “{setup.report.name}”: {setup.report.trigger}.")


def _print_tick(report: TickReport) -> None:
    parts = [f"{n} {status}" for status, n in sorted(report.statuses.items())]
    out.print(f"tick {report.now:%H:%M:%S}: claimed {report.claimed} "
              f"({', '.join(parts) or 'nothing due'}) in {report.duration_ms} ms",
              highlight=False)


@app.command("tick")
@friendly
def tick(now: Annotated[str | None, typer.Option(help="Tick as of this ISO instant "
                                                 "(default: the database clock).")] = None,
         as_json: JsonOpt = False) -> None:
    """Run one tick and exit (for system cron, a Kubernetes CronJob, EventBridge)."""
    ctx = _ctx()
    report = build_worker(ctx.engine, ctx.settings, registry=ctx.registry).tick(
        _instant(now, "--now"))
    _json(report.as_dict()) if as_json else _print_tick(report)


def _loop(ctx_worker: Worker, *, verbose: bool) -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    def on_tick(report: TickReport) -> None:
        if verbose or report.claimed:
            _print_tick(report)

    run_worker(ctx_worker, stop=stop, on_tick=on_tick)
    out.print("Stopped.")


@app.command("worker")
@friendly
def worker_cmd(verbose: Annotated[bool, typer.Option("--verbose")] = False) -> None:
    """Tick at each minute boundary, and early when a run is queued; Ctrl+C stops."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    ctx = _ctx()
    worker = build_worker(ctx.engine, ctx.settings, registry=ctx.registry)
    out.print(f"Worker {worker.worker_id} on {ctx.engine.url.render_as_string()}")
    _loop(worker, verbose=verbose)


@app.command("serve")
@friendly
def serve(demo: Annotated[bool, typer.Option("--demo", help="Seed the demo organisation "
                                             "and force a first report.")] = False) -> None:
    """Run the service on this machine (SQLite and no credentials by default)."""
    logging.basicConfig(level=logging.WARNING)
    ctx = _ctx()
    worker = build_worker(ctx.engine, ctx.settings, registry=ctx.registry)
    out.print(f"[bold]skilltick[/] on {ctx.engine.url.render_as_string()}, worker "
              f"{worker.worker_id}")
    if demo:
        setup = ensure_demo(ctx, db_now(ctx.engine))
        report = setup.report
        out.print(f"Demo organisation '{setup.org_slug}': admin {setup.admin_email}, members "
                  f"{', '.join(setup.member_emails)}.")
        out.print(f"Automation #{report.id} “{report.name}” ({report.owner_email}): "
                  f"{report.trigger}; next run {report.next_run_at}.")
        from assistant.tools import actor_for

        run = ctx.tools.run_now(actor_for(ctx.engine, "demo", report.owner_email), report.id)
        out.print(f"Forced run #{run.id} queued now.")
    if ctx.settings.smtp_host:
        out.print(f"Mail goes to SMTP {ctx.settings.smtp_host}:{ctx.settings.smtp_port}.")
    else:
        out.print("No SMTP configured: mail lands in the local outbox. See it with "
                  "`skilltick outbox list` and `skilltick outbox show ID`; runs with "
                  "`skilltick runs list`.")
    out.print("Ctrl+C stops.")
    _loop(worker, verbose=False)
