"""One validation point for every write: each interface (dashboard form, MCP tool, REST, CLI via
the tool set) refuses over-long or NUL-bearing texts, out-of-range integer params, in-app
recipients outside the organisation and out-of-range ids with a clear message, and stores
nothing; the driver never sees an out-of-range number."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from sqlalchemy.engine import Engine

from assistant.mcp.server import build_server, stdio_actor
from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_automation, make_org
from models.errors import InvalidInput, NotFound
from models.settings import load_settings
from models.store.automations import get_automation, list_automations
from models.store.orgs import get_user
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HUGE = 10**24  # a 25-digit number


def toolset(engine: Engine) -> Toolset:
    return Toolset(engine, load_settings(), clock=lambda: NOW)


def spec(**changes: Any) -> AutomationSpec:
    fields: dict[str, Any] = {
        "name": "Daily",
        "skill": "pipeline-report",
        "cron": "0 9 * * *",
        "timezone": "UTC",
    }
    return AutomationSpec(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": "x" * 300}, "300 characters long; the limit is 200"),
        ({"name": "Daily\x00"}, "NUL"),
        ({"description": "d" * 100_000}, "limit is 4000"),
        ({"params": {"stale_days": "-5"}}, "between 1 and 3650"),
        ({"params": {"stale_days": -5}}, "between 1 and 3650"),
        ({"params": {"stale_days": str(HUGE)}}, "between 1 and 3650"),
        ({"params": {"stale_days": HUGE}}, "between 1 and 3650"),
        ({"timezone": ""}, "time zone is empty"),
        ({"timezone": "   "}, "time zone is empty"),
        ({"output_channel": "in_app", "to": ["stranger@elsewhere.test"]}, "not a user of your"),
        ({"to": ["a" * 250 + "@x.test"]}, "limit is 200"),
    ],
)
def test_a_bad_write_is_refused_by_the_tool_set_and_stores_nothing(
    engine: Engine, changes: dict[str, Any], words: str
) -> None:
    org = make_org(engine, NOW)
    actor = Actor.of(get_user(engine, org.member_id))
    with pytest.raises(InvalidInput, match=re.escape(words)):
        toolset(engine).create_automation(actor, spec(**changes))
    assert list_automations(engine, org.org_id) == []


def test_in_app_output_to_a_colleague_and_a_range_edge_are_accepted(engine: Engine) -> None:
    org = make_org(engine, NOW)
    actor = Actor.of(get_user(engine, org.member_id))
    made = toolset(engine).create_automation(
        actor,
        spec(output_channel="in_app", to=["me", org.admin_email], params={"stale_days": 3650}),
    )
    assert made.params["stale_days"] == 3650


@pytest.mark.parametrize("bad", [HUGE, 2**31, 0, -1])
def test_ids_no_row_can_have_are_not_found_before_any_query(engine: Engine, bad: int) -> None:
    org = make_org(engine, NOW)
    actor = Actor.of(get_user(engine, org.admin_id))
    tools = toolset(engine)
    for call in (
        lambda: tools.get_automation(actor, bad),
        lambda: tools.get_run(actor, bad),
        lambda: tools.run_now(actor, bad),
        lambda: tools.delete(actor, bad, confirm=True),
        lambda: tools.revoke_api_token(actor, bad),
        lambda: tools.read_inbox(actor, bad),
        lambda: tools.get_outbox_message(actor, bad),
    ):
        with pytest.raises(NotFound):
            call()
    for limit, cursor in ((0, None), (-1, None), (20, -5), (20, HUGE)):
        with pytest.raises(InvalidInput):
            tools.list_runs(actor, limit=limit, cursor=cursor)
        with pytest.raises(InvalidInput):
            tools.list_events(actor, limit=limit, cursor=cursor)


def test_mcp_refuses_a_100_kb_name_and_a_25_digit_id_as_tool_errors(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, name="Kept")
    server = build_server(toolset(engine), stdio_actor(Actor.of(get_user(engine, org.member_id))))

    async def go() -> tuple[Any, Any]:
        async with Client(server) as mcp:
            renamed = await mcp.call_tool(
                "update_automation", {"automation_id": auto.id, "fields": {"name": "n" * 100_000}}
            )
            missing = await mcp.call_tool("get_automation", {"automation_id": HUGE})
            return renamed, missing

    renamed, missing = anyio.run(go)
    # typed as REST types a PATCH body: one sentence naming the field and its limit
    assert renamed.is_error and "name" in renamed.content[0].text
    assert "at most 200 characters" in renamed.content[0].text
    assert missing.is_error and f"#{HUGE}" in missing.content[0].text
    assert get_automation(engine, org.org_id, auto.id or 0).name == "Kept"


def test_the_dashboard_refuses_a_nul_in_a_name_and_rest_a_25_digit_id(engine: Engine) -> None:
    org = make_org_with_tokens(engine, NOW, slug="acme")
    with live_server(make_context(engine, clock=lambda: NOW)) as url:
        page = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
        assert sign_in(page, org.member_token).status_code == 303
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.get("/").text)
        assert csrf
        form = {
            "csrf": csrf.group(1),
            "name": "Daily\x00",
            "skill": "noop",
            "params": "",
            "trigger_type": "cron",
            "cron": "0 9 * * *",
            "output_channel": "email",
            "to": "me",
        }
        refused = page.post("/automations/new", data=form)
        assert refused.status_code == 422 and "NUL" in refused.text
        with client(url, org.member_token) as api:
            answer = api.get(f"/api/automations/{HUGE}")
            assert answer.status_code in (404, 422) and answer.json()["error"]["message"]
            assert api.get("/api/automations", params={"cursor": -5}).status_code in (400, 422)
    assert list_automations(engine, org.fixture.org_id) == []
