"""`skilltick serve` fails loudly when its SQLite file goes bad under it: made read-only or
deleted, /healthz and /status answer 503 saying why, writes answer the JSON error envelope with
503 (nothing is accepted and lost), the worker stops claiming; when the fault clears (writable
again, the file moved back) everything resumes by itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

# root writes to read-only files; without these capabilities it obeys the file mode like
# any other user, which is the situation under test
AS_PLAIN_USER = (
    ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
)

NEW_AUTOMATION = {
    "name": "Fault probe",
    "skill": "pipeline-report",
    "cron": "0 9 * * MON",
    "timezone": "UTC",
    "to": ["me"],
}


class Serve:
    """A running `skilltick serve --demo`, its output collected as it comes."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self.base = ""
        self.token = ""
        found = threading.Event()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                self.lines.append(line)
                link = re.search(r"(http://127\.0\.0\.1:\d+)/login\?token=(\S+)", line)
                if link and not found.is_set():
                    self.base, self.token = link.group(1), link.group(2)
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        assert found.wait(120), "".join(self.lines)

    def said(self, text: str) -> bool:
        return any(text in line for line in list(self.lines))


@contextmanager
def serving(home: Path) -> Iterator[Serve]:
    env = {**os.environ, "SKILLTICK_HOME": str(home), "COLUMNS": "300", "PYTHONUNBUFFERED": "1"}
    env.pop("SKILLTICK_DATABASE_URL", None)
    process = subprocess.Popen(
        [*AS_PLAIN_USER, sys.executable, "-m", "assistant", "serve", "--demo", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        yield Serve(process)
    finally:
        process.terminate()
        process.wait(timeout=60)


def eventually(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Poll another process's state until `check` holds (a deadline, not a sleep)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def assert_refused_loudly(api: httpx.Client, words: str) -> None:
    health = api.get("/healthz")
    assert health.status_code == 503
    assert health.json()["error"]["code"] == "store_unavailable"
    assert words in health.json()["error"]["message"]
    status = api.get("/status")
    assert status.status_code == 503 and status.json()["ok"] is False
    assert words in status.json()["store_problem"]
    created = api.post("/api/automations", json=NEW_AUTOMATION)
    assert created.status_code == 503, created.text
    assert created.json()["error"]["code"] == "store_unavailable"
    assert words in created.json()["error"]["message"]


def assert_working(api: httpx.Client) -> None:
    eventually(lambda: api.get("/healthz").status_code == 200, "/healthz recovers")
    assert api.get("/status").status_code == 200
    created = api.post("/api/automations", json=NEW_AUTOMATION)
    assert created.status_code == 201, created.text
    run = api.post(f"/api/automations/{created.json()['id']}/rerun").json()
    eventually(
        lambda: (
            api.get(f"/api/runs/{run['id']}").json()["status"]
            in ("completed", "partial", "failed", "skipped")
        ),
        "the worker claims and finishes a run",
    )
    assert api.get(f"/api/runs/{run['id']}").json()["status"] == "completed"


@pytest.mark.skipif(
    bool(AS_PLAIN_USER) and shutil.which("setpriv") is None, reason="needs setpriv as root"
)
def test_a_read_only_database_fails_loudly_and_recovers_by_itself(tmp_path: Path) -> None:
    database = tmp_path / "skilltick.db"
    with serving(tmp_path) as serve:
        headers = {"Authorization": f"Bearer {serve.token}"}
        with httpx.Client(base_url=serve.base, headers=headers, timeout=30) as api:
            assert_working(api)
            before = len(api.get("/api/automations").json()["items"])
            for path in tmp_path.glob("skilltick.db*"):
                path.chmod(0o444)
            assert_refused_loudly(api, "read-only")
            eventually(
                lambda: serve.said("the store cannot take writes; not claiming"),
                "the worker says it stopped claiming",
            )
            for path in tmp_path.glob("skilltick.db*"):
                path.chmod(0o644)
            assert_working(api)
            assert serve.said("claiming resumes")
            # the refused create was not kept; the two accepted ones were
            assert len(api.get("/api/automations").json()["items"]) == before + 1
    assert database.exists()


def test_a_deleted_database_fails_loudly_and_recovers_when_moved_back(tmp_path: Path) -> None:
    database = tmp_path / "skilltick.db"
    aside = tmp_path / "moved-away.db"
    with serving(tmp_path) as serve:
        headers = {"Authorization": f"Bearer {serve.token}"}
        with httpx.Client(base_url=serve.base, headers=headers, timeout=30) as api:
            assert_working(api)
            database.rename(aside)
            assert_refused_loudly(api, "deleted or moved")
            assert not database.exists(), "no empty database appears in its place"
            eventually(
                lambda: serve.said("the store cannot take writes; not claiming"),
                "the worker says it stopped claiming",
            )
            aside.rename(database)
            assert_working(api)
            database.unlink()
            assert_refused_loudly(api, "deleted or moved")
            assert api.get("/api/automations").status_code == 503
