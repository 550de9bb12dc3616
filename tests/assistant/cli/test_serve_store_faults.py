"""`skilltick serve` fails loudly when its SQLite file goes bad under it: made read-only or
deleted, /healthz and /status answer 503 saying why, writes answer the JSON error envelope with
503 (nothing is accepted and lost), the worker stops claiming; when the fault clears (writable
again, the file moved back) everything resumes by itself."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.assistant.serve_process import serve_demo

# root writes to read-only files; without these capabilities it obeys the file mode like
# any other user, which is the situation under test
AS_PLAIN_USER = (
    ("setpriv", "--bounding-set", "-dac_override,-dac_read_search") if os.geteuid() == 0 else ()
)

NEW_AUTOMATION = {
    "name": "Fault probe",
    "skill": "pipeline-report",
    "cron": "0 9 * * MON",
    "timezone": "UTC",
    "to": ["me"],
}


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
def test_a_database_made_read_only_moved_or_deleted_fails_loudly_and_recovers_by_itself(
    tmp_path: Path,
) -> None:
    """One served process through every fault in turn (each recovery is checked before the
    next fault), the deletion last: a deleted file does not come back."""
    database = tmp_path / "skilltick.db"
    aside = tmp_path / "moved-away.db"
    with serve_demo(tmp_path, prefix=AS_PLAIN_USER) as serve:
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

            stopped = sum("; not claiming" in line for line in list(serve.lines))
            database.rename(aside)
            assert_refused_loudly(api, "deleted or moved")
            assert not database.exists(), "no empty database appears in its place"
            eventually(
                lambda: sum("; not claiming" in line for line in list(serve.lines)) > stopped,
                "the worker says it stopped claiming again",
            )
            aside.rename(database)
            assert_working(api)
            database.unlink()
            assert_refused_loudly(api, "deleted or moved")
            assert api.get("/api/automations").status_code == 503
