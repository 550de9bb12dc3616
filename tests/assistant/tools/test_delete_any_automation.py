"""Deleting an automation works whatever created it: one made from a draft (a sentence, a
Slack thread, MCP) is deleted through the CLI, the REST API, the dashboard and MCP, on both
stores; the drafts (and Slack thread rows left by earlier versions) that reference it stay,
detached."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import anyio
import pytest
from mcp import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from assistant.app import AppContext
from assistant.cli.root import app as cli_app
from assistant.mcp.server import build_server, stdio_actor
from assistant.tools.toolset import Actor
from models.errors import InvalidInput, NotFound
from models.store.automations import get_automation, list_automations
from models.tables.conversations import AutomationDraft, SlackThread
from tests.assistant.http.service_harness import (
    Org,
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
REQUEST = "Every Monday at 9am, send me a summary of my pipeline"


def made_from_a_slack_draft(ctx: AppContext, actor: Actor) -> tuple[int, int]:
    """An automation confirmed from a draft proposed in a Slack thread: (automation, draft)."""
    origin = {"channel": "slack", "slack_channel": "D1", "thread_ts": "1.0", "via": "slack"}
    draft = ctx.tools.draft_automation(actor, REQUEST, origin=origin)
    assert draft.id is not None
    automation_id = ctx.tools.confirm_draft(actor, draft.id).id
    with Session(ctx.engine) as s:  # the thread row earlier versions kept for such a draft
        s.add(
            SlackThread(
                org_id=actor.org_id,
                draft_id=draft.id,
                automation_id=automation_id,
                channel_id="D1",
                thread_ts="1.0",
                slack_user_id="U1",
                created_at=NOW,
            )
        )
        s.commit()
    return automation_id, draft.id


def assert_gone_and_detached(ctx: AppContext, org: Org, automation_id: int, draft_id: int) -> None:
    assert automation_id not in {a.id for a in list_automations(ctx.engine, org.fixture.org_id)}
    with Session(ctx.engine) as s:
        draft = s.get(AutomationDraft, draft_id)
        threads = list(s.exec(select(SlackThread).where(SlackThread.draft_id == draft_id)))
    assert draft is not None and draft.automation_id is None and draft.status == "deleted"
    assert threads and all(t.automation_id is None for t in threads)
    # confirming that draft again says why, and creates nothing
    actor = org.actor(ctx.engine)
    with pytest.raises(InvalidInput, match="was deleted"):
        ctx.tools.confirm_draft(actor, draft_id)
    with pytest.raises(NotFound):
        ctx.tools.get_automation(actor, automation_id)


def test_delete_through_the_cli(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = make_context(engine, clock=lambda: NOW)
    org = make_org_with_tokens(engine, NOW, slug="acme")
    auto_id, draft_id = made_from_a_slack_draft(ctx, org.actor(engine))
    monkeypatch.setenv("SKILLTICK_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(
        cli_app, ["automations", "delete", str(auto_id), "--org", "acme", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert f"Deleted automation #{auto_id}." in result.output
    assert_gone_and_detached(ctx, org, auto_id, draft_id)


def test_delete_through_rest_and_the_dashboard(engine: Engine) -> None:
    ctx = make_context(engine, clock=lambda: NOW)
    org = make_org_with_tokens(engine, NOW, slug="acme")
    by_rest, rest_draft = made_from_a_slack_draft(ctx, org.actor(engine))
    by_page, page_draft = made_from_a_slack_draft(ctx, org.actor(engine))
    with live_server(ctx) as base:
        with client(base, org.member_token) as api:
            assert api.delete(f"/api/automations/{by_rest}").status_code == 204
            assert api.delete(f"/api/automations/{by_rest}").status_code == 404
        with client(base) as browser:
            sign_in(browser, org.member_token)
            csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get("/").text)
            assert csrf
            answer = browser.post(
                f"/automations/{by_page}/delete", data={"csrf": csrf.group(1), "confirm": "yes"}
            )
            assert answer.status_code == 303
    assert_gone_and_detached(ctx, org, by_rest, rest_draft)
    assert_gone_and_detached(ctx, org, by_page, page_draft)


def test_delete_through_mcp_answers_in_plain_sentences(engine: Engine) -> None:
    ctx = make_context(engine, clock=lambda: NOW)
    org = make_org_with_tokens(engine, NOW, slug="acme")
    actor = org.actor(engine)
    auto_id, draft_id = made_from_a_slack_draft(ctx, actor)
    server = build_server(ctx.tools, stdio_actor(actor))

    async def calls() -> list[Any]:
        async with Client(server) as mcp:
            return [
                await mcp.call_tool(
                    "delete_automation", {"automation_id": auto_id, "confirm": False}
                ),
                await mcp.call_tool(
                    "delete_automation", {"automation_id": auto_id, "confirm": True}
                ),
                await mcp.call_tool(
                    "delete_automation", {"automation_id": auto_id, "confirm": True}
                ),
            ]

    name = get_automation(engine, org.fixture.org_id, auto_id).name
    unconfirmed, deleted, again = anyio.run(calls)
    assert unconfirmed.is_error and unconfirmed.content[0].text == (
        f"Deleting #{auto_id} “{name}” removes it and its run history; ask the user, then "
        "call again with confirm=true."
    )
    assert not deleted.is_error and deleted.content[0].text == f"Deleted automation #{auto_id}."
    assert again.is_error and again.content[0].text == (
        f"No automation #{auto_id} in your organisation."
    )
    assert_gone_and_detached(ctx, org, auto_id, draft_id)
