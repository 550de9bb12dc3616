"""The `skilltick` command line as an operator uses it: every command's happy path, and bad
input on every command answered with a clear message, a non-zero exit and nothing changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.cli.root import app
from models.clock import local_time, parse_instant
from tests.cli_calls import ok_json, runner
from tests.demo_home import seed_home, use_home


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def seed() -> None:
        result = runner.invoke(app, ["demo", "seed", "--candidates", "12"])
        assert result.exit_code == 0, result.output

    return seed_home(tmp_path_factory.mktemp("seeded"), seed)


@pytest.fixture
def home(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh deployment home (SQLite file, no SMTP) seeded with the demo organisation."""
    return use_home(seeded, tmp_path, monkeypatch)


def cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    return result


def automation_ids(**scope: str) -> list[int]:
    extra = [f"--{k}={v}" for k, v in scope.items()]
    return [a["id"] for a in ok_json("automations", "list", "--all", *extra)]


DANA = "dana.recruiter@demo.skilltick.local"
SAM = "sam.sourcer@demo.skilltick.local"


def create(*extra: str, user: str = DANA) -> Any:
    return cli(
        "automations",
        "create",
        "--user",
        user,
        "--name",
        "Daily pipeline",
        "--skill",
        "pipeline-report",
        *extra,
    )


def test_demo_seed_creates_a_weekly_pipeline_report_for_a_recruiter(home: Path) -> None:
    autos = ok_json("automations", "list")
    assert [a["name"] for a in autos] == ["Weekly pipeline report"]
    assert autos[0]["owner_email"] == DANA
    assert autos[0]["cron"] == "0 9 * * MON" and autos[0]["timezone"] == "America/Los_Angeles"
    assert "Monday" in autos[0]["trigger"]
    # seeding again changes nothing
    assert cli("demo", "seed").exit_code == 0
    assert len(ok_json("automations", "list")) == 1


def test_create_pause_resume_run_and_read_the_email_in_the_outbox(home: Path) -> None:
    created = create("--cron", "30 8 * * 1-5", "--tz", "Europe/London", "--json")
    assert created.exit_code == 0, created.output
    auto = json.loads(created.stdout)
    assert auto["trigger"].startswith("At 08:30 AM, Monday through Friday")
    assert len(auto["next_runs"]) == 3
    aid = str(auto["id"])
    paused = ok_json("automations", "pause", aid, "--user", DANA)
    assert paused["enabled"] is False and paused["status"] == "paused"
    resumed = ok_json("automations", "resume", aid, "--user", DANA)
    assert resumed["enabled"] is True and resumed["next_run_at"] is not None
    queued = ok_json("automations", "run", aid, "--user", DANA)
    assert queued["status"] == "pending" and queued["triggered_by"] == "manual"
    report = ok_json("tick")
    assert report["statuses"] == {"completed": 1}
    run = ok_json("runs", "show", str(queued["id"]), "--user", DANA)
    assert run["status"] == "completed"
    assert [a["action_type"] for a in run["actions"]] == ["render", "deliver"]
    mail = ok_json("outbox", "list")
    assert len(mail) == 1 and mail[0]["to"] == DANA
    assert mail[0]["subject"].startswith("Pipeline report")
    raw = cli("outbox", "show", str(mail[0]["id"]))
    assert "multipart/alternative" in raw.stdout and "text/html" in raw.stdout
    # the manual run did not move the schedule
    assert ok_json("automations", "show", aid)["next_run_at"] == resumed["next_run_at"]


def test_a_test_run_shows_the_output_and_sends_nothing(home: Path) -> None:
    run = ok_json("automations", "test", "1", "--user", DANA)
    assert run["triggered_by"] == "test" and run["status"] == "completed"
    assert "ACTIVE CANDIDATES BY STAGE" in run["output"]
    assert ok_json("outbox", "list") == []


