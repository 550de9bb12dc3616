"""The Claude planner with the real anthropic client against the local Messages API peer: the
skill catalogue and tools go out cached, every proposal is checked like a typed request (a bad
one is sent back once to be corrected), the request's channel is known to Claude and to the
fallback, and an API that fails or hangs hands over to the deterministic parser within the
budget."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import anthropic
import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from assistant.cli.root import app as cli_app
from assistant.tools.claude_planner import ClaudePlanner
from assistant.tools.sdk_loader import SdkLoader
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from bench.kit.peers.anthropic import HANG, FakeAnthropic, fake_anthropic, final, status, tool_use
from models.settings import load_settings
from models.store.orgs import get_user
from skills.builtin import default_registry

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
REQUEST = "Every Monday at 9am, send me a summary of my pipeline"
WEEKLY = {
    "trigger_type": "cron",
    "cron": "0 9 * * 1",
    "skill": "pipeline-report",
    "params": {"scope": "mine"},
    "channel": "email",
    "to": ["me"],
}


def planner(peer: FakeAnthropic, budget: float = 10.0) -> ClaudePlanner:
    client = anthropic.Anthropic(api_key="sk-test", base_url=peer.base_url, max_retries=0)
    return ClaudePlanner(default_registry(), client, model="claude-test", budget_seconds=budget)


def with_key(monkeypatch: pytest.MonkeyPatch, peer: FakeAnthropic, budget: float = 10.0) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", peer.base_url)
    monkeypatch.setenv("SKILLTICK_CLAUDE_BUDGET_SECONDS", str(budget))


def member(engine: Engine, plan: str = "enterprise") -> Actor:
    org = make_org(engine, NOW, plan=plan)
    return Actor.of(get_user(engine, org.member_id))


def tools_with_key(engine: Engine, peer: FakeAnthropic) -> Toolset:
    """A tool set whose deployment has an Anthropic key, pointed at the peer."""
    settings = load_settings(anthropic_api_key="sk-test", anthropic_base_url=peer.base_url)
    return Toolset(engine, settings, clock=lambda: NOW)


def test_one_round_trip_with_the_catalogue_and_tools_cached() -> None:
    with fake_anthropic(tool_use("propose_automation", **WEEKLY)) as peer:
        draft, used_llm = planner(peer).plan(REQUEST, "Europe/London", NOW)
        planner(peer).plan(REQUEST, "Europe/London", NOW)  # same prefix: read from the cache
    assert used_llm and draft.ok and draft.skill == "pipeline-report"
    assert draft.as_json()["next_runs"][0] == "2026-03-09T09:00:00+00:00"
    first = peer.requests[0]
    (system,) = first["system"]
    assert system["cache_control"] == {"type": "ephemeral"}
    assert "- pipeline-report: " in system["text"] and '"scope"' in system["text"]
    assert [t["name"] for t in first["tools"]] == ["understand_request", "propose_automation"]
    assert first["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert peer.usages[0]["cache_creation_input_tokens"] > 0
    assert (
        peer.usages[-1]["cache_read_input_tokens"] == peer.usages[0]["cache_creation_input_tokens"]
    )


def test_assistant_turns_go_back_without_null_fields() -> None:
    script = (
        tool_use("understand_request", request=REQUEST),
        tool_use("propose_automation", **WEEKLY),
    )
    with fake_anthropic(*script) as peer:
        draft, used_llm = planner(peer).plan(REQUEST, "UTC", NOW)
    assert used_llm and draft.ok
    echoed = peer.requests[1]["messages"][1]
    assert echoed["role"] == "assistant"
    assert echoed["content"] == [
        {"type": "text", "text": "Let me look that up."},
        {
            "type": "tool_use",
            "id": "toolu_0001",
            "name": "understand_request",
            "input": {"request": REQUEST},
        },
    ]


def test_a_proposal_with_bad_params_is_sent_back_once_and_corrected() -> None:
    bad = {**WEEKLY, "params": {"colour": "red"}}
    with fake_anthropic(
        tool_use("propose_automation", **bad), tool_use("propose_automation", **WEEKLY)
    ) as peer:
        draft, used_llm = planner(peer).plan(REQUEST, "UTC", NOW)
    assert used_llm and draft.ok and draft.params == {"scope": "mine"}
    (sent_back,) = peer.requests[1]["messages"][-1]["content"]
    assert sent_back["is_error"] is True and "Unknown parameter 'colour'" in sent_back["content"]


def test_a_rejected_proposal_may_become_a_question() -> None:
    bad = {**WEEKLY, "skill": "coffee-maker"}
    with fake_anthropic(
        tool_use("propose_automation", **bad),
        final("Which report do you want: pipeline or sourcing?"),
    ) as peer:
        draft, used_llm = planner(peer).plan("send me the report", "UTC", NOW)
    assert used_llm and draft.status == "question"
    assert draft.question == "Which report do you want: pipeline or sourcing?"


def test_twice_rejected_falls_back_to_the_parser_and_never_shows_the_bad_plan() -> None:
    bad = {**WEEKLY, "params": {"scope": "everyone-ever"}}
    with fake_anthropic(
        tool_use("propose_automation", **bad), tool_use("propose_automation", **bad)
    ) as peer:
        draft, used_llm = planner(peer).plan(REQUEST, "UTC", NOW)
    assert len(peer.requests) == 2 and not used_llm
    assert draft.ok and draft.params.get("scope") != "everyone-ever"


def test_claude_proposals_get_the_plan_limit_and_daylight_saving_notes(
    sqlite_engine: Engine,
) -> None:
    me = member(sqlite_engine, plan="free")
    hourly = {**WEEKLY, "cron": "0 * * * *", "timezone": "America/New_York"}
    with fake_anthropic(tool_use("propose_automation", **hourly)) as peer:
        tools = tools_with_key(sqlite_engine, peer)
        draft = tools.understand(me, "every hour send me my pipeline", "America/New_York")
    assert draft.ok and draft.as_json()["schedule"]["cron"] == "0 * * * *"
    assert any("free plan" in n.lower() for n in draft.notes), draft.notes
    with fake_anthropic(
        tool_use("propose_automation", **{**WEEKLY, "timezone": "America/New_York"})
    ) as peer:
        weekly = tools_with_key(sqlite_engine, peer).understand(me, REQUEST, "America/New_York")
    # 2026-03-08: clocks go forward in New York between now and the next runs
    assert any("clocks in America/New_York go forward" in n for n in weekly.notes), weekly.notes


def test_a_slack_request_is_planned_and_falls_back_to_slack_output(sqlite_engine: Engine) -> None:
    me = member(sqlite_engine)
    with fake_anthropic(tool_use("propose_automation", **{**WEEKLY, "channel": "slack"})) as peer:
        planned = tools_with_key(sqlite_engine, peer).understand(me, REQUEST, via="slack")
    assert "came from Slack" in peer.requests[0]["messages"][0]["content"]
    assert planned.channel == "slack"
    with fake_anthropic(status(529)) as peer:
        fallback = tools_with_key(sqlite_engine, peer).understand(me, REQUEST, via="slack")
    assert len(peer.requests) == 1 and fallback.ok and fallback.channel == "slack"


@pytest.mark.parametrize("failure", [status(500), status(529), HANG])
def test_a_failing_or_silent_api_hands_over_within_the_budget(failure: Any) -> None:
    with fake_anthropic(failure) as peer:
        started = time.monotonic()
        draft, used_llm = planner(peer, budget=0.5).plan(REQUEST, "Europe/London", NOW)
        waited = time.monotonic() - started
    assert not used_llm and draft.ok and draft.as_json()["schedule"]["cron"] == "0 9 * * 1"
    assert len(peer.requests) == 1  # no retry past the budget
    assert waited < 5, "the user is not kept waiting for an unresponsive API"


def test_a_turn_before_the_sdk_has_loaded_is_answered_within_the_budget_without_it() -> None:
    """Loading the SDK takes seconds; a turn that comes first does not wait for it past its
    budget, and the next turn, once it has loaded, goes to Claude."""
    may_load = threading.Event()

    def slow_import() -> ModuleType:
        may_load.wait(60)
        return anthropic

    loader = SdkLoader(slow_import)
    at_eight = {**WEEKLY, "cron": "0 8 * * 1"}  # not what the parser reads: proves who answered
    with fake_anthropic(tool_use("propose_automation", **at_eight)) as peer:
        planned = ClaudePlanner(
            default_registry(),
            connect=lambda sdk: sdk.Anthropic(
                api_key="sk-test", base_url=peer.base_url, max_retries=0
            ),
            sdk=loader,
            budget_seconds=0.5,
        )
        started = time.monotonic()
        early, early_llm = planned.plan(REQUEST, "Europe/London", NOW)
        waited = time.monotonic() - started
        asked_early = len(peer.requests)
        may_load.set()
        assert planned.warm(60) and loader.get(0) is anthropic  # loaded, client made
        later, later_llm = planned.plan(REQUEST, "Europe/London", NOW)
    assert not early_llm and early.as_json()["schedule"]["cron"] == "0 9 * * 1"
    assert asked_early == 0 and waited < 5
    assert later_llm and later.as_json()["schedule"]["cron"] == "0 8 * * 1"
    assert len(peer.requests) == 1


def test_understand_uses_claude_whenever_a_key_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    at_eight = {**WEEKLY, "cron": "0 8 * * 1"}  # not what the parser reads: proves who answered
    with fake_anthropic(tool_use("propose_automation", **at_eight)) as peer:
        with_key(monkeypatch, peer)
        result = CliRunner().invoke(cli_app, ["understand", REQUEST, "--tz", "UTC", "--json"])
    assert result.exit_code == 0, result.output
    assert '"cron": "0 8 * * 1"' in result.output and len(peer.requests) == 1
