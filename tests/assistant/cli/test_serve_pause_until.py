"""`skilltick serve` keeps the promise of a pause with an end: paused through the API until a
few seconds from now, the automation is running again at that instant, without anyone resuming
it, and its owner has a message saying so."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from models.engine import make_engine
from models.store.deliveries import list_outbox


def test_a_pause_until_a_few_seconds_from_now_ends_by_itself_under_serve(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "300", "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--demo", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        link = None
        for line in server.stdout:
            if found := re.search(r"(http://127\.0\.0\.1:\d+)/login\?token=(\S+)", line):
                link = found
                break
        assert link is not None
        base, token = link.group(1), link.group(2)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as api:
            auto = next(
                a
                for a in api.get("/api/automations").json()["items"]
                if a["trigger_type"] == "cron"
            )
            until = datetime.now(UTC) + timedelta(seconds=3)
            paused = api.post(
                f"/api/automations/{auto['id']}/toggle",
                json={"enabled": False, "until": until.isoformat()},
            ).json()
            assert paused["enabled"] is False and paused["paused_until"]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                current = api.get(f"/api/automations/{auto['id']}").json()
                if current["enabled"]:
                    break
                time.sleep(0.2)  # another process resumes it: poll with a deadline
            resumed_seen = datetime.now(UTC)
            assert current["enabled"] and current["paused_until"] is None
        # at the instant, not at some later minute boundary
        assert resumed_seen - until < timedelta(seconds=10)
        engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            told = [m for m in list_outbox(engine) if m.subject.startswith("Resumed:")]
            if told:
                break
            time.sleep(0.2)
        engine.dispose()
        assert told and auto["name"] in told[0].subject
    finally:
        server.terminate()
        server.communicate(timeout=60)
