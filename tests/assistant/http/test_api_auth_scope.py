"""REST API authentication and scope, over a real socket, on SQLite and PostgreSQL: no token
401, another organisation's records 404, another member's automation 403; bad input 422 with a
clear message and nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.store.access import create_token
from models.store.automations import get_automation, list_automations
from models.store.orgs import create_user
from models.store.run_history import list_runs
from tests.assistant.http.service_harness import (
    Org,
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# (method, path template, json body) of every endpoint that acts on one automation
ON_AUTOMATION = [
    ("GET", "/api/automations/{id}", None),
    ("PATCH", "/api/automations/{id}", {"name": "renamed"}),
    ("POST", "/api/automations/{id}/toggle", None),
    ("POST", "/api/automations/{id}/rerun", None),
    ("POST", "/api/automations/{id}/test", None),
    ("GET", "/api/automations/{id}/runs", None),
    ("DELETE", "/api/automations/{id}/runs", None),
    ("POST", "/api/automations/{id}/change", {"request": "move it to 10am"}),
    ("GET", "/api/automations/{id}/why", None),
    ("POST", "/api/automations/{id}/pause-until", {"until": "Monday"}),
    ("DELETE", "/api/automations/{id}", None),
]
EVERY_ENDPOINT = [
    *ON_AUTOMATION,
    ("GET", "/api/me", None),
    ("GET", "/api/automations", None),
    ("POST", "/api/automations", {"name": "x", "skill": "noop", "cron": "0 9 * * *"}),
    ("GET", "/api/runs/{run}", None),
    ("GET", "/api/skills", None),
    ("GET", "/api/events", None),
    ("PUT", "/api/org/plan", {"plan": "pro"}),
    ("GET", "/api/tokens", None),
    ("POST", "/api/tokens", {"name": "x"}),
    ("DELETE", "/api/tokens/1", None),
    ("POST", "/api/understand", {"request": "every Monday at 9 send me my pipeline"}),
    ("POST", "/api/drafts", {"request": "every Monday at 9 send me my pipeline"}),
    ("POST", "/api/drafts/1/confirm", None),
    ("DELETE", "/api/drafts/1", None),
    ("POST", "/api/bulk", {"request": "pause all my automations"}),
    ("POST", "/api/conversation", {"message": "list my automations"}),
]


World = tuple[str, Engine, Org, Org, int, int]


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    """Organisations A and B; A's member owns an automation with one finished run."""
    a = make_org_with_tokens(engine, NOW, slug="acme")
    b = make_org_with_tokens(engine, NOW, slug="bravo")
    auto = make_automation(engine, a.fixture, NOW, name="A's report")
    ctx = make_context(engine)
    run = ctx.tools.test(a.actor(engine), auto.id or 0)
    with live_server(ctx) as url:
        yield url, engine, a, b, auto.id or 0, run.id


def _call(c: httpx.Client, method: str, path: str, body: object) -> tuple[int, Any]:
    response = c.request(method, path, json=body)
    return response.status_code, (response.json() if response.content else {})


def test_every_endpoint_answers_401_without_a_token_or_with_a_wrong_one(world: World) -> None:
    url, _engine, _a, _b, auto_id, run_id = world
    for token in (None, "stk_not-a-real-token"):
        with client(url, token) as c:
            for method, template, body in EVERY_ENDPOINT:
                path = template.format(id=auto_id, run=run_id)
                response = c.request(method, path, json=body)
                assert response.status_code == 401, (method, path)
                assert response.headers["www-authenticate"] == "Bearer"
                assert response.json()["error"]["code"] == "unauthenticated"


def test_another_organisations_token_gets_404_and_changes_nothing(world: World) -> None:
    url, engine, a, b, auto_id, run_id = world
    before = get_automation(engine, a.fixture.org_id, auto_id)
    with client(url, b.admin_token) as c:
        for method, template, body in [*ON_AUTOMATION, ("GET", "/api/runs/{run}", None)]:
            status, answer = _call(c, method, template.format(id=auto_id, run=run_id), body)
            assert status == 404, (method, template)
            assert answer["error"]["code"] == "not_found"
        listed = c.get("/api/automations").json()
        assert listed["items"] == []
    after = get_automation(engine, a.fixture.org_id, auto_id)
    assert after.model_dump() == before.model_dump()
    assert len(list_runs(engine, a.fixture.org_id, automation_id=auto_id)) == 1


