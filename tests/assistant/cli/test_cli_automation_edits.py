"""What the other interfaces could do to an automation, from the command line too: event and
poll triggers at creation, update, clear, why, backtest and retry; bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli.root import app
from tests.cli_calls import ok_json, refused, runner

DANA = "dana.recruiter@demo.skilltick.local"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SKILLTICK_HOME", str(tmp_path))
    monkeypatch.delenv("SKILLTICK_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKILLTICK_SMTP_HOST", raising=False)
    result = runner.invoke(app, ["demo", "seed", "--candidates", "12"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_event_and_poll_triggers_at_creation(home: Path) -> None:
    made = ok_json(
        *("automations", "create", "--user", DANA, "--name", "Prep"),
        *("--skill", "interview-prep", "--to", "candidate"),
        *("--event", "candidate.stage_changed", "--filter", "to_stage=Interview"),
    )
    assert (made["trigger_type"], made["event_type"]) == ("event", "candidate.stage_changed")
    shown = ok_json("automations", "show", str(made["id"]))
    assert "Interview" in shown["trigger"]
    polled = ok_json(
        *("automations", "create", "--user", DANA, "--name", "New people"),
        *("--skill", "new-candidate-alert", "--channel", "in_app", "--poll-every", "30"),
    )
    assert polled["trigger_type"] == "poll" and "30 minutes" in polled["trigger"]
    before = ok_json("automations", "list", "--all")
    assert "exactly one schedule" in refused(
        *("automations", "create", "--name", "Two", "--skill", "pipeline-report"),
        *("--cron", "0 9 * * *", "--poll-every", "5"),
    )
    assert "add --event" in refused(
        *("automations", "create", "--name", "F", "--skill", "pipeline-report"),
        *("--cron", "0 9 * * *", "--filter", "to_stage=Offer"),
    )
    assert ok_json("automations", "list", "--all") == before


def test_update_changes_only_what_is_passed_and_checks_it(home: Path) -> None:
    report = ok_json("automations", "list", "--all")[0]
    changed = ok_json(
        "automations", "update", str(report["id"]), "--cron", "30 7 * * MON-FRI", "--name", "Early"
    )
    assert (changed["name"], changed["cron"]) == ("Early", "30 7 * * MON-FRI")
    assert changed["skill"] == report["skill"] and changed["to"] == report["to"]
    assert "Nothing to change" in refused("automations", "update", str(report["id"]))
    assert "cron" in refused("automations", "update", str(report["id"]), "--cron", "61 * * * *")
    assert ok_json("automations", "show", str(report["id"]))["cron"] == "30 7 * * MON-FRI"


def test_clear_why_backtest_and_retry(home: Path) -> None:
    report = ok_json("automations", "list", "--all")[0]
    run = ok_json("automations", "run", str(report["id"]))
    retry = refused("runs", "retry", str(run["id"]))
    assert "only failed or partial runs can be retried" in retry
    assert "--yes" in refused("automations", "clear", str(report["id"]))
    cleared = runner.invoke(app, ["automations", "clear", str(report["id"]), "--yes"])
    assert cleared.exit_code == 0, cleared.output
    assert f"of #{report['id']}" in cleared.stdout
    why = runner.invoke(app, ["automations", "why", str(report["id"])])
    assert why.exit_code == 0 and why.stdout.strip()
    event = ok_json(
        *("automations", "create", "--user", DANA, "--name", "Prep"),
        *("--skill", "interview-prep", "--to", "candidate"),
        *("--event", "candidate.stage_changed", "--filter", "to_stage=Interview"),
    )
    moved = runner.invoke(app, ["demo", "move", "3", "Interview"])
    assert moved.exit_code == 0, moved.output
    hits = ok_json("automations", "backtest", str(event["id"]), "--user", DANA)
    assert [h["event_type"] for h in hits] == ["candidate.stage_changed"]
    said = runner.invoke(app, ["automations", "backtest", str(event["id"]), "--user", DANA])
    assert "1 event would have fired" in said.stdout


def test_runs_are_skipped_shown_as_skipped_and_brought_back(home: Path) -> None:
    made = ok_json(
        *("automations", "create", "--user", DANA, "--name", "Daily"),
        *("--skill", "pipeline-report", "--cron", "0 9 * * *"),
    )
    aid = str(made["id"])
    skipped = ok_json("automations", "skip", aid, "the next 2 runs", "--user", DANA)
    assert skipped["skipped"] == made["next_runs"][:2] and skipped["automation"]["enabled"]
    shown = runner.invoke(app, ["automations", "show", aid])
    assert shown.stdout.count("(skipped)") == 2, shown.stdout
    (listed,) = [v for v in ok_json("automations", "list", "--all") if v["id"] == made["id"]]
    assert listed["next_kept_run_at"] == made["next_runs"][2]
    assert "no day “february 31”" in refused("automations", "skip", aid, "the 31st of February")
    back = ok_json("automations", "skip", aid, "all", "--undo", "--user", DANA)
    assert back["skipped"] == made["next_runs"][:2] and back["skips"] == []
