"""Output TTL and history retention hold whichever path drives the tick: `skilltick tick` (system
cron) and `POST /cron/tick` (an external scheduler) prune as the long-running worker does. And an
interviewer named by e-mail in a webhook is never stored with the event or its runs."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from assistant.cli.root import app
from bench.kit.factories import make_automation
from models.store.events import add_connection, list_events
from models.store.run_history import list_runs
from models.store.run_queue import db_now, queue_run
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.worker.triggers.trigger_support import SECRET, generic_event, served_context
from worker.tick.factory import build_worker

runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_skilltick_tick_clears_outputs_past_their_ttl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLTICK_HOME", str(tmp_path))
    _ok("demo", "seed", "--candidates", "8")
    [auto] = json.loads(_ok("automations", "list", "--json"))
    run = json.loads(_ok("automations", "run", str(auto["id"]), "--json"))
    started = json.loads(_ok("tick", "--json"))["now"]
    shown = json.loads(_ok("runs", "show", str(run["id"]), "--json"))
    assert shown["status"] == "completed" and shown["output"], "the output is kept for its TTL"

    from datetime import datetime

    later = datetime.fromisoformat(started) + timedelta(hours=25)
    report = json.loads(_ok("tick", "--now", later.isoformat(), "--json"))
    assert report["outputs_pruned"] == 1
    assert json.loads(_ok("runs", "show", str(run["id"]), "--json"))["output"] is None


def test_post_cron_tick_clears_outputs_past_their_ttl(
    sqlite_engine: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.engine import Engine

    assert isinstance(sqlite_engine, Engine)
    engine = sqlite_engine
    monkeypatch.setenv("SKILLTICK_CRON_SECRET", SECRET + "-cron")
    now = db_now(engine)
    past = now - timedelta(days=2)
    org = make_org_with_tokens(engine, past, slug="acme")
    auto = make_automation(engine, org.fixture, past, skill="pipeline-report", channel="in_app")
    run_id = queue_run(
        engine,
        automation_id=auto.id or 0,
        org_id=org.fixture.org_id,
        triggered_by="manual",
        now=past,
    )
    ctx = make_context(engine)
    build_worker(engine, ctx.settings).tick(now=past)
    headers = {"Authorization": f"Bearer {org.member_token}"}
    with live_server(ctx) as url:
        before = httpx.get(f"{url}/api/runs/{run_id}", headers=headers, timeout=60).json()
        assert before["status"] == "completed" and before["output"]
        ticked = httpx.post(
            f"{url}/cron/tick", headers={"Authorization": f"Bearer {SECRET}-cron"}, timeout=120
        )
        assert ticked.status_code == 200, ticked.text
        after = httpx.get(f"{url}/api/runs/{run_id}", headers=headers, timeout=60).json()
    assert after["output"] is None


def test_an_interviewer_email_from_a_webhook_is_stored_nowhere(tmp_path: Path) -> None:
    with served_context(tmp_path) as (ctx, base):
        engine = ctx.engine
        now = db_now(engine)
        org = make_org_with_tokens(engine, now, slug="acme").fixture
        make_automation(
            engine,
            org,
            now,
            cron=None,
            trigger_type="event",
            event_type="interview.scheduled",
            next_run_at=None,
        )
        connection = add_connection(
            engine, org_id=org.org_id, provider="generic", secret=SECRET, now=now
        )
        delivery = generic_event(
            "interview.scheduled",
            data={
                "candidate_id": "c1",
                "interview_id": "i1",
                "starts_at": "2026-12-01T10:00:00Z",
                "interviewer": "jo.interviewer@example.com",
            },
        )
        url = f"{base}/webhooks/ats/generic/{connection.key}"
        answer = httpx.post(url, content=delivery.body, headers=delivery.headers, timeout=60)
        assert answer.status_code == 200, answer.text
        build_worker(engine, ctx.settings).tick()
        [event] = list_events(engine, org.org_id)
        runs = list_runs(engine, org.org_id)
        assert event.data["interview_id"] == "i1" and runs
        stored = json.dumps([event.data, *(r.trigger_data for r in runs)])
        assert "example.com" not in stored and "jo.interviewer" not in stored
