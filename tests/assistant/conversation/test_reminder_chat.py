"""Reminders in a conversation: asked for, confirmed and reworded in `skilltick chat` as a user
runs it (its entry point in this process, on a fresh SKILLTICK_HOME after `skilltick demo
seed`), and a reminder's
text changed in words through the conversation engine on both databases."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.engine import make_engine
from models.settings import load_settings
from models.store.automations import get_automation, list_automations
from models.store.orgs import find_org, get_user
from tests.cli_in_process import run_skilltick

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday
DANA = "dana.recruiter@demo.skilltick.local"


def test_a_reminder_through_skilltick_chat(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("SKILLTICK_DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = run_skilltick(args, env)
        assert done.returncode == 0, done.stderr
        return done

    run("demo", "seed")

    def say(message: str) -> dict[str, Any]:
        done = run(
            "chat",
            "--now",
            NOW.isoformat(),
            "--user",
            DANA,
            "--session",
            "r",
            "--json",
            "--once",
            message,
        )
        reply: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])["reply"]
        return reply

    draft = say("remind me every weekday at 4pm to update my candidates")
    assert draft["kind"] == "draft", draft["text"]
    assert "- Action: a reminder: “update my candidates” (reminder)" in draft["text"]
    done = say("yes")
    assert done["kind"] == "done", done["text"]
    assert done["data"]["skill"] == "reminder"
    assert done["data"]["params"] == {"message": "update my candidates"}
    assert done["data"]["cron"] == "0 16 * * 1-5"
    changed = say("change the reminder to say call Priya about the offer")
    assert changed["kind"] == "done", changed["text"]
    assert "It says “call Priya about the offer”." in changed["text"]
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    try:
        demo = find_org(engine, "demo").id or 0
        (auto,) = [a for a in list_automations(engine, demo) if a.skill == "reminder"]
        assert auto.params == {"message": "call Priya about the offer"}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ("change the reminder to say call Priya", "call Priya"),
        ("make it say “book the 9am room” instead", "book the 9am room"),
        ("change it to say: chase Sam", "chase Sam"),
    ],
)
def test_a_reminder_text_changes_in_words(engine: Engine, change: str, text: str) -> None:
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    member = Actor.of(get_user(engine, org.member_id))
    conversation = ConversationEngine(tools)
    turn = Turn(member, "c", tz="UTC")
    assert (
        conversation.handle(turn, "remind me every Friday at 4pm to submit scorecards").kind
        == "draft"
    )
    assert conversation.handle(turn, "yes").kind == "done"
    (auto,) = list_automations(engine, org.org_id)
    reply = conversation.handle(turn, change)
    assert reply.kind == "done", reply.text
    after = get_automation(engine, org.org_id, auto.id or 0)
    assert after.params == {"message": text} and after.cron_expression == auto.cron_expression
    refused = conversation.handle(turn, "change the reminder to say " + "x" * 600)
    assert "at most 500 characters" in refused.text and "\n" not in refused.text
    assert get_automation(engine, org.org_id, auto.id or 0).params == {"message": text}
