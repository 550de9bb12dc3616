"""End to end: scheduled pipeline reports over real SMTP (aiosmtpd on 127.0.0.1), an SMTP outage
(retries, failed occurrences, pause, resume) and a locked SQLite database.

Messages are counted by Message-ID: a message sent twice would show up as a repeated id.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bench.kit.factories import OrgFixture, make_automation, make_org
from models.engine import make_engine
from models.settings import Settings, load_settings
from models.store.automations import get_automation, save_automation
from models.store.deliveries import list_deliveries
from models.store.orgs import get_user
from models.store.run_history import list_runs
from models.tables.automations import Automation
from models.tables.runs import AutomationRun
from skills.ats.seed import seed_demo
from tests.worker.delivery.test_delivery import Mailbox, free_port, smtp_server  # noqa: F401 (fixture)
from worker.schedule.for_automation import first_run_at
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
SLACK = timedelta(seconds=5)  # ticks come this long after a retry is due

StartServer = Callable[[int | None], Mailbox]


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def runs_of(engine: Engine, auto: Automation) -> list[AutomationRun]:
    found = list_runs(engine, auto.org_id, automation_id=auto.id, limit=1000)
    return sorted(found, key=lambda r: (r.scheduled_for, r.attempt, r.id or 0))


def reload(engine: Engine, auto: Automation) -> Automation:
    return get_automation(engine, auto.org_id, auto.id or 0)


def smtp_settings(port: int) -> Settings:
    return load_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_timeout_seconds=5.0)


def demo_report(engine: Engine) -> tuple[Automation, str]:
    """A daily 09:00 UTC pipeline report by email to its owner, over seeded demo data."""
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=30)
    owner = get_user(engine, demo.member_ids[0])
    org = OrgFixture(demo.org_id, demo.admin_id, owner.id or 0, "", owner.email)
    auto = make_automation(
        engine,
        org,
        NOW,
        cron="0 9 * * *",
        skill="pipeline-report",
        channel="email",
        to=["me"],
        name="Daily pipeline",
        params={"period": "daily"},
    )
    return auto, owner.email


def message_ids(mailbox: Mailbox) -> Counter[str]:
    return Counter(str(m["Message-ID"]) for m in mailbox.messages)


def test_a_scheduled_pipeline_report_arrives_as_multipart_text_and_html(
    sqlite_engine: Engine,
    smtp_server: StartServer,  # noqa: F811
) -> None:
    mailbox = smtp_server(None)
    auto, owner_email = demo_report(sqlite_engine)
    worker = Worker(sqlite_engine, smtp_settings(mailbox.port))
    report = worker.tick(now=at("2026-03-02T09:00:00Z"))
    assert report.statuses == {"completed": 1}

    (run,) = runs_of(sqlite_engine, auto)
    assert (run.status, run.triggered_by, run.metrics["delivered"]) == ("completed", "schedule", 1)
    (message,) = mailbox.messages
    assert message["To"].addresses[0].addr_spec == owner_email
    assert message.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text_part, html_part = message.get_body(("plain",)), message.get_body(("html",))
    assert text_part is not None and html_part is not None
    text, html = text_part.get_content(), html_part.get_content()
    assert "pipeline" in text.lower() and "<" in html
    (delivery,) = list_deliveries(sqlite_engine, run_id=run.id)
    assert (delivery.status, delivery.message_id) == ("sent", message["Message-ID"])

    worker.tick(now=at("2026-03-02T09:00:40Z"))
    assert len(mailbox.messages) == 1


def test_an_smtp_outage_retries_fails_pauses_and_a_resumed_automation_delivers_once(
    engine: Engine,
    smtp_server: StartServer,  # noqa: F811
) -> None:
    port = free_port()  # nothing listens there yet
    auto, owner_email = demo_report(engine)
    worker = Worker(engine, smtp_settings(port))

    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        slot = at(f"{day}T09:00:00Z")
        worker.tick(now=slot)
        attempts = [r for r in runs_of(engine, auto) if r.scheduled_for == slot]
        assert [(r.attempt, r.status) for r in attempts] == [(1, "failed"), (2, "pending")]
        assert "refused the connection" in (attempts[0].error_message or "")
        assert abs(attempts[1].not_before - (slot + timedelta(minutes=1))) < timedelta(seconds=2)
        second_at = attempts[1].not_before + SLACK
        worker.tick(now=second_at)
        third = [r for r in runs_of(engine, auto) if r.scheduled_for == slot][-1]
        assert (third.attempt, third.status) == (3, "pending")
        assert abs(third.not_before - (second_at + timedelta(minutes=2))) < timedelta(seconds=2)
        worker.tick(now=third.not_before + SLACK)
        attempts = [r for r in runs_of(engine, auto) if r.scheduled_for == slot]
        assert [(r.attempt, r.status) for r in attempts] == [
            (1, "failed"),
            (2, "failed"),
            (3, "failed"),
        ]

    stored = reload(engine, auto)
    assert (stored.enabled, stored.status, stored.consecutive_failures) == (False, "failed", 3)
    assert stored.paused_reason
    assert len(runs_of(engine, auto)) == 9

    # the server comes back; the owner fixes nothing else and resumes the automation
    mailbox = smtp_server(port)
    resumed_at = at("2026-03-04T12:00:00Z")
    stored = reload(engine, auto)
    save_automation(
        engine,
        stored,
        {
            "enabled": True,
            "status": "idle",
            "consecutive_failures": 0,
            "paused_reason": None,
            "next_run_at": first_run_at(stored, resumed_at),
        },
    )
    assert reload(engine, auto).next_run_at == at("2026-03-05T09:00:00Z")

    for instant in (
        "2026-03-05T09:00:00Z",
        "2026-03-05T09:01:05Z",
        "2026-03-05T09:05:00Z",
        "2026-03-05T10:30:00Z",
    ):
        worker.tick(now=at(instant))
    run = runs_of(engine, auto)[-1]
    assert (run.scheduled_for, run.attempt, run.status) == (
        at("2026-03-05T09:00:00Z"),
        1,
        "completed",
    )
    (delivery,) = list_deliveries(engine, run_id=run.id)
    ids = message_ids(mailbox)
    assert ids[delivery.message_id] == 1  # the report, exactly once
    assert set(ids.values()) == {1}  # nothing was sent twice
    # besides the report, one digest tells the owner what happened while the mail was down
    others = [m for m in mailbox.messages if m["Message-ID"] != delivery.message_id]
    assert [m["Subject"] for m in others] == ["Paused: Daily pipeline"]
    assert {m["To"].addresses[0].addr_spec for m in mailbox.messages} == {owner_email}
    assert reload(engine, auto).consecutive_failures == 0


def test_a_locked_sqlite_database_fails_the_tick_and_loses_nothing(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, cron="0 9 * * *")
    path = sqlite_engine.url.database
    assert path
    impatient = make_engine(str(sqlite_engine.url), busy_timeout_ms=100)
    worker = Worker(impatient, load_settings())

    locker = sqlite3.connect(path, isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(OperationalError, match="locked"):
            worker.tick(now=at("2026-03-02T09:00:00Z"))
        locker.execute("ROLLBACK")
    finally:
        locker.close()
    try:
        assert runs_of(sqlite_engine, auto) == []
        assert reload(sqlite_engine, auto).next_run_at == at("2026-03-02T09:00:00Z")

        report = worker.tick(now=at("2026-03-02T09:00:30Z"))
        assert report.statuses == {"completed": 1}
        worker.tick(now=at("2026-03-02T09:00:45Z"))
    finally:
        impatient.dispose()
    (run,) = runs_of(sqlite_engine, auto)
    assert (run.scheduled_for, run.status, run.lag_ms) == (
        at("2026-03-02T09:00:00Z"),
        "completed",
        30_000,
    )
    assert reload(sqlite_engine, auto).next_run_at == at("2026-03-03T09:00:00Z")
