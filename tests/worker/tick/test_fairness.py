"""One tenant cannot stall the others: a mail server that accepts and never greets, and owner
templates that loop for hours or build 20 MB, next to other organisations' ordinary runs. The
ordinary runs are on record within seconds; the slow ones fail with a message that says why."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bench.kit.factories import make_automation, make_org
from bench.kit.peers.silent_tcp import silent_server
from models.settings import load_settings
from models.store.run_queue import queue_run
from models.tables.automations import Automation
from models.tables.deliveries import OutboxMessage
from models.tables.demo_ats import AtsCandidate
from models.tables.runs import AutomationRun, RunAction
from skills.ats.seed import seed_demo
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 8, 59, tzinfo=UTC)
DUE = NOW + timedelta(minutes=1, seconds=1)
SMTP_TIMEOUT = 10.0  # the default

NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}"
HUGE_OUTPUT = "{{ 'x' * 20000000 }}"


@contextmanager
def finish_times(engine: Engine) -> Iterator[dict[int, float]]:
    """Seconds after the block starts at which each run was first seen finished, by run id
    (polled from the store while the tick runs: what another client would see)."""
    seen: dict[int, float] = {}
    stop = threading.Event()
    started = time.monotonic()

    def scan() -> None:
        with Session(engine) as session:
            ids = session.scalars(
                select(col(AutomationRun.id)).where(
                    col(AutomationRun.status).in_(("completed", "failed", "partial", "skipped"))
                )
            ).all()
        for run_id in ids:
            if run_id is not None:  # a stored run always has its id
                seen.setdefault(run_id, time.monotonic() - started)

    def watch() -> None:
        while not stop.wait(0.05):
            scan()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()
        scan()  # a run that finished in the block's last moments is seen at its end


def runs_by_automation(engine: Engine) -> dict[int, AutomationRun]:
    """Each automation's first attempt."""
    with Session(engine) as session:
        rows = session.scalars(select(AutomationRun).where(col(AutomationRun.attempt) == 1)).all()
        return {r.automation_id: r for r in rows}


def test_a_never_greeting_smtp_server_does_not_delay_other_organisations(
    engine: Engine,
) -> None:
    orgs = [make_org(engine, NOW, slug=f"org{i}") for i in range(5)]
    slow, others = orgs[0], orgs[1:]
    by_email = [
        make_automation(engine, slow, NOW, cron="0 9 * * *", channel="email", name=f"mail {i}")
        for i in range(10)
    ]
    in_app = [
        make_automation(engine, org, NOW, cron="0 9 * * *", channel="in_app", name=f"inbox {i}")
        for org in others
        for i in range(10)
    ]
    with silent_server() as port:
        settings = load_settings(
            smtp_host="127.0.0.1", smtp_port=port, smtp_timeout_seconds=SMTP_TIMEOUT
        )
        worker = Worker(engine, settings)
        with finish_times(engine) as seen:
            report = worker.tick(now=DUE)

    runs = runs_by_automation(engine)
    assert report.claimed == 50
    failed = [runs[a.id or 0] for a in by_email]
    for auto in in_app:
        run = runs[auto.id or 0]
        assert run.status == "completed", run.error_message
    # every other organisation's run was on record before the first send gave up waiting
    last_other = max(seen[runs[a.id or 0].id or 0] for a in in_app)
    first_mail = min(seen[r.id or 0] for r in failed)
    assert last_other < first_mail, (last_other, first_mail)
    assert last_other < SMTP_TIMEOUT
    assert {r.status for r in failed} == {"failed"}
    messages = [r.error_message or "" for r in failed]
    timed_out = [m for m in messages if "did not answer within 10 s" in m]
    assert timed_out and all(m.startswith(f"SMTP server 127.0.0.1:{port}") for m in messages)
    # after a few timeouts the breaker fails the rest at once, saying why
    paused = [m for m in messages if "sends to it are paused" in m]
    assert len(paused) >= 10 - settings.core.run_threads
    assert all("last error: SMTP server" in m for m in paused)
    assert report.open_breakers and report.open_breakers[0]["destination"] == (
        f"SMTP server 127.0.0.1:{port}"
    )
    # each failed run goes again later (an outage is worth retrying)
    with Session(engine) as session:
        pending = session.scalar(select(func.count()).where(col(AutomationRun.status) == "pending"))
    assert pending == 10


def workflow(engine: Engine, org_id: int, owner_id: int, body: str, name: str) -> Automation:
    from models.store.automations import add_automation

    return add_automation(
        engine,
        Automation(
            org_id=org_id,
            owner_id=owner_id,
            name=name,
            skill="workflow",
            params={
                "actions": [{"type": "send_email", "to": "owner", "subject": "Moved", "body": body}]
            },
            trigger_type="event",
            event_type="candidate.stage_changed",
            output_channel="email",
            output_config={"to": ["me"]},
            created_at=NOW,
            updated_at=NOW,
        ),
    )


def test_pathological_templates_fail_alone_while_other_runs_finish(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=10)
    owner = demo.member_ids[0]
    loops = workflow(engine, demo.org_id, owner, NESTED_LOOPS, "loops")
    huge = workflow(engine, demo.org_id, owner, HUGE_OUTPUT, "huge")
    fine = workflow(engine, demo.org_id, owner, "Hello {{ candidate.first_name }}", "fine")
    with Session(engine) as session:
        candidate = session.scalars(
            select(col(AtsCandidate.id)).where(col(AtsCandidate.org_id) == demo.org_id)
        ).first()
    for auto in (loops, huge, fine):
        queue_run(
            engine,
            automation_id=auto.id or 0,
            org_id=demo.org_id,
            triggered_by="event",
            now=NOW,
            trigger_data={"candidate_id": candidate},
        )
    others = [make_org(engine, NOW, slug=f"other{i}") for i in range(2)]
    ordinary = [
        make_automation(engine, org, NOW, cron="0 9 * * *", channel="in_app", name=f"r{i}")
        for org in others
        for i in range(3)
    ]
    worker = Worker(engine, load_settings(smtp_host=None))
    with finish_times(engine) as seen:
        worker.tick(now=DUE)

    runs = runs_by_automation(engine)
    for auto in ordinary:
        assert runs[auto.id or 0].status == "completed"
    # the ordinary runs were on record before the looping template ran out of time
    last_ordinary = max(seen[runs[a.id or 0].id or 0] for a in ordinary)
    assert last_ordinary < seen[runs[loops.id or 0].id or 0]
    assert runs[fine.id or 0].status == "completed"

    def action_error(auto: Automation) -> str:
        run = runs[auto.id or 0]
        assert (run.status, run.error_code) == ("failed", "action_failed")
        with Session(engine) as session:
            [row] = session.scalars(
                select(RunAction).where(
                    col(RunAction.run_id) == run.id, col(RunAction.action_type) == "send_email"
                )
            ).all()
        assert row.error == run.error_message
        return row.error or ""

    assert action_error(loops) == "Template of action 1 (send_email) took longer than 2 s"
    assert action_error(huge) == (
        "Template of action 1 (send_email) failed: output larger than 256 KB"
    )
    with Session(engine) as session:
        outbox = session.scalars(select(OutboxMessage)).all()
    assert [m.subject for m in outbox] == ["Moved"]  # the fine one, and only it
    assert max(len(m.raw) for m in outbox) < 10_000