def test_a_member_cannot_act_on_another_members_automation(world: World) -> None:
    url, engine, a, _b, auto_id, run_id = world
    other = create_user(engine, org_id=a.fixture.org_id, email="other@acme.test", now=NOW)
    token = create_token(engine, user=other, name="t", now=NOW).secret
    with client(url, token) as c:
        for method, template, body in [*ON_AUTOMATION, ("GET", "/api/runs/{run}", None)]:
            status, answer = _call(c, method, template.format(id=auto_id, run=run_id), body)
            assert status == 403, (method, template)
            assert "belongs to someone else" in answer["error"]["message"]
        assert c.get("/api/automations").json()["items"] == []
        assert c.get("/api/automations", params={"scope": "all"}).status_code == 403
        assert c.put("/api/org/plan", json={"plan": "free"}).status_code == 403
    assert get_automation(engine, a.fixture.org_id, auto_id).name == "A's report"


def test_an_admin_manages_every_automation_of_the_organisation(world: World) -> None:
    url, _engine, a, _b, auto_id, _run_id = world
    with client(url, a.admin_token) as c:
        listed = c.get("/api/automations").json()["items"]
        assert [item["id"] for item in listed] == [auto_id]
        paused = c.post(f"/api/automations/{auto_id}/toggle").json()
        assert (paused["enabled"], paused["status"]) == (False, "paused")
        assert paused["paused_reason"] == "paused by admin@acme.test"
        resumed = c.post(f"/api/automations/{auto_id}/toggle", json={"enabled": True}).json()
        assert resumed["enabled"] is True
        assert c.get("/api/automations", params={"scope": "mine"}).json()["items"] == []


BAD_BODIES = [
    ({"name": "x", "skill": "noop", "cron": "0 25 * * *"}, "hour must be 0-23"),
    ({"name": "x", "skill": "no-such-skill", "cron": "0 9 * * *"}, "no-such-skill"),
    ({"name": "x", "skill": "noop", "cron": "0 9 * * *", "timezone": "Mars/Base"}, "Mars/Base"),
    ({"name": "", "skill": "noop", "cron": "0 9 * * *"}, "name"),
    ({"name": "x" * 201, "skill": "noop", "cron": "0 9 * * *"}, "name"),
    ({"name": "x", "skill": "noop", "cron": "0 9 * * *", "colour": "red"}, "colour"),
    ({"name": "nul\u0000", "skill": "noop", "cron": "0 9 * * *"}, "NUL"),
    ({"name": "x", "skill": "noop", "trigger_type": "poll"}, "interval"),
    (
        {"name": "x", "skill": "noop", "cron": "0 9 * * *", "owner_email": "nobody@x.test"},
        "nobody@x.test",
    ),
]


def test_bad_input_gets_422_with_a_clear_message_and_creates_nothing(world: World) -> None:
    url, engine, a, _b, _auto_id, _run_id = world
    with client(url, a.admin_token) as c:
        for body, words in BAD_BODIES:
            response = c.post("/api/automations", json=body)
            assert response.status_code == 422, body
            assert words in response.json()["error"]["message"], body
    assert len(list_automations(engine, a.fixture.org_id)) == 1


def test_a_bad_change_gets_422_and_leaves_the_automation_as_it_was(world: World) -> None:
    url, engine, a, _b, auto_id, _run_id = world
    before = get_automation(engine, a.fixture.org_id, auto_id)
    with client(url, a.member_token) as c:
        for change in (
            {"cron": "every day"},
            {"name": None},
            {"owner_id": 1},
            {"timezone": "Nowhere/Town"},
        ):
            response = c.patch(f"/api/automations/{auto_id}", json=change)
            assert response.status_code == 422, change
            assert response.json()["error"]["message"]
        assert (
            c.post(
                f"/api/automations/{auto_id}/toggle",
                json={"enabled": False, "until": "2000-01-01T00:00:00Z"},
            ).status_code
            == 422
        )
    assert get_automation(engine, a.fixture.org_id, auto_id).model_dump() == before.model_dump()


def test_a_plan_limit_is_a_409_that_explains_itself(engine: Engine) -> None:
    org = make_org_with_tokens(engine, NOW, slug="small", plan="free")
    with live_server(make_context(engine)) as url, client(url, org.member_token) as c:
        hourly = c.post(
            "/api/automations", json={"name": "often", "skill": "noop", "cron": "0 * * * *"}
        )
        assert hourly.status_code == 409
        assert hourly.json()["error"]["code"] == "plan_limit"
        assert "free" in hourly.json()["error"]["message"].lower()
    assert list_automations(engine, org.fixture.org_id) == []
