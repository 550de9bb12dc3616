"""A token an admin made for a colleague is revoked when its maker loses admin or is removed
(the maker may have kept a copy and could act as the colleague): through REST and the command
line, audited, and said in the reply. The colleague's own tokens, and the maker's own, stay."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from assistant.app import build_context
from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import actor_for
from models.store.access import create_token
from models.store.orgs import get_user
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.cli_calls import ok, ok_json
from tests.demo_home import empty_home

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def works(base: str, token: str) -> bool:
    with client(base, token) as api:
        status = api.get("/api/automations").status_code
    assert status in (200, 401)
    return status == 200


def made_for(api: httpx.Client, email: str) -> str:
    issued = api.post("/api/tokens", json={"name": "for a colleague", "user_email": email})
    assert issued.status_code == 201, issued.text
    return str(issued.json()["token"])


def test_an_admins_tokens_for_colleagues_end_with_their_admin_role_through_rest(
    engine: Engine,
) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    ctx = make_context(engine, clock=lambda: NOW)
    with live_server(ctx) as url, client(url, acme.admin_token) as boss:
        added = boss.post(
            "/api/admin/users", json={"email": "dana@acme.test", "name": "Dana", "role": "admin"}
        )
        dana_id = added.json()["id"]
        dana_token = create_token(
            engine, user=get_user(engine, dana_id), name="own", now=NOW, made_by=dana_id
        ).secret
        with client(url, dana_token) as dana:
            for_member = [made_for(dana, "member@acme.test") for _ in range(2)]
            own = made_for(dana, "dana@acme.test")
        assert all(works(url, t) for t in [*for_member, own, acme.member_token])

        demoted = boss.patch(f"/api/admin/users/{dana_id}", json={"role": "member"})
        assert demoted.status_code == 200, demoted.text
        assert demoted.json()["role"] == "member" and demoted.json()["tokens_revoked"] == 2
        assert not any(works(url, t) for t in for_member)
        # what Dana made for herself, and what the member holds of their own, still work
        assert all(works(url, t) for t in [own, dana_token, acme.member_token])
        entries = [
            e for e in boss.get("/api/audit").json()["items"] if e["action"] == "token_revoke"
        ]
        assert len(entries) == 2 and all(e["changes"]["made_by"] == dana_id for e in entries)
        assert all(e["actor_user_id"] == acme.fixture.admin_id for e in entries)
        assert "made by" in entries[0]["summary"] and "no longer an admin" in entries[0]["summary"]
        # promoting her again revokes nothing, and restores nothing
        again = boss.patch(f"/api/admin/users/{dana_id}", json={"role": "admin"})
        assert again.json()["tokens_revoked"] == 0 and not works(url, for_member[0])

        with client(url, dana_token) as dana:
            later = made_for(dana, "member@acme.test")
        removed = boss.delete(f"/api/admin/users/{dana_id}")
        assert removed.status_code == 200, removed.text
        assert removed.json()["tokens_revoked"] == 1
        assert not works(url, later) and works(url, acme.member_token)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return empty_home(tmp_path, monkeypatch)


def test_the_command_line_and_chat_say_which_tokens_went_with_the_makers_role(
    home: Path,
) -> None:
    ok("orgs", "create", "acme", "--admin", "boss@acme.test")
    ok("users", "add", "dana@acme.test", "--org", "acme", "--name", "Dana", "--role", "admin")
    ok("users", "add", "max@acme.test", "--org", "acme")
    ctx = build_context()
    try:
        dana = actor_for(ctx.engine, "acme", "dana@acme.test")
        for _ in range(2):
            ctx.tools.create_api_token(dana, user_email="max@acme.test")
        said = ok("users", "role", "dana@acme.test", "member", "--org", "acme")
        assert " ".join(said.split()) == (
            "dana@acme.test is now member; 2 tokens Dana made for colleagues are revoked."
        )
        assert ok_json("tokens", "list", "--org", "acme") == []
        # the chat says it too
        ok("users", "role", "dana@acme.test", "admin", "--org", "acme")
        ctx.tools.create_api_token(dana, user_email="max@acme.test")
        boss = actor_for(ctx.engine, "acme", "boss@acme.test")
        reply = ConversationEngine(ctx.tools).handle(Turn(boss, "k1"), "make Dana a member")
        assert reply.text == (
            "dana@acme.test is a member now; 1 token Dana made for a colleague is revoked."
        )
        ok("users", "role", "dana@acme.test", "admin", "--org", "acme")
        ctx.tools.create_api_token(dana, user_email="max@acme.test")
        said = ok("users", "remove", "dana@acme.test", "--org", "acme", "--yes")
        assert " ".join(said.split()) == (
            "Removed dana@acme.test; 1 token dana@acme.test made for a colleague is revoked."
        )
        assert ok_json("tokens", "list", "--org", "acme") == []
    finally:
        ctx.engine.dispose()
