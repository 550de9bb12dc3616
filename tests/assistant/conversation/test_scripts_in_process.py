"""The conversation scripts straight through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import actor_for
from bench.kit.conversation.scripts import NOW, SCRIPTS, run_script
from models.settings import load_settings
from tests.assistant.http.service_harness import make_context


def test_every_script_through_the_engine(engine: Engine) -> None:
    # a server with Slack set up: the scripts post to Slack channels
    ctx = make_context(engine, load_settings(slack_bot_token="xoxb-configured"), clock=lambda: NOW)
    conversation = ConversationEngine(ctx.tools)

    def say(org: str, email: str, key: str, message: str) -> dict[str, Any]:
        turn = Turn(actor_for(engine, org, email), key)
        return conversation.handle(turn, message).as_json()

    turns = sum(run_script(engine, i, s, say, "engine") for i, s in enumerate(SCRIPTS))
    assert len(SCRIPTS) >= 40 and all(len(s["turns"]) > 1 for s in SCRIPTS)
    assert turns >= 120
    assert conversation.planner_turns == 0
