"""Renewal reminders made before the organisation connected a mirrored ATS (Greenhouse, Lever),
which gives none of what they read: each run is skipped with that reason and sends nothing,
its owner is told once (not on every run), and a bulk resume leaves them paused, naming them and
why, while it resumes the rest. On both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.ats_sync import connect_source
from models.store.automations import get_automation
from models.store.deliveries import list_outbox
from models.store.orgs import get_user
from models.tables import table_of
from models.tables.runs import Notice
from tests.worker.tick.tick_support import new_worker, runs_of

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday
LINE = (
    "Renewal reminders would always be empty here: they need contract end dates and offer "
    "expiry dates, which Lever does not give skilltick."
)


def _connect_lever(engine: Engine, org_id: int) -> None:
    connect_source(
        engine,
        org_id=org_id,
        vendor="lever",
        base_url="https://ats.example.com",
        api_key="key-0123456789abcdef",
        now=NOW,
    )


def test_each_run_is_skipped_and_the_owner_told_once(engine: Engine) -> None:
    org = make_org(engine, NOW)
    reminders = make_automation(
        engine,
        org,
        NOW,
        cron="0 9 * * *",
        skill="renewal-reminders",
        channel="email",
        owner_id=org.admin_id,
        name="Renewals",
    )
    _connect_lever(engine, org.org_id)
    worker = new_worker(engine, load_settings())
    for day in range(3):
        worker.tick(now=NOW + timedelta(days=day, hours=1, seconds=5))
    runs = runs_of(engine, reminders)
    assert [(r.status, r.skipped_reason) for r in runs] == [("skipped", "ats_unmirrored")] * 3
    with engine.connect() as conn:
        notices = table_of(Notice)
        told = conn.execute(select(notices.c.kind, notices.c.text)).all()
    assert [(kind, text.startswith(LINE)) for kind, text in told] == [("skipped", True)]
    # the only mail is the notice: no reminders went out
    assert [m.subject for m in list_outbox(engine)] in ([], ["Skipped: Renewals"])


def test_a_bulk_resume_leaves_them_paused_and_says_why(engine: Engine) -> None:
    org = make_org(engine, NOW)
    paused: dict[str, Any] = {"enabled": False, "status": "paused"}
    reminders = make_automation(
        engine, org, NOW, skill="renewal-reminders", owner_id=org.admin_id, **paused
    )
    report = make_automation(
        engine, org, NOW, skill="pipeline-report", owner_id=org.admin_id, **paused
    )
    _connect_lever(engine, org.org_id)
    admin = get_user(engine, org.admin_id)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    me = Actor(admin.org_id, admin.id or 0, admin.role, admin.email, None)
    asked = tools.bulk(me, "resume all my automations")
    assert asked.automation_ids == [report.id]
    assert f"#{reminders.id} stays paused: {LINE}" in asked.message, asked.message
    done = tools.bulk(me, "resume all my automations", confirm=True)
    assert done.automation_ids == [report.id]
    assert f"#{reminders.id} stays paused: {LINE}" in done.message, done.message
    assert get_automation(engine, org.org_id, report.id or 0).enabled
    assert not get_automation(engine, org.org_id, reminders.id or 0).enabled
