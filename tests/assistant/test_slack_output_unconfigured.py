"""Slack output on a server where Slack is not configured: refused when chosen, through every
door (CLI, REST, MCP, chat, dashboard), with one line saying how to configure it and which
outputs there are; automations already posting to Slack keep their place and their runs say
why nothing was posted."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from assistant.cli.root import app
from assistant.conversation import ConversationEngine, Turn
from assistant.mcp.server import build_server, stdio_actor
from assistant.tools.toolset import Actor, Toolset, actor_for
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_automation, make_org
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.conversations import save_installation
from models.store.orgs import get_user
from models.store.run_queue import db_now
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in
from worker.tick.factory import build_worker

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
REFUSAL = "Slack is not configured here (set SKILLTICK_SLACK_BOT_TOKEN to use it)"
# webhook output is not set up either (no SKILLTICK_WEBHOOK_SIGNING_SECRET): not offered
OTHERS = "choose another output: email, in_app."
WEBHOOK_REFUSAL = (
    "Webhook output is not configured here (whoever runs skilltick sets "
    "SKILLTICK_WEBHOOK_SIGNING_SECRET to use it); choose another output: email, in_app."
)
SLACK_REQUEST = "every Monday at 9am post my pipeline in #hiring"


def _tools(engine: Engine, **settings: Any) -> Toolset:
    return Toolset(engine, load_settings(**settings), clock=lambda: NOW)


def test_the_tool_set_refuses_slack_output_until_a_bot_token_or_workspace_is_there(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW)
    me = Actor.of(get_user(engine, org.member_id))
    spec: dict[str, Any] = {"name": "x", "skill": "noop", "cron": "0 9 * * *", "to": ["#hiring"]}
    with pytest.raises(InvalidInput) as refused:
        _tools(engine).create_automation(me, AutomationSpec(**spec, output_channel="slack"))
    assert REFUSAL in refused.value.message and OTHERS in refused.value.message
    assert "\n" not in refused.value.message
    assert list_automations(engine, org.org_id) == []
    # with OAuth the way to configure it is connecting a workspace
    oauth = _tools(engine, slack_client_id="1.2", slack_client_secret="s")
    with pytest.raises(InvalidInput, match="connects a Slack workspace on the dashboard"):
        oauth.create_automation(me, AutomationSpec(**spec, output_channel="slack"))
    # a workspace connected to the organisation, or the server's bot token, is enough
    save_installation(
        engine, org_id=org.org_id, team_id="T1", bot_user_id="UB", bot_token="xoxb-1", now=NOW
    )
    assert oauth.create_automation(me, AutomationSpec(**spec, output_channel="slack")).id
    other = make_org(engine, NOW, slug="bravo")
    them = Actor.of(get_user(engine, other.member_id))
    with_token = _tools(engine, slack_bot_token="xoxb-server")
    assert with_token.create_automation(them, AutomationSpec(**spec, output_channel="slack")).id


def test_webhook_output_is_refused_until_the_server_signs_webhooks(engine: Engine) -> None:
    org = make_org(engine, NOW)
    me = Actor.of(get_user(engine, org.member_id))
    hook = AutomationSpec(
        name="x", skill="noop", cron="0 9 * * *", output_channel="webhook",
        to=["https://hooks.example.com/x"],
    )  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        _tools(engine).create_automation(me, hook)
    assert refused.value.message == WEBHOOK_REFUSAL
    draft = _tools(engine).draft_automation(
        me, "every monday at 9am post my pipeline to " + hook.to[0]
    )
    assert WEBHOOK_REFUSAL in draft.summary and not draft.draft["can_activate"]
    assert list_automations(engine, org.org_id) == []
    signing = _tools(engine, webhooks={"signing_secret": "whsec-service"})
    assert signing.create_automation(me, hook).id


def test_an_existing_slack_automation_keeps_working_and_its_run_says_slack_is_not_configured(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    now = db_now(sqlite_engine)
    auto = make_automation(sqlite_engine, org, now, channel="slack", to=["#hiring"])
    tools = _tools(sqlite_engine)
    me = Actor.of(get_user(sqlite_engine, org.member_id))
    # other changes are not refused for the Slack output it already had
    assert tools.update_automation(me, auto.id or 0, {"name": "Renamed"}).name == "Renamed"
    # moving another automation to Slack is a new choice, and refused
    mail = make_automation(sqlite_engine, org, now, channel="email", to=["me"])
    with pytest.raises(InvalidInput, match="Slack is not configured"):
        tools.update_automation(me, mail.id or 0, {"output_channel": "slack", "to": ["#hiring"]})
    run = Toolset(sqlite_engine, load_settings()).run_now(me, auto.id or 0)
    build_worker(sqlite_engine, load_settings()).tick()
    done = tools.get_run(me, run.id)
    assert done.status == "failed"
    assert "Slack is not configured" in (done.error_message or "")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SKILLTICK_HOME", str(tmp_path))
    for name in ("SKILLTICK_DATABASE_URL", "SKILLTICK_SLACK_BOT_TOKEN", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["demo", "seed", "--candidates", "4"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_the_cli_refuses_slack_output_in_one_line(home: Path) -> None:
    args = ["automations", "create", "--org", "demo", "--name", "Hiring digest"]
    args += ["--skill", "pipeline-report", "--cron", "0 9 * * MON"]
    result = CliRunner().invoke(app, [*args, "--channel", "slack", "--to", "#hiring"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and REFUSAL in lines[0] and OTHERS in lines[0], result.output
    listed = CliRunner().invoke(app, ["automations", "list", "--org", "demo", "--all"])
    assert "Hiring digest" not in listed.output


def test_rest_and_the_dashboard_refuse_slack_output(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    body = {"name": "Hiring digest", "skill": "noop", "cron": "0 9 * * MON"}
    with live_server(make_context(sqlite_engine)) as url:
        with client(url, org.member_token) as api:
            refused = api.post(
                "/api/automations", json={**body, "output_channel": "slack", "to": ["#hiring"]}
            )
            assert refused.status_code in (400, 422), refused.text
            assert REFUSAL in refused.text and OTHERS in refused.text
        with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as page:
            sign_in(page, org.member_token)
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.get("/").text)
            assert csrf
            form = {**body, "csrf": csrf.group(1), "trigger_type": "cron"}
            shown = page.post(
                "/automations/new", data={**form, "output_channel": "slack", "to": "#hiring"}
            )
            assert shown.status_code == 422 and "Slack is not configured here" in shown.text
    assert list_automations(sqlite_engine, org.fixture.org_id) == []


def test_mcp_shows_the_refusal_in_the_read_back_and_confirming_is_refused(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    server = build_server(
        _tools(sqlite_engine), stdio_actor(Actor.of(get_user(sqlite_engine, org.member_id)))
    )

    async def go() -> tuple[Any, Any]:
        async with Client(server) as mcp:
            draft = await mcp.call_tool("draft_automation", {"request": SLACK_REQUEST})
            draft_id = draft.structured_content["id"]
            confirmed = await mcp.call_tool("confirm_draft", {"draft_id": draft_id})
            return draft, confirmed

    draft, confirmed = anyio.run(go)
    summary = draft.structured_content["summary"]
    assert REFUSAL in summary and "Confirm to activate?" not in summary
    assert confirmed.is_error and REFUSAL in confirmed.content[0].text
    assert list_automations(sqlite_engine, org.org_id) == []


def test_chat_says_so_before_yes_and_yes_changes_nothing(sqlite_engine: Engine) -> None:
    make_org(sqlite_engine, NOW, slug="acme")
    conversation = ConversationEngine(_tools(sqlite_engine))
    turn = Turn(actor_for(sqlite_engine, "acme", "member@acme.test"), "cli:t1")
    read_back = conversation.handle(turn, SLACK_REQUEST)
    assert REFUSAL in read_back.text and "Confirm to activate?" not in read_back.text
    answer = conversation.handle(turn, "yes")
    assert "Slack is not configured" in answer.text
    assert list_automations(sqlite_engine, turn.actor.org_id) == []
