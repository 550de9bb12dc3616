"""draft_workflow through a real MCP client: a trigger in words and typed steps make one draft
read back step by step, which confirm_draft creates as one workflow holding the steps in order;
a step the tool schema refuses, a step creating it would refuse and a trigger that is no event
are each one clear error, and nothing is kept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import anyio
from mcp import Client
from sqlalchemy.engine import Engine

from assistant.mcp.server import build_server, stdio_actor
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
STEPS: list[dict[str, Any]] = [
    {"type": "send_email", "to": "hiring_manager", "subject": "{{ candidate.name }} is at Offer",
     "body": "Please approve the offer for {{ job.title }}."},
    {"type": "create_task", "title": "Prepare the contract for {{ candidate.name }}",
     "due_in_days": 2},
    {"type": "update_field", "field": "priority", "value": "high"},
]  # fmt: skip


def test_draft_workflow_then_confirm(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    server = build_server(tools, stdio_actor(Actor.of(get_user(engine, org.member_id))))

    async def go() -> list[Any]:
        async with Client(server) as client:
            asks = [
                ("draft_workflow", {"when": "when a candidate reaches Offer", "steps": STEPS}),
                ("draft_workflow", {"when": "every monday at 9", "steps": STEPS}),
                ("draft_workflow", {"when": "when an offer is made", "steps": [
                    {"type": "create_task", "title": "x", "assignee": "hiring_manager"}]}),
                ("draft_workflow", {"when": "when an offer is made", "steps": [
                    {"type": "update_field", "field": "priority", "value": "urgent"}]}),
            ]  # fmt: skip
            answers = [await client.call_tool(name, args) for name, args in asks]
            drafted = answers[0].structured_content
            answers.append(await client.call_tool("confirm_draft", {"draft_id": drafted["id"]}))
            return answers

    drafted, cron, bad_assignee, bad_value, confirmed = anyio.run(go)
    shown = drafted.structured_content
    assert not drafted.is_error and shown["status"] == "ok", drafted
    lines = shown["summary"].splitlines()
    assert lines[1] == "- Trigger: When a candidate moves to Offer"
    assert lines[2].startswith("- Step 1: Email the job's hiring manager “the candidate's name")
    assert (
        lines[3]
        == "- Step 2: A task for you “Prepare the contract for the candidate's name” due in 2 days"
    )
    assert lines[4] == "- Step 3: Set the application's priority to high"
    assert cron.is_error and "not an event a workflow can run on" in cron.content[0].text
    assert bad_assignee.is_error and "assignee" in bad_assignee.content[0].text
    assert bad_value.is_error and "Action 1: 'value' for priority" in bad_value.content[0].text
    assert not confirmed.is_error, confirmed
    (auto,) = list_automations(engine, org.org_id)
    assert (auto.skill, auto.event_type, auto.event_filter) == (
        "workflow", "candidate.stage_changed", {"to_stage": "Offer"})  # fmt: skip
    assert auto.params["actions"] == [
        STEPS[0],
        {**STEPS[1], "assignee": "owner"},
        {**STEPS[2], "entity": "application"},
    ]
    assert confirmed.structured_content["id"] == auto.id
