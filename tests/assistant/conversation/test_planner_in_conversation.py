"""Claude in the conversation, against the local Messages API peer with the real anthropic
client: a request that came from Slack is planned knowing so, Claude's proposal is checked like
a typed request before the user sees it (a bad one goes back once with the error), the prompt
and tools go out with cache_control, and an API that fails or hangs leaves the conversation to
the deterministic engine within the budget, still answering in Slack."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.sdk_loader import ANTHROPIC_SDK
from assistant.tools.toolset import actor_for
from bench.kit.factories import make_org
from bench.kit.peers.anthropic import HANG, FakeAnthropic, fake_anthropic, status, tool_use
from models.store.automations import list_automations
from tests.assistant.http.service_harness import make_context
from tests.assistant.slack.harness import NOW, click, event, slack_app

REQUEST = "Every Monday at 9am, send me a summary of my pipeline"
WEEKLY = {
    "trigger_type": "cron",
    "cron": "0 9 * * 1",
    "skill": "pipeline-report",
    "params": {"scope": "mine"},
    "channel": "slack",
    "to": ["me"],
}


def with_key(monkeypatch: pytest.MonkeyPatch, peer: FakeAnthropic, budget: float) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", peer.base_url)
    monkeypatch.setenv("SKILLTICK_CLAUDE_BUDGET_SECONDS", str(budget))
    ANTHROPIC_SDK.get(300)  # loaded, as in a service that has finished starting


def test_a_slack_request_planned_by_claude_is_checked_before_it_is_shown(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = make_org(sqlite_engine, NOW)
    bad = {**WEEKLY, "params": {"scope": "mine", "colour": "red"}}
    with fake_anthropic(
        tool_use("propose_automation", **bad), tool_use("propose_automation", **WEEKLY)
    ) as claude:
        with_key(monkeypatch, claude, 10)
        with slack_app(sqlite_engine) as (base, api):
            event(
                base,
                {
                    "type": "message",
                    "channel_type": "im",
                    "user": "U1",
                    "channel": "D1",
                    "ts": "1700000001.000200",
                    "text": REQUEST,
                },
            )
            proposal = api.wait_for("chat.postMessage")[0]
            assert list_automations(sqlite_engine, org.org_id) == []  # nothing before a click
            activate = proposal["blocks"][1]["elements"][0]
            assert activate["action_id"] == "draft_activate"
            click(base, "draft_activate", activate["value"], user="U1", ts="1700000000.000100")
            activated = api.wait_for("chat.update")[0]
    first, second = claude.requests
    assert "came from Slack" in json.dumps(first["messages"][0])
    assert first["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert first["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    (sent_back,) = second["messages"][-1]["content"]
    assert sent_back["is_error"] is True and "Unknown parameter 'colour'" in sent_back["content"]
    # the user saw only the corrected proposal, delivered in Slack as the request came from there
    assert "colour" not in proposal["text"] and "Slack message" in proposal["text"]
    assert activated["text"].startswith("Activated")
    (auto,) = list_automations(sqlite_engine, org.org_id)
    assert auto.output_channel == "slack" and auto.params["scope"] == "mine"
    assert "colour" not in auto.params
    assert auto.cron_expression == "0 9 * * 1"


@pytest.mark.parametrize("failure", [status(529), status(500), HANG], ids=["529", "500", "hang"])
def test_a_failing_api_leaves_the_turn_to_the_engine_within_the_budget(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, failure: Any
) -> None:
    make_org(sqlite_engine, NOW, slug="acme")
    turn = Turn(actor_for(sqlite_engine, "acme", "member@acme.test"), "slack:D1", via="slack")
    with fake_anthropic(failure) as claude:
        with_key(monkeypatch, claude, 0.5)  # settings are read once, when the app is built
        monkeypatch.setenv("SKILLTICK_SLACK_BOT_TOKEN", "xoxb-test")  # it came from Slack
        tools = make_context(sqlite_engine, clock=lambda: NOW).tools
        assert tools.claude_planner is not None
        assert tools.claude_planner.warm(300)  # as in a service that has finished starting
        conversation = ConversationEngine(tools)
        started = time.monotonic()
        reply = conversation.handle(turn, REQUEST)
        waited = time.monotonic() - started
    assert len(claude.requests) == 1 and conversation.planner_turns == 1
    assert waited < 5, "the user is not kept waiting for an unresponsive API"
    assert reply.kind == "draft" and reply.data["output"]["channel"] == "slack"
    assert conversation.handle(turn, "yes").kind == "done"  # the turn after needs no Claude
    assert conversation.planner_turns == 1
