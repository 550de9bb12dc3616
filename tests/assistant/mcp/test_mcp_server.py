"""The MCP server: tools with schemas, draft -> confirm -> pause -> resume, destructive tools
that need confirm, organisation scope through every tool (in-memory client session), and one
real client session over stdio."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from sqlalchemy.engine import Engine

from assistant.mcp.server import build_server, stdio_actor
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.engine import make_engine
from models.settings import load_settings
from models.store.automations import get_automation, list_automations
from models.store.orgs import get_user
from tests.cli_in_process import run_skilltick

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
REQUEST = "Every Monday at 9am, send me a summary of my pipeline"


def call(server: Any, tool: str, args: dict[str, Any]) -> Any:
    async def go() -> Any:
        async with Client(server) as client:
            return await client.call_tool(tool, args)

    return anyio.run(go)


def server_for(engine: Engine, user_id: int) -> Any:
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    return build_server(tools, stdio_actor(Actor.of(get_user(engine, user_id))))


def test_tools_are_listed_with_schemas_and_destructive_ones_need_confirm(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)

    async def go() -> Any:
        async with Client(server_for(sqlite_engine, org.member_id)) as client:
            return (await client.list_tools()).tools

    listed = {t.name: t for t in anyio.run(go)}
    assert {
        "draft_automation",
        "confirm_draft",
        "list_automations",
        "get_automation",
        "update_automation",
        "pause_automation",
        "resume_automation",
        "delete_automation",
        "run_now",
        "test_automation",
        "backtest",
        "retry_run",
        "run_history",
        "why",
        "list_skills",
        "bulk_pause_resume",
        "skip_runs",
        "unskip_runs",
        "list_skipped_runs",
    } <= set(listed)
    assert "confirm" in listed["delete_automation"].input_schema["required"]
    assert listed["delete_automation"].annotations.destructive_hint is True
    assert all(t.description for t in listed.values())


def test_draft_confirm_pause_and_resume_through_mcp(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    server = server_for(sqlite_engine, org.member_id)
    draft = call(server, "draft_automation", {"request": REQUEST}).structured_content
    assert draft["status"] == "ok" and "Monday" in draft["summary"]
    created = call(server, "confirm_draft", {"draft_id": draft["id"]}).structured_content
    assert created["skill"] == "pipeline-report" and created["enabled"]
    paused = call(
        server, "pause_automation", {"automation_id": created["id"], "until": "Friday"}
    ).structured_content
    assert not paused["enabled"] and paused["paused_until"].startswith("2026-03-06")
    resumed = call(server, "resume_automation", {"automation_id": created["id"]})
    assert resumed.structured_content["enabled"]


def test_runs_are_skipped_and_brought_back_through_mcp(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, cron="0 9 * * 1")  # Mondays 09:00 UTC
    server = server_for(sqlite_engine, org.member_id)
    mondays = ["2026-03-09T09:00:00Z", "2026-03-16T09:00:00Z"]
    said = {"automation_id": auto.id, "words": "Mar 9 and 16"}
    skipped = call(server, "skip_runs", said).structured_content
    assert skipped["skipped"] == mondays and skipped["automation"]["enabled"], skipped
    assert skipped["next_run_at"] == "2026-03-23T09:00:00Z"
    no_run = call(server, "skip_runs", {"automation_id": auto.id, "words": "Mar 10"})
    assert no_run.is_error and "has no run on Tue 10 Mar" in no_run.content[0].text
    back = call(server, "unskip_runs", {"automation_id": auto.id, "at": [mondays[0]]})
    assert back.structured_content["skips"] == mondays[1:]
    listed = call(server, "list_skipped_runs", {"automation_id": auto.id}).structured_content
    assert listed["skips"] == mondays[1:] and listed["next_run_at"] == mondays[0]


def test_a_question_comes_back_as_a_question_and_creates_nothing(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    result = call(
        server_for(sqlite_engine, org.member_id),
        "draft_automation",
        {"request": "send me a report every Monday"},
    ).structured_content
    assert (result["id"], result["status"]) == (None, "question")
    assert list_automations(sqlite_engine, org.org_id) == []


def test_delete_without_confirm_is_refused_and_changes_nothing(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW)
    server = server_for(sqlite_engine, org.member_id)
    refused = call(server, "delete_automation", {"automation_id": auto.id, "confirm": False})
    assert refused.is_error and "confirm" in refused.content[0].text
    assert get_automation(sqlite_engine, org.org_id, auto.id or 0)
    preview = call(server, "bulk_pause_resume", {"request": "pause all my automations"})
    assert preview.structured_content["done"] is False
    assert get_automation(sqlite_engine, org.org_id, auto.id or 0).enabled


ID_TOOLS = [
    "get_automation",
    "pause_automation",
    "resume_automation",
    "run_now",
    "test_automation",
    "run_history",
    "why",
    "backtest",
]


def test_another_organisation_can_neither_see_nor_touch_an_automation(engine: Engine) -> None:
    acme, globex = make_org(engine, NOW), make_org(engine, NOW, slug="globex")
    auto = make_automation(engine, acme, NOW)
    before = get_automation(engine, acme.org_id, auto.id or 0)
    server = server_for(engine, globex.admin_id)
    assert call(server, "list_automations", {}).structured_content == {"result": []}
    for tool in ID_TOOLS:
        result = call(server, tool, {"automation_id": auto.id})
        assert result.is_error and "No automation" in result.content[0].text, tool
    for tool, args in (
        ("delete_automation", {"automation_id": auto.id, "confirm": True}),
        ("update_automation", {"automation_id": auto.id, "change": "move it to 8am"}),
    ):
        assert call(server, tool, args).is_error, tool
    # "Max" is globex's own member here: the bulk pause finds nothing of acme's to touch
    bulk = call(server, "bulk_pause_resume", {"request": "pause everything", "confirm": True})
    assert bulk.structured_content["automation_ids"] == []
    after = get_automation(engine, acme.org_id, auto.id or 0)
    assert (after.enabled, after.cron_expression, after.updated_at) == (
        before.enabled,
        before.cron_expression,
        before.updated_at,
    )


def test_a_real_client_over_stdio_creates_pauses_and_resumes(
    tmp_path: Path, sqlite_template: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(sqlite_template, home / "skilltick.db")
    engine = make_engine(f"sqlite:///{home / 'skilltick.db'}")
    make_org(engine, NOW)
    engine.dispose()
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "assistant", "mcp", "--org", "acme", "--user", "member@acme.test"],
        env={**os.environ, "SKILLTICK_HOME": str(home)},
        cwd=str(Path(__file__).parents[3]),
    )

    async def go() -> tuple[set[str], dict[str, Any], bool, bool]:
        with anyio.fail_after(120):
            return await session()

    async def session() -> tuple[set[str], dict[str, Any], bool, bool]:
        async with Client(params, read_timeout_seconds=60) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            draft = (
                await client.call_tool("draft_automation", {"request": REQUEST})
            ).structured_content
            created = (
                await client.call_tool("confirm_draft", {"draft_id": draft["id"]})
            ).structured_content
            paused = (
                await client.call_tool("pause_automation", {"automation_id": created["id"]})
            ).structured_content
            resumed = (
                await client.call_tool("resume_automation", {"automation_id": created["id"]})
            ).structured_content
            return names, created, paused["enabled"], resumed["enabled"]

    names, created, paused, resumed = anyio.run(go)
    assert "draft_automation" in names and created["skill"] == "pipeline-report"
    assert (paused, resumed) == (False, True)


@pytest.mark.parametrize(
    ("who", "said"),
    [
        (["--org", "nope"], "No organisation 'nope'."),
        (["--org", "acme", "--user", "nobody@acme.test"], "No user 'nobody@acme.test' in this"),
    ],
)
def test_skilltick_mcp_for_an_unknown_organisation_or_user_says_so_in_one_line(
    tmp_path: Path, sqlite_template: Path, who: list[str], said: str
) -> None:
    """Said as any other command says it (it was a crash report: "NotFound: ... run again
    with --debug"), before anything is served. Through the entry point in this process: the
    real client above starts the process."""
    shutil.copyfile(sqlite_template, tmp_path / "skilltick.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'skilltick.db'}")
    make_org(engine, NOW)
    engine.dispose()
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "300"}
    done = run_skilltick(["mcp", *who], env, input="")
    assert done.returncode == 1 and done.stdout == "", done.stdout
    assert done.stderr.startswith(f"error: {said}") and done.stderr.count("\n") == 1, done.stderr
    assert "NotFound" not in done.stderr and "--debug" not in done.stderr


@pytest.mark.parametrize("tool", ["list_skills"])
def test_list_skills_names_the_installed_skills(sqlite_engine: Engine, tool: str) -> None:
    org = make_org(sqlite_engine, NOW)
    result = call(server_for(sqlite_engine, org.member_id), tool, {}).structured_content
    assert "pipeline-report" in {s["name"] for s in result["result"]}
