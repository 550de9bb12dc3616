"""`skilltick chat` as users run it on the demo organisation (`skilltick demo seed`, then one
REPL at a time reading lines from stdin, each person's conversation one session; the entry
point runs in this process): the admin refers to the organisation's automations by name, the
member to their own by name, skill and "it", changes who gets it and previews it, and is
refused the organisation's system jobs. Ids and names come from the seeded records."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from models.engine import make_engine
from models.store.automations import get_automation, list_automations
from models.store.orgs import find_org, find_user
from tests.cli_in_process import run_skilltick

ADMIN = "alex.admin@demo.skilltick.local"
MEMBER = "dana.recruiter@demo.skilltick.local"
SAM = "sam.sourcer@demo.skilltick.local"


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = run_skilltick(args, env, input=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def chat(env: dict[str, str], user: str, tz: str, lines: list[str]) -> list[dict[str, Any]]:
    out = run(
        env,
        *("chat", "--user", user, "--tz", tz, "--session", user, "--json"),
        stdin="\n".join(lines) + "\n",
    )
    replies = [json.loads(line)["reply"] for line in out.splitlines() if line.strip()]
    assert len(replies) == len(lines), out
    return replies


def test_the_admin_and_the_member_talk_about_existing_automations(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("SKILLTICK_DATABASE_URL", None)
    env.pop("ANTHROPIC_API_KEY", None)
    run(env, "demo", "seed")
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    try:
        org_id = find_org(engine, "demo").id or 0
        jobs = {a.skill: a for a in list_automations(engine, org_id, system=True)}
        hiring = jobs["scheduled-report"]
        other = next(a for a in jobs.values() if a.id != hiring.id)
        owner = find_user(engine, org_id, ADMIN)
        assert other.owner_id == owner.id

        listed, paused, owns, stop = chat(
            env,
            ADMIN,
            "America/New_York",
            [
                "show me all automations",
                "pause the hiring report until monday",
                f"who owns #{other.id}?",
                "stop sending me the pipeline report",
            ],
        )
        assert f"#{hiring.id} {hiring.name}" in listed["text"] and "system job" in listed["text"]
        assert paused["kind"] == "done" and paused["automation_id"] == hiring.id
        assert get_automation(engine, org_id, hiring.id or 0).paused_until is not None
        assert owns["kind"] == "info" and ADMIN in owns["text"], owns["text"]
        # the admin's own hiring report is the pipeline report they get: already paused
        assert stop["automation_id"] == hiring.id and "already paused" in stop["text"]

        before = {a.id for a in list_automations(engine, org_id)}
        _, confirmed = chat(
            env,
            MEMBER,
            "Europe/London",
            ["every monday at 9am send me a summary of my pipeline", "yes"],
        )
        assert confirmed["kind"] == "done", confirmed["text"]
        (created,) = [a for a in list_automations(engine, org_id) if a.id not in before]
        said = [
            "what's its name?",
            "stop sending me the pipeline summary",
            f"#{created.id}",
            "turn it back on",
            "turn it back on",
            "add sam to it",
            "also send it to priya@example.com",
            "cc sam",
            "remove sam from it",
            "cc SAM",
            "stop sending it to sam",
            "show me what it would send",
            f"what does #{other.id} do?",
            f"pause #{other.id}",
        ]
        replies = dict(zip(said, chat(env, MEMBER, "Europe/London", said), strict=True))
        assert f"“{created.name}”" in replies["what's its name?"]["text"]
        asked = replies["stop sending me the pipeline summary"]
        assert asked["kind"] == "choose" and created.id in [v["id"] for v in asked["data"]]
        assert replies[f"#{created.id}"]["kind"] == "done"
        assert "Paused" in replies[f"#{created.id}"]["text"]
        # a REPL line is one turn: the dict keeps the second "turn it back on"
        assert "already active; nothing changed" in replies["turn it back on"]["text"]
        assert SAM in replies["add sam to it"]["text"]
        assert "already gets it" in replies["cc sam"]["text"]
        assert replies["stop sending it to sam"]["kind"] == "done"
        preview = replies["show me what it would send"]
        assert preview["kind"] == "info" and "nothing was sent" in preview["text"]
        assert "Pipeline report" in preview["text"]
        described = replies[f"what does #{other.id} do?"]
        assert described["kind"] == "error" and "only an admin can see" in described["text"]
        assert ADMIN not in described["text"]
        assert "only an admin" in replies[f"pause #{other.id}"]["text"]
        now = get_automation(engine, org_id, created.id or 0)
        assert now.enabled and now.output_config["to"] == ["me", "priya@example.com"]
        assert get_automation(engine, org_id, other.id or 0).enabled == other.enabled
    finally:
        engine.dispose()
