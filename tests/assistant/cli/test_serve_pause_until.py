"""`skilltick serve` keeps the promise of a pause with an end: paused through the API until a
few seconds from now, the automation is running again at that instant, without anyone resuming
it, and its owner has a message saying so."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from models.engine import make_engine
from models.store.deliveries import list_outbox
from tests.assistant.serve_process import serve_demo


def test_a_pause_until_a_few_seconds_from_now_ends_by_itself_under_serve(tmp_path: Path) -> None:
    with serve_demo(tmp_path) as served:
        base, token = served.base, served.token
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
