"""A draft belongs to the person who asked, at every door: an admin's confirm or cancel of a
member's draft is refused in one line naming whose it is (REST, MCP, dashboard), nothing is
created and the draft still waits for its asker, whose confirm then makes it theirs."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import anyio
from mcp import Client
from sqlalchemy.engine import Engine

from assistant.mcp.server import build_server, stdio_actor
from models.store.automations import list_automations
from models.store.conversations import get_draft
from models.store.orgs import get_user
from tests.assistant.http.service_harness import client, live_server, make_context
from tests.assistant.http.service_harness import make_org_with_tokens as org_with_tokens
from tests.assistant.http.test_dashboard_pages import browser

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday
ASKED = "every weekday at 8:30 send me my pipeline"


def _mcp_call(server: Any, tool: str, args: dict[str, Any]) -> Any:
    async def go() -> Any:
        async with Client(server) as mcp:
            return await mcp.call_tool(tool, args)

    return anyio.run(go)


def test_an_admin_can_neither_confirm_nor_cancel_a_members_draft(engine: Engine) -> None:
    org = org_with_tokens(engine, NOW, slug="acme")
    ctx = make_context(engine, clock=lambda: NOW)
    member = get_user(engine, org.fixture.member_id)
    whose = f"Draft #{{}} is {member.name}'s: only they can"
    with live_server(ctx) as url, client(url, org.member_token) as asker:
        draft_id = asker.post("/api/drafts", json={"request": ASKED}).json()["id"]
        with client(url, org.admin_token) as admin:
            refused = [
                admin.post(f"/api/drafts/{draft_id}/confirm"),
                admin.delete(f"/api/drafts/{draft_id}"),
            ]
        for answer, verb in zip(refused, ("activate it.", "cancel it."), strict=True):
            assert answer.status_code == 403, answer.text
            assert answer.json()["error"]["message"] == f"{whose.format(draft_id)} {verb}"

        server = build_server(ctx.tools, stdio_actor(org.actor(engine, admin=True)))
        for tool in ("confirm_draft", "cancel_draft"):
            result = _mcp_call(server, tool, {"draft_id": draft_id})
            assert result.is_error and whose.format(draft_id) in result.content[0].text, tool

        page, csrf = browser(url, org.admin_token)
        clicked = page.post(f"/automations/draft/{draft_id}/confirm", data={"csrf": csrf})
        page.close()
        assert clicked.status_code == 403 and whose.format(draft_id) in html.unescape(clicked.text)

        assert list_automations(engine, org.fixture.org_id) == []
        assert get_draft(engine, org.fixture.org_id, draft_id).status == "pending"
        made = asker.post(f"/api/drafts/{draft_id}/confirm").json()
    (auto,) = list_automations(engine, org.fixture.org_id)
    assert (auto.id, auto.owner_id) == (made["id"], member.id)
