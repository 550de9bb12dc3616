"""What an MCP client reads: truthful hints on every tool, one plain sentence for a bad call,
and list tools answering a compact table with every field in `structuredContent`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import anyio
from mcp import Client
from sqlalchemy.engine import Engine

from assistant.mcp.server import build_server, stdio_actor
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.orgs import get_user

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def server_for(engine: Engine, user_id: int) -> Any:
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    return build_server(tools, stdio_actor(Actor.of(get_user(engine, user_id))))


def session(server: Any, *calls: tuple[str, dict[str, Any]]) -> list[Any]:
    async def go() -> list[Any]:
        async with Client(server) as client:
            return [await client.call_tool(name, args) for name, args in calls]

    return anyio.run(go)


def test_every_tool_says_truly_whether_it_reads_destroys_or_repeats(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)

    async def go() -> Any:
        async with Client(server_for(sqlite_engine, org.member_id)) as client:
            return (await client.list_tools()).tools

    hints = {
        t.name: (
            t.annotations.read_only_hint,
            t.annotations.destructive_hint,
            t.annotations.idempotent_hint,
        )
        for t in anyio.run(go)
        if t.annotations is not None
    }
    reads = (True, False, True)
    for name in (
        "understand_request",
        "list_automations",
        "get_automation",
        "run_history",
        "why",
        "backtest",
        "list_skills",
        "list_inbox",
        "read_audit_log",
        "list_skipped_runs",
    ):
        assert hints.pop(name) == reads, name
    # reading a message marks it read: a state set, the same call again changes nothing
    assert hints.pop("read_inbox_message") == (False, False, True)
    # a test run is recorded in the history, and each call records another
    assert hints.pop("test_automation") == (False, False, False)
    assert hints.pop("run_now") == (False, False, False)
    assert hints.pop("retry_run") == (False, False, False)
    assert hints.pop("draft_automation") == (False, False, False)
    assert hints.pop("draft_workflow") == (False, False, False)  # each call keeps a draft
    # "skip the next run" said twice skips two runs
    assert hints.pop("skip_runs") == hints.pop("unskip_runs") == (False, False, False)
    for name in ("pause_automation", "resume_automation", "confirm_draft", "bulk_pause_resume"):
        assert hints.pop(name) == (False, False, True), name
    assert hints.pop("delete_automation") == (False, True, True)
    assert hints.pop("cancel_draft") == (False, True, True)
    assert hints.pop("update_automation") == (False, True, False)
    # a conversation can end in a confirmed delete or a run that sends: the widest hints
    assert hints.pop("chat") == (False, True, False)
    assert not hints, f"tools without a decided hint: {sorted(hints)}"


def test_bad_arguments_come_back_as_one_plain_sentence(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    missing, wrong, bounds, unknown = session(
        server_for(sqlite_engine, org.member_id),
        ("delete_automation", {}),
        ("pause_automation", {"automation_id": "five"}),
        ("run_history", {"automation_id": 1, "limit": 0}),
        ("get_automation", {"automation_id": 999}),
    )
    assert all(r.is_error for r in (missing, wrong, bounds, unknown))
    assert missing.content[0].text == (
        "Wrong arguments for delete_automation: automation_id is required; confirm is required."
    )
    assert wrong.content[0].text == (
        "Wrong arguments for pause_automation: automation_id should be a whole number."
    )
    assert bounds.content[0].text == (
        "Wrong arguments for run_history: limit should be at least 1."
    )
    assert unknown.content[0].text == "No automation #999 in your organisation."


def test_list_tools_answer_a_compact_table_and_every_field_structured(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    first = make_automation(sqlite_engine, org, NOW, name="Pipeline report")
    second = make_automation(sqlite_engine, org, NOW, name="Stale candidates", enabled=False)
    listed, skills, history = session(
        server_for(sqlite_engine, org.member_id),
        ("list_automations", {}),
        ("list_skills", {}),
        ("run_history", {"automation_id": first.id}),
    )
    lines = listed.content[0].text.splitlines()
    assert lines[0] == "id | name | owner | status | trigger | next run | last run"
    assert [line.split(" | ")[:2] for line in lines[1:]] == [
        [f"#{first.id}", "Pipeline report"],
        [f"#{second.id}", "Stale candidates"],
    ]
    # the words every listing uses: no run promised while paused
    assert [line.split(" | ")[3] for line in lines[1:]] == ["active", "paused"]
    assert lines[1].split(" | ")[5].startswith("20") and lines[2].split(" | ")[5] == "-"
    assert "{" not in listed.content[0].text
    rows = listed.structured_content["result"]
    assert [r["id"] for r in rows] == [first.id, second.id] and "next_runs" in rows[0]
    skill_lines = skills.content[0].text.splitlines()
    assert skill_lines[0].startswith("skill | triggers") and any(
        line.startswith("pipeline-report | ") for line in skill_lines
    )
    assert {s["name"] for s in skills.structured_content["result"]} >= {"pipeline-report"}
    assert history.content[0].text == f"Automation #{first.id} has no runs yet."
    assert history.structured_content == {"result": []}


def test_update_fields_are_typed_as_rest_types_them(sqlite_engine: Engine) -> None:
    """`fields` holds JSON: a date-time arrives as text and is read as one, as REST reads it;
    a wrong type is one sentence and changes nothing."""
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, owner_id=org.member_id)
    when = "2026-03-09T10:30:00+01:00"
    naive, wrong_flag, moved = session(
        server_for(sqlite_engine, org.member_id),
        ("update_automation", {"automation_id": auto.id, "fields": {"once": "2026-03-09T10:30"}}),
        ("update_automation", {"automation_id": auto.id, "fields": {"skip_holidays": "often"}}),
        ("update_automation", {"automation_id": auto.id, "fields": {"once": when}}),
    )
    assert naive.is_error and wrong_flag.is_error and not moved.is_error
    assert naive.content[0].text.startswith("Wrong arguments for update_automation: once ")
    assert "\n" not in naive.content[0].text
    assert wrong_flag.content[0].text == (
        "Wrong arguments for update_automation: skip_holidays should be true or false."
    )
    view = moved.structured_content
    assert view is not None and view["cron"] is None
    assert datetime.fromisoformat(view["next_run_at"]) == datetime.fromisoformat(when)
