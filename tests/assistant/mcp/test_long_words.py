"""Words the service reads are bounded on every surface, not only where REST's schema says so:
MCP's free-text arguments (a request, a change, a day, runs to skip, a workflow's event) longer
than REST accepts are refused in one line before any reading (reading 400 KB of request took
over a minute of CPU), and a conversation's waiting request does not grow past one message's
limit as answers are added to it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from assistant.conversation.recipients import MOST_NOTED
from bench.kit.factories import make_automation
from models.limits import TEXT_MAX
from models.tables.conversations import AutomationDraft
from tests.assistant.conversation.member_chat import Chat
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)

# words each tool reads, just past what REST accepts for the same words
REQUEST = ("every monday at 9 send me my pipeline report and " * 100)[: TEXT_MAX + 1]
DAY = ("next monday and " * 20)[:201]
STEP = {"type": "create_task", "title": "Call {{ candidate.name }}", "due_in_days": 1}


def _calls(automation_id: int) -> list[tuple[str, dict[str, Any]]]:
    one = {"automation_id": automation_id}
    return [
        ("understand_request", {"request": REQUEST}),
        ("draft_automation", {"request": REQUEST}),
        ("update_automation", {**one, "change": REQUEST}),
        ("bulk_pause_resume", {"request": REQUEST}),
        ("pause_automation", {**one, "until": DAY}),
        ("skip_runs", {**one, "words": DAY}),
        ("unskip_runs", {**one, "words": DAY}),
        (
            "draft_workflow",
            {"when": ("when a candidate reaches offer " * 20)[:501], "steps": [STEP]},
        ),
    ]


def test_mcp_refuses_words_longer_than_rest_accepts(sqlite_engine: Engine) -> None:
    ctx = make_context(sqlite_engine, clock=lambda: NOW)
    acme = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    auto = make_automation(sqlite_engine, acme.fixture, NOW)
    calls = _calls(auto.id or 0)
    with live_server(ctx, lifespan=True) as base:

        async def call_all() -> list[tuple[bool, str]]:
            http = httpx2.AsyncClient(
                headers={"Authorization": f"Bearer {acme.member_token}"}, timeout=60
            )
            async with (
                http,
                Client(
                    streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy"
                ) as client,
            ):
                answers = []
                for name, arguments in calls:
                    result = await client.call_tool(name, arguments)
                    text = " ".join(getattr(c, "text", "") for c in result.content)
                    answers.append((bool(result.is_error), text))
                return answers

        answers = anyio.run(call_all)
    for (name, _), (is_error, text) in zip(calls, answers, strict=True):
        assert is_error, f"{name} read words longer than REST accepts: {text[:200]}"
        assert "characters long; the limit is" in text and "\n" not in text.strip(), (name, text)
    with sqlite_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(AutomationDraft)).scalar() == 0


def test_a_waiting_request_does_not_grow_past_one_message(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    chat = Chat(sqlite_engine, org.fixture.member_id, now=NOW)
    asked = chat.say("remind me to " + "call the agency back " * 150)
    assert asked.kind == "question"
    for _ in range(4):  # each answer would add its words to the request waiting
        reply = chat.say("every 2 " * 450)
        request = str((chat.state().get("pending") or {}).get("request") or "")
        assert len(request) <= TEXT_MAX, f"the waiting request grew to {len(request):,} characters"
    assert "too long" in reply.text or "limit" in reply.text, reply.text


def test_changes_noted_while_a_question_waits_are_bounded(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    chat = Chat(sqlite_engine, org.fixture.member_id, now=NOW)
    assert chat.say("every monday at 9 send me a report").kind == "question"
    for turn in range(MOST_NOTED + 5):  # each would be kept, then made to the draft
        reply = chat.say("also send it to ada" if turn % 2 else "only send it to me")
        noted = chat.pending().get("then") or []
        assert len(noted) <= MOST_NOTED, f"{len(noted)} changes kept for one waiting request"
    assert reply.kind == "question" and "answer the question first" in reply.text, reply.text
    chat.say("the pipeline one")  # the answer makes the draft, the noted changes made to it
    assert chat.pending().get("kind") == "draft"
