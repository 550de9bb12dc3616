"""The audit log through a real MCP client: read_audit_log pages through who changed what,
newest first, with GET /api/audit's permissions (an admin reads the organisation's entries, a
member those about their own automations and their own actions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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


def _pages(engine: Engine, user_id: int, *asks: dict[str, Any]) -> list[list[Any]]:
    """For each of `asks`, every page read_audit_log gives `user_id` (2 entries a page,
    following next_cursor), in one client session."""
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    server = build_server(tools, stdio_actor(Actor.of(get_user(engine, user_id))))

    async def go() -> list[list[Any]]:
        answers: list[list[Any]] = []
        async with Client(server) as client:
            for args in asks:
                pages, cursor = [], None
                while True:
                    page = await client.call_tool(
                        "read_audit_log", {**args, "limit": 2, "cursor": cursor}
                    )
                    pages.append(page)
                    cursor = None if page.is_error else page.structured_content["next_cursor"]
                    if cursor is None:
                        break
                answers.append(pages)
        return answers

    return anyio.run(go)


def _entries(pages: list[Any]) -> list[tuple[str, str]]:
    return [(i["actor"], i["summary"]) for p in pages for i in p.structured_content["items"]]


def test_read_audit_log_pages_with_the_permissions_of_the_api(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW - timedelta(days=3))
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    admin = Actor.of(get_user(sqlite_engine, org.admin_id))
    member = Actor.of(get_user(sqlite_engine, org.member_id))
    mine = make_automation(sqlite_engine, org, NOW, name="Digest")
    admins = make_automation(sqlite_engine, org, NOW, name="Hiring", owner_id=org.admin_id)
    tools.pause(member, mine.id or 0)
    tools.pause(admin, admins.id or 0)
    tools.resume(admin, mine.id or 0)
    tools.resume(admin, admins.id or 0)
    ada, max_ = "Ada Admin (admin@acme.test)", "Max Member (member@acme.test)"
    [everything] = _pages(sqlite_engine, org.admin_id, {})
    assert _entries(everything) == [
        (ada, f"resumed #{admins.id}"),
        (ada, f"resumed #{mine.id}"),
        (ada, f"paused #{admins.id}"),
        (max_, f"paused #{mine.id}"),
    ]
    assert len(everything) == 2  # two full pages, the second says it is the last
    first = everything[0].content[0].text.splitlines()
    assert first[0] == "entry | at (UTC) | who | what | automation"
    assert first[1].endswith(
        f"| 2026-03-02 16:00 | {ada} | resumed #{admins.id} | #{admins.id} “Hiring”"
    )
    assert first[-1].startswith("Older entries: call again with cursor=")
    # a member reads what is about their own automations, or done by them
    theirs, none, refused = _pages(
        sqlite_engine, org.member_id, {}, {"automation_id": admins.id}, {"automation_id": 0}
    )
    assert _entries(theirs) == [(ada, f"resumed #{mine.id}"), (max_, f"paused #{mine.id}")]
    assert _entries(none) == []
    assert refused[0].is_error and "\n" not in refused[0].content[0].text
