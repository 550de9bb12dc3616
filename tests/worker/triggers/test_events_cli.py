"""`skilltick connections`, `skilltick demo move` and `skilltick events list`, as a newcomer
uses them: connect an ATS, move a demo candidate, watch the event automation fire."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.app import build_context
from assistant.cli.root import app
from assistant.tools.toolset import actor_for
from assistant.tools.views import AutomationSpec
from models.errors import PermissionDenied
from tests.cli_calls import ok_json, runner

DANA = "dana.recruiter@demo.skilltick.local"
SAM = "sam.sourcer@demo.skilltick.local"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SKILLTICK_HOME", str(tmp_path))
    monkeypatch.setenv("SKILLTICK_PUBLIC_URL", "https://hooks.example.test")
    monkeypatch.delenv("SKILLTICK_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKILLTICK_SMTP_HOST", raising=False)
    assert runner.invoke(app, ["demo", "seed", "--candidates", "12"]).exit_code == 0
    return tmp_path


def test_webhook_urls_default_to_the_port_serve_listens_on(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SKILLTICK_PUBLIC_URL")
    result = runner.invoke(
        app, ["connections", "add", "lever", "--org", "demo", "--secret", "lever-secret-1"]
    )
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8080/webhooks/ats/lever/" in result.output
    assert "set SKILLTICK_PUBLIC_URL to the address your ATS reaches" in result.output


def test_connections_add_prints_the_webhook_url_and_never_the_secret(home: Path) -> None:
    result = runner.invoke(
        app, ["connections", "add", "greenhouse", "--org", "demo", "--secret", "gh-secret-123"]
    )
    assert result.exit_code == 0, result.output
    assert "https://hooks.example.test/webhooks/ats/greenhouse/c" in result.output
    assert "SKILLTICK_PUBLIC_URL" not in result.output, "the address set is the one printed"
    listed = ok_json("connections", "list")
    assert [c["provider"] for c in listed] == ["greenhouse"]
    assert "gh-secret-123" not in json.dumps(listed) + result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["connections", "add", "bamboo", "--secret", "x" * 12], "Unknown ATS provider"),
        (["connections", "add", "lever", "--secret", "short"], "at least 8 characters"),
        (["connections", "add", "lever", "--secret", "x" * 12, "--user", DANA], "Only admins"),
        (["demo", "move", "1", "Orbit"], "No stage 'Orbit'"),
        (["demo", "move", "99999", "Offer"], "No candidate 99999"),
        (["events", "list", "--limit", "0"], "limit must be between"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    home: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert ok_json("events", "list") == [] and ok_json("connections", "list") == []


def test_a_demo_move_fires_the_event_automation_and_shows_in_the_events_list(home: Path) -> None:
    ctx = build_context()
    dana = actor_for(ctx.engine, "demo", DANA)
    auto = ctx.tools.create_automation(
        dana,
        AutomationSpec(
            name="Prep pack on interview",
            skill="noop",
            trigger_type="event",
            event_type="candidate.stage_changed",
            event_filter={"to_stage": "Offer"},
            output_channel="noop",
        ),
    )
    candidate = next(
        c
        for c in range(1, 13)
        if runner.invoke(app, ["demo", "move", str(c), "Offer"]).exit_code == 0
    )
    tick = runner.invoke(app, ["tick", "--json"])
    assert tick.exit_code == 0, tick.output
    [event] = ok_json("events", "list")
    assert (event["provider"], event["event_type"], event["status"], event["runs_started"]) == (
        "demo",
        "candidate.stage_changed",
        "processed",
        1,
    )
    assert event["data"]["candidate_id"] == str(candidate)
    [run] = ok_json("runs", "list", "--automation", str(auto.id), "--user", DANA)
    assert (run["triggered_by"], run["status"]) == ("event", "completed")
    # members see the events that started their runs, and only those
    assert [e["id"] for e in ok_json("events", "list", "--user", DANA)] == [event["id"]]
    assert ok_json("events", "list", "--user", SAM) == []
    with pytest.raises(PermissionDenied):
        ctx.tools.add_connection(actor_for(ctx.engine, "demo", SAM), "lever", secret="x" * 9)
    ctx.engine.dispose()


def test_events_list_keeps_whole_event_names_when_its_output_is_piped(home: Path) -> None:
    assert runner.invoke(app, ["demo", "move", "1", "Offer"]).exit_code == 0
    env = {**os.environ, "SKILLTICK_HOME": str(home), "COLUMNS": "40"}
    piped = subprocess.run(
        [sys.executable, "-m", "assistant", "events", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert "candidate.stage_changed" in piped.stdout, piped.stdout
    assert "…" not in piped.stdout
