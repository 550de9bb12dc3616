"""The REST API in plain words, over a real socket, on SQLite and PostgreSQL: a conversation of
three messages ends in an active automation; understand, draft, confirm and cancel by id;
changes, bulk and why in words; another member's draft or automation is refused as the tool
set refuses it; bad input is a one-line 4xx that creates nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor
from models.errors import SkilltickError
from models.store.access import create_token
from models.store.automations import get_automation, list_automations
from models.store.orgs import create_user
from tests.assistant.http.service_harness import (
    Org,
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday
ASKED = "every weekday at 8:30 send me my pipeline"
SAID_AGAIN = "every weekday at 9 send me my pipeline"


@pytest.fixture
def served(engine: Engine) -> Iterator[tuple[str, Engine, Org, Any]]:
    org = make_org_with_tokens(engine, NOW, slug="acme")
    ctx = make_context(engine, clock=lambda: NOW)
    with live_server(ctx) as url:
        yield url, engine, org, ctx.tools


def _instants(values: list[str]) -> list[datetime]:
    return [datetime.fromisoformat(v).astimezone(UTC) for v in values]


def _one_line_error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    message = str(response.json()["error"]["message"])
    assert message and "\n" not in message
    return message


def test_a_conversation_over_http_ends_in_the_automation_understand_describes(
    served: tuple[str, Engine, Org, Any],
) -> None:
    url, engine, org, _tools = served
    with client(url, org.member_token) as c:
        talk = {"conversation": "pipeline", "tz": "Europe/London"}
        first = c.post("/api/conversation", json={"message": ASKED, **talk})
        assert first.status_code == 200, first.text
        assert first.json()["conversation"] == "pipeline"
        drafted = first.json()["reply"]
        assert drafted["kind"] == "draft" and drafted["draft_id"]
        assert "8:30" in drafted["text"]
        assert {ch["say"] for ch in drafted["choices"]} == {"yes", "cancel"}
        assert list_automations(engine, org.fixture.org_id) == [], "a draft creates nothing"

        changed = c.post("/api/conversation", json={"message": "make it 9", **talk}).json()
        assert changed["reply"]["kind"] == "draft", changed
        assert "9:00" in changed["reply"]["text"]
        # a program reads the changed draft from the data, as it read the first one
        assert changed["reply"]["data"]["schedule"] == {
            **drafted["data"]["schedule"],
            "cron": drafted["data"]["schedule"]["cron"].replace("30 8", "0 9"),
        }

        done = c.post("/api/conversation", json={"message": "yes", **talk}).json()["reply"]
        assert done["kind"] == "done" and done["automation_id"], done
        made = c.get(f"/api/automations/{done['automation_id']}").json()
        assert made["enabled"] is True and made["owner_email"] == org.fixture.member_email

        understood = c.post(
            "/api/understand", json={"request": SAID_AGAIN, "tz": "Europe/London"}
        ).json()
    assert understood["status"] == "ok"
    assert _instants(made["next_runs"]) == _instants(understood["next_runs"])[:3]
    assert (made["cron"], made["timezone"]) == (understood["schedule"]["cron"], "Europe/London")
    assert len(list_automations(engine, org.fixture.org_id)) == 1


def test_conversations_are_kept_apart_per_name_and_per_person(
    served: tuple[str, Engine, Org, Any],
) -> None:
    url, _engine, org, _tools = served
    with client(url, org.member_token) as member, client(url, org.admin_token) as admin:
        asked = member.post("/api/conversation", json={"message": ASKED, "conversation": "a"})
        assert asked.json()["reply"]["kind"] == "draft"
        elsewhere = member.post("/api/conversation", json={"message": "yes", "conversation": "b"})
        assert elsewhere.json()["reply"]["automation_id"] is None
        someone_else = admin.post("/api/conversation", json={"message": "yes", "conversation": "a"})
        assert someone_else.json()["reply"]["automation_id"] is None
        confirmed = member.post("/api/conversation", json={"message": "yes", "conversation": "a"})
        assert confirmed.json()["reply"]["kind"] == "done"


def test_understand_then_draft_confirm_and_cancel_by_id(
    served: tuple[str, Engine, Org, Any],
) -> None:
    url, engine, org, tools = served
    me = org.actor(engine)
    with client(url, org.member_token) as c:
        understood = c.post("/api/understand", json={"request": ASKED})
        assert understood.status_code == 200
        assert understood.json() == tools.understand(me, ASKED).as_json()

        question = c.post("/api/drafts", json={"request": "send me my pipeline"})
        assert question.status_code == 200, "a clarifying question is an answer, not an error"
        assert question.json()["id"] is None and question.json()["question"]

        saved = c.post("/api/drafts", json={"request": ASKED})
        assert saved.status_code == 201, saved.text
        draft = saved.json()
        assert draft["can_activate"] is True and draft["draft"]["skill"] == "pipeline-report"
        assert list_automations(engine, org.fixture.org_id) == []

        confirmed = c.post(f"/api/drafts/{draft['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text
        view = confirmed.json()
        assert view == c.get(f"/api/automations/{view['id']}").json()
        again = c.post(f"/api/drafts/{draft['id']}/confirm").json()
        assert again["id"] == view["id"], "confirming twice creates one automation"
        assert "confirmed already" in _one_line_error(c.delete(f"/api/drafts/{draft['id']}"), 422)

        dropped = c.post("/api/drafts", json={"request": ASKED}).json()
        assert c.delete(f"/api/drafts/{dropped['id']}").status_code == 204
        refused = c.post(f"/api/drafts/{dropped['id']}/confirm")
        assert "cancelled" in _one_line_error(refused, 422)
    assert [a.id for a in list_automations(engine, org.fixture.org_id)] == [view["id"]]


def test_change_bulk_and_why_in_words(served: tuple[str, Engine, Org, Any]) -> None:
    url, engine, org, _tools = served
    with client(url, org.member_token) as c:
        draft = c.post("/api/drafts", json={"request": ASKED}).json()
        auto = c.post(f"/api/drafts/{draft['id']}/confirm").json()

        moved = c.post(f"/api/automations/{auto['id']}/change", json={"request": "move it to 10am"})
        assert moved.status_code == 200, moved.text
        assert moved.json()["cron"] != auto["cron"] and "10:00" in moved.json()["trigger"]

        held = c.post(f"/api/automations/{auto['id']}/pause-until", json={"until": "Thursday"})
        assert held.status_code == 200, held.text
        assert held.json()["enabled"] is False
        assert datetime.fromisoformat(held.json()["paused_until"]) == datetime(
            2026, 3, 5, tzinfo=UTC
        ), "Thursday begins at midnight where its owner is (UTC here)"
        span = c.post(f"/api/automations/{auto['id']}/pause-until", json={"until": "for 3 hours"})
        assert datetime.fromisoformat(span.json()["paused_until"]) == NOW + timedelta(hours=3)
        assert c.post(
            "/api/bulk", json={"request": "resume all my automations", "confirm": True}
        ).json()["done"]

        preview = c.post("/api/bulk", json={"request": "pause all my automations"}).json()
        assert (preview["done"], preview["automation_ids"]) == (False, [auto["id"]])
        assert c.get(f"/api/automations/{auto['id']}").json()["enabled"] is True
        paused = c.post("/api/bulk", json={"request": "pause all my automations", "confirm": True})
        assert paused.json()["done"] is True
        assert c.get(f"/api/automations/{auto['id']}").json()["enabled"] is False
        # a pause with an end says when they resume by themselves, before and after
        assert c.post("/api/bulk", json={"request": "resume all", "confirm": True}).json()["done"]
        held_words = {"request": "pause all my automations until Thursday"}
        preview = c.post("/api/bulk", json=held_words).json()
        assert "would pause 1 automation until Thu 05 Mar 2026 00:00 UTC:" in preview["message"]
        paused = c.post("/api/bulk", json={**held_words, "confirm": True}).json()
        assert paused["message"].startswith("Paused 1 automation until Thu 05 Mar 2026 00:00 UTC:")
        held_view = c.get(f"/api/automations/{auto['id']}").json()
        assert datetime.fromisoformat(held_view["paused_until"]) == datetime(2026, 3, 5, tzinfo=UTC)

        why = c.get(f"/api/automations/{auto['id']}/why", params={"question": "why no run?"})
        assert why.status_code == 200 and why.json()["answer"]
    assert get_automation(engine, org.fixture.org_id, auto["id"]).enabled is False


def _tool_refusal(call: Any) -> SkilltickError:
    with pytest.raises(SkilltickError) as refused:
        call()
    return refused.value


def test_a_member_cannot_confirm_anothers_draft_or_change_anothers_automation(
    served: tuple[str, Engine, Org, Any],
) -> None:
    url, engine, org, tools = served
    other = create_user(engine, org_id=org.fixture.org_id, email="other@acme.test", now=NOW)
    other_token = create_token(engine, user=other, name="t", now=NOW).secret
    stranger = Actor.of(other)
    with client(url, org.member_token) as owner, client(url, other_token) as c:
        draft = owner.post("/api/drafts", json={"request": ASKED}).json()
        expected = _tool_refusal(lambda: tools.confirm_draft(stranger, draft["id"]))
        refused = c.post(f"/api/drafts/{draft['id']}/confirm")
        assert _one_line_error(refused, 403) == expected.message
        assert _one_line_error(c.delete(f"/api/drafts/{draft['id']}"), 403)
        assert list_automations(engine, org.fixture.org_id) == []

        auto = owner.post(f"/api/drafts/{draft['id']}/confirm").json()
        expected = _tool_refusal(lambda: tools.update_in_words(stranger, auto["id"], "at 10am"))
        changed = c.post(f"/api/automations/{auto['id']}/change", json={"request": "at 10am"})
        assert _one_line_error(changed, 403) == expected.message
        assert _one_line_error(c.get(f"/api/automations/{auto['id']}/why"), 403)
        held = c.post(f"/api/automations/{auto['id']}/pause-until", json={"until": "Monday"})
        assert _one_line_error(held, 403)
        nothing = c.post("/api/bulk", json={"request": "pause all my automations", "confirm": True})
        assert nothing.json()["automation_ids"] == []
    after = get_automation(engine, org.fixture.org_id, auto["id"])
    assert (after.cron_expression, after.enabled) == (auto["cron"], True)


BAD = [
    ("POST", "/api/understand", {"request": ""}, 422, "request"),
    ("POST", "/api/understand", {"request": "   "}, 422, "empty"),
    ("POST", "/api/understand", {"request": ASKED, "tz": "Mars/Base"}, 422, "Mars/Base"),
    ("POST", "/api/drafts", {"request": " \n "}, 422, "empty"),
    ("POST", "/api/drafts", {"text": ASKED}, 422, "request"),
    ("POST", "/api/drafts/999999/confirm", None, 404, "#999999"),
    ("DELETE", "/api/drafts/999999", None, 404, "#999999"),
    ("POST", "/api/automations/999999/change", {"request": "at 9"}, 404, "999999"),
    ("POST", "/api/automations/999999/pause-until", {"until": "Monday"}, 404, "999999"),
    ("POST", "/api/bulk", {"request": ""}, 422, "request"),
    ("POST", "/api/conversation", {"message": "  "}, 422, "empty"),
    ("POST", "/api/conversation", {"message": "hi", "conversation": "a b"}, 422, "conversation"),
    ("POST", "/api/conversation", {"message": ASKED, "tz": "Nowhere/Town"}, 422, "Nowhere"),
    ("POST", "/api/automations", {"request": ASKED}, 422, "/api/drafts"),
]


def test_bad_input_is_a_one_line_4xx_and_creates_nothing(
    served: tuple[str, Engine, Org, Any],
) -> None:
    url, engine, org, _tools = served
    with client(url, org.member_token) as c:
        for method, path, body, status, words in BAD:
            message = _one_line_error(c.request(method, path, json=body), status)
            assert words in message, (path, body, message)
        auto = c.post(
            f"/api/drafts/{c.post('/api/drafts', json={'request': ASKED}).json()['id']}/confirm"
        ).json()
        unclear = c.post(f"/api/automations/{auto['id']}/change", json={"request": "hmm"})
        _one_line_error(unclear, 422)
        no_day = c.post(f"/api/automations/{auto['id']}/pause-until", json={"until": "later"})
        assert "Until when?" in _one_line_error(no_day, 422)
    assert [a.id for a in list_automations(engine, org.fixture.org_id)] == [auto["id"]]
    assert get_automation(engine, org.fixture.org_id, auto["id"]).cron_expression == auto["cron"]


def test_the_openapi_document_describes_the_plain_words_endpoints(
    served: tuple[str, Engine, Org, Any],
) -> None:
    url, _engine, _org, _tools = served
    with client(url) as c:
        document = c.get("/openapi.json").json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    for path, method in [
        ("/api/understand", "post"),
        ("/api/drafts", "post"),
        ("/api/drafts/{draft_id}/confirm", "post"),
        ("/api/drafts/{draft_id}", "delete"),
        ("/api/automations/{automation_id}/change", "post"),
        ("/api/automations/{automation_id}/pause-until", "post"),
        ("/api/bulk", "post"),
        ("/api/automations/{automation_id}/why", "get"),
        ("/api/conversation", "post"),
    ]:
        operation = paths[path][method]
        assert operation["description"] and "422" in operation["responses"], path
        answer = next(iter(operation["responses"].values()))
        shown = answer.get("content", {}).get("application/json", {})
        named = shown.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
        assert method == "delete" or "example" in shown or schemas[named].get("examples"), path
        asked = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if asked:
            assert schemas[asked["schema"]["$ref"].rsplit("/", 1)[-1]].get("examples"), path


def test_a_workflow_of_typed_steps(served: tuple[str, Engine, Org, Any]) -> None:
    """POST /api/workflows: typed steps on one event make one draft, read back a line per
    step, confirmed as any draft into one workflow; a trigger that is no event is one line."""
    url, engine, org, _tools = served
    steps = [{"type": "create_task", "title": "Prepare the contract", "due_in_days": 2},
             {"type": "update_field", "field": "priority", "value": "high"}]  # fmt: skip
    with client(url, org.member_token) as c:
        saved = c.post("/api/workflows", json={"when": "when a candidate reaches Offer",
                                               "steps": steps})  # fmt: skip
        assert saved.status_code == 201, saved.text
        summary = saved.json()["summary"]
        assert "- Step 1: A task for you “Prepare the contract” due in 2 days" in summary
        assert "- Step 2: Set the application's priority to high" in summary
        view = c.post(f"/api/drafts/{saved.json()['id']}/confirm").json()
        refused = c.post("/api/workflows", json={"when": "every monday", "steps": steps})
        assert "not an event" in _one_line_error(refused, 422)
    auto = get_automation(engine, org.fixture.org_id, view["id"])
    assert (auto.skill, auto.event_filter) == ("workflow", {"to_stage": "Offer"})
    assert [a["type"] for a in auto.params["actions"]] == ["create_task", "update_field"]
