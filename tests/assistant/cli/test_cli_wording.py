"""The command line's wording for a newcomer: run rows that say how many occurrences were
missed once, connections that are not polled, and `db upgrade` in one plain sentence."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.cli.render import runs_table
from assistant.cli.root import app
from assistant.tools.views import RunView
from tests.cli_in_process import copy_migrated_database, run_skilltick
from tests.worker.tick.tick_support import at

runner = CliRunner()


def _row(**fields: Any) -> list[str]:
    base: dict[str, Any] = {
        "id": 1,
        "automation_id": 2,
        "triggered_by": "schedule",
        "scheduled_for": at("2026-03-02T09:00:00Z"),
        "attempt": 1,
        "status": "skipped",
        "started_at": None,
        "completed_at": None,
        "duration_ms": None,
        "lag_ms": None,
        "missed_count": 0,
        "summary": {},
        "output_hash": None,
        "error_code": None,
        "error_message": None,
        "skipped_reason": None,
        "metrics": {},
    }
    table = runs_table([RunView(**{**base, **fields})])
    return [str(cell) for cell in table.columns[-1]._cells]


def test_a_run_row_says_missed_once() -> None:
    assert _row(skipped_reason="missed", missed_count=6) == ["6 missed occurrences"]
    assert _row(status="completed", missed_count=1) == ["1 missed occurrence"]


def test_db_upgrade_and_an_unpolled_connection_read_as_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLTICK_HOME", str(tmp_path))
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "up to date" in upgraded.output and "," not in upgraded.output
    assert runner.invoke(app, ["demo", "seed", "--candidates", "4"]).exit_code == 0
    # `demo move` records its events on a demo connection that is not polled
    moves = [runner.invoke(app, ["demo", "move", "1", s]) for s in ("Offer", "Screen")]
    assert any(m.exit_code == 0 for m in moves), [m.output for m in moves]
    listed = runner.invoke(app, ["connections", "list", "--org", "demo"])
    assert "None" not in listed.output and "not polled" in listed.output


WIDE = {"COLUMNS": "200"}  # wide enough for every summary on one line


def test_command_listings_flow_each_summary_as_one_paragraph() -> None:
    # the summaries are wrapped in the source; a listing rewraps them to its own width
    listing = runner.invoke(app, ["--help"], env=WIDE).output
    (line,) = [row for row in listing.splitlines() if " understand " in row]
    assert "the trigger, schedule, skill, params, output and next runs" in line
    demo = runner.invoke(app, ["demo", "--help"], env=WIDE).output
    (line,) = [row for row in demo.splitlines() if " move " in row]
    assert "event automations fire (run `skilltick worker`)" in line  # Markdown as written


def test_a_polled_connection_says_its_interval_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLTICK_HOME", str(tmp_path))
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo", "seed", "--candidates", "2"]).exit_code == 0
    added = runner.invoke(app, ["connections", "add", "demo", "--poll-every", "120"])
    assert added.exit_code == 0 and "polled every 2 hours." in added.output, added.output
    listed = runner.invoke(app, ["connections", "list", "--org", "demo"]).output
    assert "polled every 2 hours" in listed, listed


def test_status_before_any_run_says_why_there_is_no_lag(tmp_path: Path) -> None:
    copy_migrated_database(tmp_path)
    env = {"SKILLTICK_HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    said = run_skilltick(["status"], env)
    assert said.returncode == 2 and said.stdout.count("\n") == 2, said
    assert "None" not in said.stdout and "no run started in the last hour" in said.stdout
    assert "problem: No worker has ticked yet." in said.stdout
