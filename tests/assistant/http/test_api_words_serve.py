"""A program using a real `skilltick serve`: a token from `skilltick tokens create`, the plain-words
endpoints found in /openapi.json, then a conversation of three messages over HTTP that ends in
an active automation running when `POST /api/understand` says the same words would."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from tests.assistant.serve_process import serve_demo
from tests.cli_in_process import run_skilltick

DANA = "dana.recruiter@demo.skilltick.local"


def _token(home: Path) -> str:
    """`skilltick tokens create` on the served home, through its entry point in this process
    (the served process is the real one here)."""
    env = {**os.environ, "SKILLTICK_HOME": str(home)}
    env.pop("SKILLTICK_DATABASE_URL", None)
    made = run_skilltick(["tokens", "create", "--org", "demo", "--user", DANA], env)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def test_a_program_holds_a_conversation_with_skilltick_serve(tmp_path: Path) -> None:
    with serve_demo(tmp_path, unset=("ANTHROPIC_API_KEY",)) as served:
        token = _token(tmp_path)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=served.base, headers=headers, timeout=60) as api:
            paths = api.get("/openapi.json").json()["paths"]
            assert {"/api/conversation", "/api/drafts", "/api/understand"} <= set(paths)
            words = api.post("/api/automations", json={"request": "every day send me my pipeline"})
            assert words.status_code == 422 and "/api/drafts" in words.json()["error"]["message"]

            talk = {"conversation": "serve-test", "tz": "America/New_York"}
            said = [
                "on the 3rd of every month at 8:30 send me my pipeline",
                "make it 9",
                "yes",
            ]
            replies = [
                api.post("/api/conversation", json={"message": m, **talk}).json()["reply"]
                for m in said
            ]
            assert [r["kind"] for r in replies] == ["draft", "draft", "done"], replies
            made = api.get(f"/api/automations/{replies[-1]['automation_id']}").json()
            understood = api.post(
                "/api/understand",
                json={
                    "request": "on the 3rd of every month at 9 send me my pipeline",
                    "tz": talk["tz"],
                },
            ).json()
    assert made["enabled"] is True and made["owner_email"] == DANA
    assert made["timezone"] == "America/New_York"
    fires = [datetime.fromisoformat(t).astimezone(UTC) for t in made["next_runs"]]
    local = [f.astimezone(ZoneInfo("America/New_York")) for f in fires]
    assert fires == [
        datetime.fromisoformat(t).astimezone(UTC) for t in understood["next_runs"][: len(fires)]
    ]
    assert fires and all((f.day, f.hour, f.minute) == (3, 9, 0) for f in local)
