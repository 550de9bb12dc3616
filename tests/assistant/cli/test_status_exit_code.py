"""`skilltick status` tells scripts by its exit code whether the worker is ok: 0 when ok, 2 when
not (a problem listed), for the text and the JSON forms alike; the JSON keeps its shape. Real
processes for one not-ok and one ok answer; the other two forms in process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli_in_process import copy_migrated_database, run_skilltick

#: every key of `status --json`, which scripts read (an interface)
STATUS_KEYS = {
    "ok",
    "now",
    "last_tick_at",
    "seconds_since_last_tick",
    "workers_seen",
    "lag_ms_p50",
    "lag_ms_p95",
    "due_occurrences",
    "due_queued_runs",
    "stuck_leases",
    "failure_rate_by_skill",
    "open_breakers",
    "problems",
    "store_problem",
}


def skilltick_process(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKILLTICK_HOME": str(home), "COLUMNS": "60"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_status_exits_2_while_the_worker_is_not_ok_and_0_once_it_is(tmp_path: Path) -> None:
    copy_migrated_database(tmp_path)
    env = {"SKILLTICK_HOME": str(tmp_path), "COLUMNS": "60"}

    # no worker has ticked yet: not ok, in both forms
    waiting = skilltick_process(tmp_path, "status", "--json")
    assert waiting.returncode == 2, waiting.stderr
    answer = json.loads(waiting.stdout)
    assert set(answer) == STATUS_KEYS
    assert answer["ok"] is False and answer["problems"] == ["No worker has ticked yet."]
    said = run_skilltick(["status"], env)
    assert said.returncode == 2, said.stderr
    assert (
        said.stdout.startswith("NOT OK: ") and "problem: No worker has ticked yet." in said.stdout
    )

    assert run_skilltick(["tick"], env).returncode == 0

    fine = skilltick_process(tmp_path, "status")
    assert fine.returncode == 0, fine.stdout + fine.stderr
    assert fine.stdout.startswith("ok: ") and "problem" not in fine.stdout
    fine_json = run_skilltick(["status", "--json"], env)
    assert fine_json.returncode == 0, fine_json.stderr
    ok_answer = json.loads(fine_json.stdout)
    assert set(ok_answer) == STATUS_KEYS and ok_answer["ok"] is True and not ok_answer["problems"]