def test_tick_at_a_given_instant_runs_the_due_weekly_report(home: Path) -> None:
    auto = ok_json("automations", "show", "1")
    report = ok_json("tick", "--now", auto["next_run_at"])
    assert report["occurrences"] == 1 and report["statuses"] == {"completed": 1}
    runs = ok_json("runs", "list", "--automation", "1", "--user", DANA)
    assert runs[0]["triggered_by"] == "schedule" and runs[0]["lag_ms"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cron", "61 * * * *"], "minute must be 0-59"),
        (["--cron", "0 9 * *"], "5 fields"),
        (["--cron", "0 9 * * *", "--tz", "Mars/Base"], "Unknown time zone 'Mars/Base'"),
        (["--cron", "0 9 * * *", "--rrule", "FREQ=DAILY"], "exactly one schedule"),
        ([], "exactly one schedule"),
        (["--once", "next tuesday"], "not an ISO 8601 date-time"),
        (["--cron", "0 9 * * *", "--param", "scope"], "key=value"),
        (["--cron", "0 9 * * *", "--param", "colour=red"], "Unknown parameter 'colour'"),
        (["--cron", "0 9 * * *", "--param", "stale_days=five"], "stale_days"),
        (["--cron", "0 9 * * *", "--to", "not-an-address"], "not an email address"),
        (["--cron", "0 9 * * *", "--misfire", "sometimes"], "missed-run policy"),
        (["--cron", "0 9 * * *", "--channel", "pigeon"], "output channel"),
        (["--cron", "0 9 * * *", "--owner", SAM], "Only admins"),
    ],
)
def test_create_refuses_bad_input_with_a_clear_message_and_creates_nothing(
    home: Path, args: list[str], message: str
) -> None:
    before = automation_ids()
    result = create(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert automation_ids() == before


def test_an_unknown_skill_lists_the_available_ones(home: Path) -> None:
    result = cli(
        "automations", "create", "--name", "x", "--skill", "mind-reader", "--cron", "0 9 * * *"
    )
    assert result.exit_code == 1
    assert "Unknown skill 'mind-reader'" in result.stderr and "pipeline-report" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["automations", "show", "999"],
        ["automations", "pause", "999"],
        ["automations", "resume", "999"],
        ["automations", "delete", "999", "--yes"],
        ["automations", "run", "999"],
        ["automations", "test", "999"],
        ["runs", "show", "999"],
        ["runs", "list", "--automation", "999"],
        ["outbox", "show", "999"],
    ],
)
def test_an_unknown_id_is_named_in_the_error(home: Path, command: list[str]) -> None:
    result = cli(*command)
    assert result.exit_code == 1
    assert "999" in result.stderr


def test_unknown_organisation_or_user_is_an_error_not_a_crash(home: Path) -> None:
    result = cli("automations", "list", "--org", "nope")
    assert result.exit_code == 1 and "No organisation 'nope'" in result.stderr
    result = cli("automations", "list", "--user", "ghost@example.com")
    assert result.exit_code == 1 and "ghost@example.com" in result.stderr


def test_delete_needs_confirmation_and_then_removes_the_automation(home: Path) -> None:
    result = cli("automations", "delete", "1")
    assert result.exit_code == 1, result.stdout
    assert "Deleting #1 “Weekly pipeline report” removes it" in result.stderr, result.stderr
    assert result.stderr.strip().endswith("add --yes to go ahead."), result.stderr
    assert automation_ids() == [1]
    assert cli("automations", "delete", "1", "--yes").exit_code == 0
    assert automation_ids() == []


def test_a_member_cannot_touch_a_colleagues_automation(home: Path) -> None:
    for command in (
        ["pause", "1"],
        ["resume", "1"],
        ["run", "1"],
        ["delete", "1", "--yes"],
        ["show", "1"],
    ):
        result = cli("automations", *command, "--user", SAM)
        assert result.exit_code == 1
        assert "belongs to someone else" in result.stderr
    assert ok_json("automations", "show", "1")["enabled"] is True
    # the admin (default actor) can
    assert ok_json("automations", "pause", "1")["enabled"] is False


def test_bad_pause_until_and_bad_tick_instant_change_nothing(home: Path) -> None:
    result = cli("automations", "pause", "1", "--until", "2001-01-01T00:00Z")
    assert result.exit_code == 1 and "future" in result.stderr
    assert ok_json("automations", "show", "1")["enabled"] is True
    result = cli("tick", "--now", "yesterday")
    assert result.exit_code == 1 and "--now" in result.stderr
    assert ok_json("runs", "list") == []


def test_runs_list_pages_with_a_cursor(home: Path) -> None:
    for _ in range(3):
        ok_json("automations", "run", "1", "--user", DANA)
    ok_json("tick")
    first = ok_json("runs", "list", "--limit", "2")
    rest = ok_json("runs", "list", "--limit", "2", "--cursor", str(first[-1]["id"]))
    ids = [r["id"] for r in first + rest]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3
    # the table names the next page's cursor only when there is a next page
    assert f"Next page: --cursor {first[-1]['id']}" in cli("runs", "list", "--limit", "2").stdout
    last = cli("runs", "list", "--limit", "2", "--cursor", str(first[-1]["id"])).stdout
    assert str(rest[0]["id"]) in last and "Next page" not in last
    assert "Next page" not in cli("runs", "list", "--limit", "3").stdout
    assert "No runs yet." in cli("runs", "list", "--cursor", str(ids[-1])).stdout
    result = cli("runs", "list", "--limit", "0")
    assert result.exit_code == 1 and "limit" in result.stderr


def test_skills_list_shows_params(home: Path) -> None:
    skills = ok_json("skills", "list")
    report = next(s for s in skills if s["name"] == "pipeline-report")
    assert "stale_days" in report["params"]


