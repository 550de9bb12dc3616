"""How the bot behaves in a workspace, through signed requests to the served app: a retried
event is processed once; only DMs, mentions and threads the bot started are answered; a
bystander's click is refused to them alone; an admin's Home has everyone's automations; a slow
answer shows "Working on it…" first and then replaces it."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.sdk_loader import ANTHROPIC_SDK
from bench.kit.factories import make_automation, make_org
from bench.kit.peers.anthropic import HANG, fake_anthropic
from bench.kit.peers.slack_signed import WebApi
from models.store.automations import get_automation, list_automations
from models.store.conversations import prune_slack_events
from models.store.orgs import create_user
from tests.assistant.slack.harness import BOT, NOW, click, event, slack_app

REQUEST = "Every Monday at 9am, send me a summary of my pipeline"


def dm(text: str, ts: str = "1700000001.000200") -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": "U1",
        "channel": "D1",
        "ts": ts,
        "text": text,
    }


def made(api: WebApi, method: str) -> list[dict[str, Any]]:
    return [a for m, a in api.calls if m == method]


def test_a_retried_event_is_acknowledged_and_processed_once(sqlite_engine: Engine) -> None:
    make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        first = event(base, dm(REQUEST), event_id="Ev0001")
        retries = [event(base, dm(REQUEST), event_id="Ev0001", retry=n) for n in (1, 2)]
        assert [r.status_code for r in (first, *retries)] == [200, 200, 200]
        api.wait_for("chat.postMessage")
        # a different event is still answered: the lazy work of the first one has finished
        event(base, dm("When an offer is accepted, tell me", ts="1700000009.1"), event_id="Ev2")
        posts = api.wait_for("chat.postMessage", 2)
    assert len(posts) == 2 and "offer is accepted" in posts[1]["text"]
    assert prune_slack_events(sqlite_engine, before=NOW) == 0  # kept a day
    assert prune_slack_events(sqlite_engine, before=NOW.replace(day=3)) == 2


def test_channel_talk_is_ignored_but_replies_in_the_bots_thread_are_answered(
    sqlite_engine: Engine,
) -> None:
    make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        chatter = {"type": "message", "channel_type": "channel", "user": "U1", "channel": "C5"}
        event(base, {**chatter, "ts": "1700000005.000001", "text": REQUEST})
        event(
            base,
            {**chatter, "ts": "1700000005.000002", "thread_ts": "1700000004.9", "text": REQUEST},
        )
        # a mention starts a conversation: the bot asks in that thread
        event(
            base,
            {
                "type": "app_mention",
                "user": "U1",
                "channel": "C5",
                "ts": "1700000006.000001",
                "text": f"<@{BOT}> send me a summary of my pipeline",
            },
        )
        question = api.wait_for("chat.postMessage")[0]
        assert question["thread_ts"] == "1700000006.000001"
        assert "When should it run" in question["text"]
        # the same message's `message` event (it mentions the bot) is not answered twice
        event(
            base,
            {
                **chatter,
                "ts": "1700000006.000001",
                "thread_ts": "1700000006.000001",
                "text": f"<@{BOT}> send me a summary of my pipeline",
            },
        )
        # a reply in the bot's thread is for the bot, and answers its question
        event(
            base,
            {
                **chatter,
                "ts": "1700000007.000001",
                "thread_ts": "1700000006.000001",
                "text": "every weekday at 8am",
            },
        )
        second = api.wait_for("chat.postMessage", 2)[1]
        assert second["thread_ts"] == "1700000006.000001"
        assert "Monday through Friday" in second["text"] and "pipeline" in second["text"]
        # the ignored events got no answer: two answers, for the mention and the bot's thread
    assert len(made(api, "chat.postMessage")) == 2


def test_a_bystanders_click_is_refused_to_them_alone(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    create_user(sqlite_engine, org_id=org.org_id, email="bea@acme.test", now=NOW)
    with slack_app(sqlite_engine) as (base, api):
        api.profiles["U2"] = {"tz": "UTC", "profile": {"email": "bea@acme.test"}}
        event(base, dm(REQUEST))
        proposal = api.wait_for("chat.postMessage")[0]
        draft_id = proposal["blocks"][1]["elements"][0]["value"]
        click(
            base,
            "draft_activate",
            draft_id,
            user="U2",
            ts=proposal["ts"] if "ts" in proposal else "1700000000.000100",
        )
        refusal = api.wait_for("chat.postEphemeral")[0]
        assert refusal["user"] == "U2" and "Only the person who asked" in refusal["text"]
        assert made(api, "chat.update") == []  # the owner's confirmation stays as it was
        click(base, "draft_activate", draft_id, user="U1")
        activated = api.wait_for("chat.update")[0]
        assert activated["text"].startswith("Activated")
    assert len(list_automations(sqlite_engine, org.org_id)) == 1


def test_an_admins_home_shows_everyones_automations_with_pause(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    theirs = make_automation(sqlite_engine, org, NOW, name="Max's pipeline")
    mine = make_automation(sqlite_engine, org, NOW, name="Ada's digest", owner_id=org.admin_id)
    with slack_app(sqlite_engine) as (base, api):
        api.profiles["UADMIN"] = {"tz": "UTC", "profile": {"email": org.admin_email}}
        event(base, {"type": "app_home_opened", "user": "UADMIN", "tab": "home"})
        view = api.wait_for("views.publish")[0]["view"]
        headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
        assert headers == ["Your automations", "Everyone's automations"]
        everyone = view["blocks"][
            headers and [b["type"] for b in view["blocks"]].index("divider") :
        ]
        assert f"#{theirs.id} Max's pipeline" in json.dumps(everyone)
        assert org.member_email in json.dumps(everyone) and "Ada's digest" in json.dumps(everyone)
        click(base, "home_pause", str(theirs.id), user="UADMIN")
        api.wait_for("views.publish", 2)
        # a member's Home has their own part only
        event(base, {"type": "app_home_opened", "user": "U1", "tab": "home"})
        member_view = api.wait_for("views.publish", 3)[2]["view"]
        assert "Everyone's" not in json.dumps(member_view)
        assert "Ada's digest" not in json.dumps(member_view)
    assert not get_automation(sqlite_engine, org.org_id, theirs.id or 0).enabled
    assert get_automation(sqlite_engine, org.org_id, mine.id or 0).enabled


def test_while_claude_thinks_the_user_sees_working_on_it_then_the_answer_in_place(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_org(sqlite_engine, NOW)
    with fake_anthropic(HANG) as claude:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.base_url)
        ANTHROPIC_SDK.get(300)  # loaded, as in a service that has finished starting
        with slack_app(sqlite_engine, interim_after=0.05) as (base, api):
            event(base, dm(REQUEST))
            interim = api.wait_for("chat.postMessage")[0]
            assert interim["text"] == "Working on it…"
            assert interim["channel"] == "D1" and interim.get("thread_ts") is None
            deadline = time.monotonic() + 60
            while not claude.requests and time.monotonic() < deadline:
                time.sleep(0.05)  # another thread sends it: poll with a deadline
            claude.release.set()  # the API gives up (500): the parser answers
            final = api.wait_for("chat.update", timeout=60)[0]
    assert len(claude.requests) == 1 and "came from Slack" in json.dumps(claude.requests[0])
    assert final["ts"] == "1700000000.000100" and final["channel"] == "D1"
    assert final["text"].startswith("Here's what I understood") and "Slack message" in final["text"]
    assert final["blocks"][1]["elements"][0]["action_id"] == "draft_activate"
    assert len(made(api, "chat.postMessage")) == 1
