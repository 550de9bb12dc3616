"""The Slack surface with real parts: signed HTTP requests (slash command form body,
event_callback, block_actions) to the app served by uvicorn on 127.0.0.1, its Web API calls
landing on a local server that speaks the Web API; bad signatures and stale timestamps get 401."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from assistant.slack.notices import post_failure_notice
from bench.kit.factories import make_automation, make_org
from models.store.audit import list_entries
from models.store.automations import get_automation, list_automations
from models.store.conversations import get_draft
from models.store.orgs import get_user
from tests.assistant.slack.harness import NOW, click, command, event, post, slack_app


def test_slash_command_drafts_and_activate_creates_in_the_users_time_zone(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        api.hold_users_info.clear()  # the slow part waits; the acknowledgement must not
        started = time.monotonic()
        response = command(base, api, "Every Monday at 9am, send me a summary of my pipeline")
        assert response.status_code == 200 and time.monotonic() - started < 3
        api.hold_users_info.set()
        # the preview goes back through response_url, ephemeral: never posted in the channel
        posted = api.wait_for("response_url")[0]
        assert posted["response_type"] == "ephemeral"
        buttons = [e["action_id"] for e in posted["blocks"][1]["elements"]]
        assert buttons == ["draft_activate", "draft_edit", "draft_cancel"]
        draft_id = posted["blocks"][1]["elements"][0]["value"]
        draft = get_draft(sqlite_engine, org.org_id, int(draft_id))
        assert draft.draft["schedule"]["tz"] == "America/Los_Angeles"  # from users.info
        clicked = click(base, "draft_activate", draft_id, response_url=f"{api.url}response_url")
        assert clicked.status_code == 200
        updated = api.wait_for("response_url", 2)[1]
        assert "Activated" in updated["text"] and updated["replace_original"] is True
        assert not [m for m, _ in api.calls if m == "chat.postMessage"]
    (auto,) = list_automations(sqlite_engine, org.org_id)
    assert (auto.owner_id, auto.timezone) == (org.member_id, "America/Los_Angeles")
    # its reports and notices reach the requester by direct message
    assert auto.origin["channel"] == "slack" and auto.origin["slack_channel"] == "U1"
    assert get_user(sqlite_engine, org.member_id).slack_user_id == "U1"


def test_a_direct_message_gets_a_confirmation_in_the_dm_not_a_thread(sqlite_engine: Engine) -> None:
    make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        reply = event(
            base,
            {
                "type": "message",
                "channel_type": "im",
                "user": "U1",
                "channel": "D1",
                "ts": "1700000001.000200",
                "text": "When an offer is accepted, tell me",
            },
        )
        assert reply.status_code == 200
        posted = api.wait_for("chat.postMessage")[0]
        # a DM is a chat: the answer follows the message instead of opening a thread under it
        assert posted["channel"] == "D1" and posted.get("thread_ts") is None
        assert "offer is accepted" in posted["text"]


def test_an_unclear_mention_gets_one_question_and_no_buttons(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        event(
            base,
            {
                "type": "app_mention",
                "user": "U1",
                "channel": "C9",
                "ts": "1700000002.000300",
                "text": "<@UBOT> every day at 5pm and 10 send me my pipeline",
            },
        )
        posted = api.wait_for("chat.postMessage")[0]
        assert "10am or 10pm" in posted["text"] and "blocks" not in posted
    assert list_automations(sqlite_engine, org.org_id) == []


def test_app_home_lists_automations_and_pauses_one(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, name="Monday pipeline")
    with slack_app(sqlite_engine) as (base, api):
        event(base, {"type": "app_home_opened", "user": "U1", "tab": "home"})
        view = api.wait_for("views.publish")[0]["view"]
        assert any("Monday pipeline" in json.dumps(b) for b in view["blocks"])
        assert click(base, "home_pause", str(auto.id)).status_code == 200
        again = api.wait_for("views.publish", 2)[1]["view"]
        assert "Resume" in json.dumps(again)
    assert not get_automation(sqlite_engine, org.org_id, auto.id or 0).enabled


@pytest.mark.parametrize("problem", ["bad signature", "stale timestamp"])
def test_unsigned_or_replayed_requests_are_refused(sqlite_engine: Engine, problem: str) -> None:
    org = make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        body = urlencode(
            {
                "command": "/skilltick",
                "text": "every day at 9am send me my pipeline",
                "user_id": "U1",
                "channel_id": "C1",
                "team_id": "T1",
            }
        )
        if problem == "bad signature":
            response = post(base, body, "application/x-www-form-urlencoded", secret="wrong")
        else:
            response = post(
                base, body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 600
            )
        assert response.status_code == 401
        assert api.calls == []
    assert list_automations(sqlite_engine, org.org_id) == []


def test_a_failure_notice_lands_in_the_setup_thread_and_its_buttons_work(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    origin = {"channel": "slack", "slack_channel": "C7", "thread_ts": "1700000003.000400"}
    auto = make_automation(sqlite_engine, org, NOW, origin=origin)
    with slack_app(sqlite_engine) as (base, api):
        posted = post_failure_notice(
            WebClient(token="xoxb-test", base_url=api.url),
            origin,
            auto.id or 0,
            "It failed: the mail server refused it.",
            paused=False,
            failed_run_id=None,
        )
        notice = api.wait_for("chat.postMessage")[0]
        assert posted and (notice["channel"], notice["thread_ts"]) == ("C7", origin["thread_ts"])
        assert [e["action_id"] for e in notice["blocks"][1]["elements"]] == ["notice_pause"]
        assert click(base, "notice_pause", str(auto.id), ts=origin["thread_ts"]).status_code == 200
        reply = api.wait_for("chat.postMessage", 2)[1]
        assert reply["text"].startswith("Paused") and reply["thread_ts"] == origin["thread_ts"]
        paused = get_automation(sqlite_engine, org.org_id, auto.id or 0)
        audited = len(list_entries(sqlite_engine, org.org_id))
        # the same button again (or on an older notice): told so, its pause left as it was
        assert click(base, "notice_pause", str(auto.id), ts=origin["thread_ts"]).status_code == 200
        again = api.wait_for("chat.postMessage", 3)[2]
        assert again["text"].endswith("is paused already.")
        still = get_automation(sqlite_engine, org.org_id, auto.id or 0)
        assert (still.paused_reason, still.updated_at) == (paused.paused_reason, paused.updated_at)
        assert len(list_entries(sqlite_engine, org.org_id)) == audited
    assert not get_automation(sqlite_engine, org.org_id, auto.id or 0).enabled
    assert not post_failure_notice(
        WebClient(token="x", base_url="http://127.0.0.1:9/"),
        {"channel": "email"},
        1,
        "x",
        paused=True,
        failed_run_id=None,
    )


def test_a_choice_on_the_commands_answer_replaces_the_question(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, name="Doomed")
    with slack_app(sqlite_engine) as (base, api):
        command(base, api, f"delete #{auto.id}")
        asked = api.wait_for("response_url")[0]
        (choices,) = [b for b in asked["blocks"] if b["type"] == "actions"]
        assert choices["elements"][0]["value"] == "yes"
        click(base, "chat_say_0", "yes", response_url=f"{api.url}response_url")
        answered = api.wait_for("response_url", 2)[1]
        # in its place: the question's buttons would otherwise say "yes" to the next one
        assert answered["text"].startswith("Deleted") and answered["replace_original"] is True
    assert list_automations(sqlite_engine, org.org_id) == []
