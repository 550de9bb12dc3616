"""Claude reads so many requests of one person an hour (SKILLTICK_CLAUDE_REQUESTS_PER_HOUR):
past it the deterministic parser reads theirs alone, the reply says so once, others are still
read by Claude, and an hour after the first the person is read by Claude again. Against the
local Messages API peer with the real anthropic client; the count is checked against a model
of its own over random arrival times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.planner_quota import PlannerQuota
from assistant.tools.sdk_loader import ANTHROPIC_SDK
from assistant.tools.toolset import actor_for
from bench.kit.factories import make_org
from bench.kit.peers.anthropic import fake_anthropic, tool_use
from tests.assistant.http.service_harness import make_context

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
REQUEST = "Every Monday at 9am, send me a summary of my pipeline"
WEEKLY = {
    "trigger_type": "cron",
    "cron": "0 9 * * 1",
    "skill": "pipeline-report",
    "params": {"scope": "mine"},
    "channel": "email",
    "to": ["me"],
}
SAID = "Claude has read 2 of your requests in the last hour"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_past_the_hourly_limit_the_parser_reads_a_persons_requests_and_says_so_once(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_org(sqlite_engine, NOW, slug="acme")
    member = actor_for(sqlite_engine, "acme", "member@acme.test")
    admin = actor_for(sqlite_engine, "acme", "admin@acme.test")
    proposals = [tool_use("propose_automation", **WEEKLY) for _ in range(4)]
    with fake_anthropic(*proposals) as claude:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.base_url)
        monkeypatch.setenv("SKILLTICK_CLAUDE_BUDGET_SECONDS", "10")
        monkeypatch.setenv("SKILLTICK_CLAUDE_REQUESTS_PER_HOUR", "2")
        ANTHROPIC_SDK.get(300)
        clock = Clock()
        tools = make_context(sqlite_engine, clock=clock).tools
        assert tools.claude_planner is not None and tools.claude_planner.warm(300)
        chat = ConversationEngine(tools)
        replies = []
        for n in range(4):
            clock.now = NOW + timedelta(minutes=10 * n)
            replies.append(chat.handle(Turn(member, f"m{n}"), REQUEST))
        assert len(claude.requests) == 2 and chat.planner_turns == 2
        assert all(r.kind == "draft" for r in replies)
        assert [SAID in r.text for r in replies] == [False, False, True, False]
        assert "until Mon 02 Mar 2026 09:00 UTC" in replies[2].text
        # another person is still read by Claude
        assert chat.handle(Turn(admin, "a0"), REQUEST).kind == "draft"
        assert len(claude.requests) == 3
        # an hour after their first request, Claude reads the person's again
        clock.now = NOW + timedelta(hours=1, minutes=1)
        again = chat.handle(Turn(member, "m9"), REQUEST)
        assert len(claude.requests) == 4 and SAID not in again.text
        assert again.kind == "draft"


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(min_value=0, max_value=4),
    gaps=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=30),
)
def test_claude_reads_at_most_the_limit_in_any_hour(limit: int, gaps: list[int]) -> None:
    quota = PlannerQuota(limit)
    taken: list[datetime] = []
    moment = NOW
    for gap in gaps:
        moment += timedelta(minutes=gap)
        in_hour = [t for t in taken if moment - t < timedelta(hours=1)]
        expected = len(in_hour) < limit
        assert quota.allows(1, moment) is expected
        assert quota.take(1, moment) is expected
        taken += [moment] if expected else []
    assert quota.take(2, moment) is (limit > 0)  # each person is counted apart
