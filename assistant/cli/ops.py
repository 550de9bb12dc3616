"""Operator commands: `db upgrade`, `demo move|seed`, `outbox list|show`, `tick`, `worker` and
`serve`."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import threading
from typing import Annotated, Any

import typer
from rich.text import Text

from assistant.app import build_context, deployment_settings
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
    instant,
    out,
    print_json,
)
from assistant.cli.listen import base_url, listen, with_public_url
from assistant.cli.serve_words import follow_up_words, force_first_run, slack_words
from assistant.demo import (
    ensure_demo,
    ensure_service_demo,
    move_a_candidate_to_interview,
)
from assistant.http import create_app
from assistant.http.host_check import guarded
from models.errors import NotFound
from models.limits import check_id, check_limit
from models.migrate import current_revision, head_revision
from models.settings import DEFAULT_PORT
from models.store.deliveries import get_outbox_message, list_outbox
from models.store.run_queue import db_now
from worker.tick.factory import finish_background
from worker.tick.loop import run_worker
from worker.tick.report import TickReport
from worker.tick.tick import Worker

db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
demo_app = typer.Typer(no_args_is_help=True, help="Demo organisation and ATS data.")
outbox_app = typer.Typer(no_args_is_help=True, help="Mail kept locally when no SMTP is set.")
# commands that sit at the top level of `skilltick`
ops_commands = typer.Typer()


@db_app.command("upgrade")
@friendly
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    ctx = context()  # building the context upgrades
    current, newest = current_revision(ctx.engine), head_revision()
    if current == newest:
        out.print(f"The database schema is up to date (revision {current}).", highlight=False)
    else:
        out.print(f"The database is at revision {current}; the newest is {newest}.")


@demo_app.command("move")
@friendly
def demo_move(
    candidate: Annotated[int, typer.Argument(help="Candidate id.")],
    stage: Annotated[
        str, typer.Argument(help="Applied, Screen, Interview, Offer, Hired or Rejected.")
    ],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move a demo candidate to a stage; event automations fire (run `skilltick worker`)."""
    ctx, me = acting(org, user)
    views = ctx.tools.move_demo_candidate(me, candidate, stage)
    if answered(views, as_json):
        return
    for v in views:
        out.print(
            f"Event #{v.id} {v.event_type}: {v.data.get('from_stage')} → "
            f"{v.data.get('to_stage')} ({v.data.get('job', '')}).",
            highlight=False,
        )


