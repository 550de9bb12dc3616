"""Runs beyond the plan's logged-run quota still run but keep no history row; run history says
so (API page, tool set, CLI) instead of letting them vanish."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from assistant.cli.root import app
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.engine import make_engine
from models.migrate import upgrade
from models.settings import PlanLimits, default_plans, load_settings
from models.store.orgs import get_user
from models.store.run_queue import db_now
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def quota_of_two() -> dict[str, PlanLimits]:
    plans = default_plans()
    plans["pro"] = plans["pro"].model_copy(update={"logged_runs_per_month": 2})
    return plans


def test_run_history_says_how_many_runs_beyond_the_quota_are_not_kept(engine: Engine) -> None:
    org = make_org(engine, NOW, plan="pro")
    autos = [
        make_automation(engine, org, NOW, cron="0 9 * * *", name=f"report {i}") for i in range(5)
    ]
    settings = load_settings(plans=quota_of_two(), smtp_host=None)
    tools = Toolset(engine, settings, clock=lambda: NINE)
    member = Actor.of(get_user(engine, org.member_id))
    assert tools.list_runs_page(member, autos[0].id or 0).note is None

    Worker(engine, settings).tick(now=NINE)
    note = tools.list_runs_page(member, autos[0].id or 0).note
    assert note == (
        "This month 3 runs beyond your Pro plan's 2 logged runs a month ran but are not "
        "kept in run history; only the count is kept."
    )
    assert tools.history_note(member) == note


def test_the_cli_run_list_carries_the_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/skilltick.db"
    engine = make_engine(url)
    try:
        upgrade(engine)
        now = db_now(engine)  # the CLI reads this month's count on the real clock
        org = make_org(engine, now, plan="pro")
        for i in range(3):
            make_automation(
                engine, org, now, name=f"report {i}", next_run_at=now - timedelta(minutes=1)
            )
        Worker(engine, load_settings(plans=quota_of_two(), smtp_host=None)).tick(now=now)
    finally:
        engine.dispose()
    monkeypatch.setenv("SKILLTICK_DATABASE_URL", url)
    monkeypatch.setenv(
        "SKILLTICK_PLANS", json.dumps({k: v.model_dump() for k, v in quota_of_two().items()})
    )
    shown = CliRunner().invoke(app, ["runs", "list", "--org", "acme", "--user", org.admin_email])
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.stdout.split())
    assert "This month 1 run beyond your Pro plan's 2 logged runs a month ran but is not" in said