def test_the_console_script_runs_and_reports_errors_with_exit_code_1(home: Path) -> None:
    env = {**os.environ, "SKILLTICK_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "automations", "show", "42"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert "No automation #42" in done.stderr


def test_a_pause_until_says_when_it_resumes_in_the_automations_time_zone(home: Path) -> None:
    result = cli("automations", "pause", "1", "--until", "2099-12-25T17:00Z")
    assert result.exit_code == 0, result.stderr
    assert "until Fri 25 Dec 2099 09:00 PST." in result.stdout, result.stdout


def test_a_resume_says_the_next_run_in_words_or_what_starts_an_event_automation(
    home: Path,
) -> None:
    weekly = ok_json("automations", "show", "1")
    assert cli("automations", "pause", "1").exit_code == 0
    result = cli("automations", "resume", "1")
    assert result.exit_code == 0, result.stderr
    expected = local_time(
        parse_instant(ok_json("automations", "show", "1")["next_run_at"]), "America/Los_Angeles"
    )
    assert weekly["timezone"] == "America/Los_Angeles"
    assert f"next run {expected}." in result.stdout, result.stdout
    made = create("--event", "candidate.stage_changed", "--filter", "to_stage=Interview", "--json")
    assert made.exit_code == 0, made.output
    event_id = str(json.loads(made.stdout)["id"])
    assert cli("automations", "pause", event_id, "--user", DANA).exit_code == 0
    result = cli("automations", "resume", event_id, "--user", DANA)
    assert "it runs when a candidate moves to Interview." in result.stdout, result.stdout
    assert "none" not in result.stdout


def test_create_says_the_next_run_in_words_and_a_paused_one_says_how_to_start_it(
    home: Path,
) -> None:
    made = create("--cron", "30 8 * * 1-5", "--tz", "Europe/London")
    assert made.exit_code == 0, made.output
    aid = made.stdout.split("#", 1)[1].split()[0]
    shown = ok_json("automations", "show", aid)
    when = local_time(parse_instant(shown["next_run_at"]), "Europe/London")
    assert f"Next run: {when}." in made.stdout, made.stdout
    held = create("--cron", "30 8 * * 1-5", "--paused")
    assert held.exit_code == 0, held.output
    held_id = held.stdout.split("#", 1)[1].split()[0]
    assert f"It is paused: `skilltick automations resume {held_id}` starts it." in held.stdout
    assert "Next run" not in held.stdout
    listed = cli("automations", "list", "--user", DANA)
    assert "paused (paused)" not in listed.stdout
    row = next(line for line in listed.stdout.splitlines() if f" {held_id} " in line)
    assert "│ paused " in row, row


def test_why_a_run_failed_reads_as_one_sentence_per_thought(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLTICK_WEBHOOK_SIGNING_SECRET", "whsec-service")
    auto = ok_json(
        "automations", "create", "--user", DANA, "--name", "Hook", "--skill", "pipeline-report",
        "--cron", "0 9 * * MON", "--channel", "webhook", "--to", "https://hooks.example.com/x",
    )  # fmt: skip
    # the server stops signing webhooks: its runs fail with a message that is a full sentence
    monkeypatch.delenv("SKILLTICK_WEBHOOK_SIGNING_SECRET")
    assert ok_json("tick", "--now", auto["next_run_at"])["statuses"].get("failed") == 1
    answer = cli("automations", "why", str(auto["id"]), "--user", DANA).stdout
    assert "SKILLTICK_WEBHOOK_SIGNING_SECRET" in answer
    assert ".." not in answer and "). Retry it once the cause is fixed." in answer


def test_a_paused_automation_lists_no_next_run(home: Path) -> None:
    (report,) = ok_json("automations", "list")
    assert report["next_run_at"] is not None
    ok_json("automations", "pause", str(report["id"]), "--user", DANA)
    for command in (["list"], ["show", str(report["id"])]):
        listing = cli("automations", *command).stdout
        assert "— (paused)" in listing
        assert report["next_run_at"][:10] not in listing  # no day it will not run on


def test_plan_set_and_show_say_what_runs_beyond_a_smaller_plan(home: Path) -> None:
    fast = create("--cron", "*/10 * * * *", "--json")
    assert fast.exit_code == 0, fast.output
    fast_id = json.loads(fast.stdout)["id"]
    changed = cli("plan", "set", "free").stdout
    assert changed.startswith("The organisation is now on the free plan (was pro)")
    assert "up to 5 active automations, each running at most once a day" in changed
    for said in (changed, cli("plan", "show").stdout):
        assert f"runs more often than once a day (#{fast_id} “Daily pipeline”)" in " ".join(
            said.split()
        )
    assert ok_json("plan", "show")["plan"] == "free"


def test_an_admin_gives_an_automation_to_a_colleague(home: Path) -> None:
    (report,) = ok_json("automations", "list")
    assert report["owner_email"] == DANA
    refused = cli("automations", "update", str(report["id"]), "--user", DANA, "--owner", SAM)
    assert refused.exit_code == 1 and "Only admins" in refused.output
    given = ok_json("automations", "update", str(report["id"]), "--owner", SAM)
    assert (given["owner_email"], given["to"], given["enabled"]) == (SAM, ["me"], True)
    assert ok_json("automations", "list", "--user", SAM)[0]["id"] == report["id"]
    assert ok_json("automations", "list", "--user", DANA) == []
    assert "owner user #" in cli("audit", "--automation", str(report["id"])).stdout
    unknown = cli("automations", "update", str(report["id"]), "--owner", "nobody@x.test")
    assert unknown.exit_code == 1 and "nobody@x.test" in unknown.output