@demo_app.command("reply")
@friendly
def demo_reply(
    candidate: Annotated[int, typer.Argument(help="Candidate id.")],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A demo candidate replies: candidate.replied stops their sequences and fires automations."""
    ctx, me = acting(org, user)
    view = ctx.tools.demo_reply(me, candidate)
    if answered(view, as_json):
        return
    out.print(f"Event #{view.id} candidate.replied for candidate {candidate}.", highlight=False)


@demo_app.command("seed")
@friendly
def demo_seed(candidates: Annotated[int, typer.Option(min=1, max=100_000)] = 40) -> None:
    """Create organisation `demo` (an admin, two members), ATS data and a weekly report."""
    ctx = context()
    setup = ensure_demo(ctx, db_now(ctx.engine), candidates=candidates)
    out.print(
        f"Organisation '{setup.org_slug}': admin {setup.admin_email}, members "
        f"{', '.join(setup.member_emails)}."
    )
    out.print(f"Automation #{setup.report.id} “{setup.report.name}”: {setup.report.trigger}.")


@outbox_app.command("list")
@friendly
def outbox_list(as_json: JsonOpt = False, limit: LimitOpt = 20) -> None:
    """Mail in the local outbox, newest first."""
    ctx = context()
    mails = list_outbox(ctx.engine, limit=check_limit(limit))
    if as_json:
        print_json(
            [
                {
                    "id": m.id,
                    "to": m.to_addr,
                    "subject": m.subject,
                    "created_at": m.created_at,
                    "message_id": m.message_id,
                }
                for m in mails
            ]
        )
        return
    if not mails:
        out.print("The outbox is empty.")
    for m in mails:
        out.print(
            f"#{m.id}  {m.created_at:%Y-%m-%d %H:%M}  to {m.to_addr}  {m.subject}", highlight=False
        )


@outbox_app.command("show")
@friendly
def outbox_show(message_id: IdArg) -> None:
    """Print one message as sent (RFC 5322)."""
    message = get_outbox_message(context().engine, check_id(message_id, "outbox message"))
    if message is None:
        raise NotFound(f"No outbox message #{message_id}.")
    sys.stdout.write(message.raw + "\n")


def _print_tick(report: TickReport) -> None:
    parts = [f"{n} {status}" for status, n in sorted(report.statuses.items())]
    out.print(
        f"tick {report.now:%H:%M:%S}: claimed {report.claimed} "
        f"({', '.join(parts) or 'nothing due'}) in {report.duration_ms} ms",
        highlight=False,
    )


@ops_commands.command("tick")
@friendly
def tick(
    now: Annotated[
        str | None, typer.Option(help="Tick as of this ISO instant (default: the database clock).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run one tick and exit (for system cron, a Kubernetes CronJob, EventBridge)."""
    ctx = context()
    worker = ctx.build_worker()
    report = worker.tick(instant(now, "--now"))
    finish_background(worker)  # a connected ATS's sync, if one was due
    print_json(report.as_dict()) if as_json else _print_tick(report)


def _loop(ctx_worker: Worker, *, verbose: bool) -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    def on_tick(report: TickReport) -> None:
        if verbose or report.claimed:
            _print_tick(report)

    run_worker(ctx_worker, stop=stop, on_tick=on_tick)
    out.print("Stopped.")


@ops_commands.command("worker")
@friendly
def worker_cmd(verbose: Annotated[bool, typer.Option("--verbose")] = False) -> None:
    """Tick at each minute boundary, and early when a run is queued; Ctrl+C stops."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    ctx = context()
    worker = ctx.build_worker()
    out.print(f"Worker {worker.worker_id} on {ctx.engine.url.render_as_string()}")
    _loop(worker, verbose=verbose)


@ops_commands.command("serve")
@friendly
def serve(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Seed the demo organisation, ATS data and automations; print a login link.",
        ),
    ] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port (0: any free one).")
    ] = DEFAULT_PORT,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker",
            help="Serve HTTP only (workers run apart, or POST /cron/tick drives them).",
        ),
    ] = False,
) -> None:
    """Run everything on one port: REST API, dashboard, Slack and ATS webhooks, the tick
    endpoint, and (unless --no-worker) the worker in a background thread."""
    import uvicorn

    logging.basicConfig(level=logging.WARNING)
    sock = listen(host, port)
    base = base_url(host, sock)
    settings = with_public_url(deployment_settings(), base)
    if demo and settings.service.status_auth is None:
        # the newcomer's local demo shows /status and /metrics without a token
        service = settings.service.model_copy(update={"status_auth": False})
        settings = settings.model_copy(update={"service": service})
    ctx = build_context(settings)
    # lifespan on: the app's lifespan runs the MCP session manager that /mcp needs
    # DNS rebinding: a local service answers only its own names
    app = guarded(
        create_app(ctx), listen_host=host, public_url=settings.triggers.public_url, demo=demo
    )
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    stop = threading.Event()
    thread: threading.Thread | None = None

    class Service(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            # let the worker finish its tick before uvicorn re-raises Ctrl+C / SIGTERM
            await super().shutdown(sockets)
            stop.set()
            ctx.wake.set()
            if thread is not None:
                await asyncio.to_thread(thread.join, 60)
            out.print("Stopped.")

    server = Service(config)
    out.print(Text.assemble(("skilltick", "bold"), f" on {ctx.engine.url.render_as_string()}"))
    login_paths: list[tuple[str, str]] = []
    if demo:
        seeded = ensure_service_demo(ctx, db_now(ctx.engine))
        setup = seeded.setup
        out.print(
            f"Demo organisation '{setup.org_slug}': admin {setup.admin_email}, members "
            f"{', '.join(setup.member_emails)}."
        )
        for view in seeded.automations:
            paused = "" if view.enabled else " (paused)"  # paused since an earlier start
            out.print(
                f"  #{view.id} “{view.name}” ({view.owner_email}): {view.trigger}{paused}",
                highlight=False,
            )
        login_paths = [
            (setup.member_emails[0], f"/login?token={seeded.member_token}"),
            (setup.admin_email, f"/login?token={seeded.admin_token}"),
        ]
        # a first report right away, so a newcomer sees a run and its email without waiting
        # for Monday 9am
        force_first_run(ctx, setup.org_slug, setup.report, worker=not no_worker)
        # the poll's first check right away too: its recent applicants land in the Inbox
        for view in seeded.automations:
            if view.trigger_type == "poll":
                force_first_run(ctx, setup.org_slug, view, worker=not no_worker)
        # and one stage move, so the event automation fires without waiting for real ATS news
        moved = move_a_candidate_to_interview(ctx, setup)
        follow_up = next((v for v in seeded.automations if v.trigger_type == "event"), None)
        if moved is not None:
            out.print(
                f"Demo candidate {moved.candidate_id} moved to Interview (event "
                f"#{', #'.join(map(str, moved.events))}): {follow_up_words(follow_up)} "
                "`skilltick demo move ID STAGE` moves another.",
                highlight=False,
            )
    if ctx.settings.smtp.host:
        out.print(f"Mail goes to SMTP {ctx.settings.smtp.host}:{ctx.settings.smtp.port}.")
    else:
        out.print("No SMTP configured: mail lands in the local outbox (dashboard: Outbox).")
    slack = slack_words(ctx.settings.slack, ctx.settings.triggers.public_url)
    if slack:
        out.print(slack, highlight=False)
    if not no_worker:
        worker = ctx.build_worker()
        thread = threading.Thread(
            target=run_worker,
            args=(worker,),
            name="worker",
            kwargs={"stop": stop, "wake": ctx.wake},
            daemon=True,
        )
        out.print(f"Worker {worker.worker_id} runs in this process.")

    def announce() -> None:
        while not server.started and not stop.is_set():
            stop.wait(0.05)
        if not server.servers:
            return
        out.print(f"Dashboard: {base}/   API: {base}/api (docs {base}/docs)", highlight=False)
        for email, path in login_paths:
            out.print(f"Log in as {email}: {base}{path}", highlight=False)
        out.print("Ctrl+C stops.")

    threading.Thread(target=announce, name="announce", daemon=True).start()
    if thread is not None:
        thread.start()
    server.run(sockets=[sock])  # handles SIGINT/SIGTERM: see Service.shutdown
