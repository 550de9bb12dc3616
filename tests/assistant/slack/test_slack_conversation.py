"""A recruiter's DM conversation with the bot as it goes all day, through signed requests to the
served slack-bolt app: request, question, answer, read-back, Activate, then follow-ups. Every
answer lands in the DM itself (a reply written in a thread stays in that thread); a read-back
the conversation has replaced says so when clicked and loses its buttons; clicking Activate
twice, or Slack retrying the "yes", makes one automation."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from bench.kit.peers.slack_signed import WebApi
from models.store.automations import list_automations
from tests.assistant.slack.harness import NOW, click, event, slack_app


class Dm:
    """Messages from U1 in the DM D1, each with its own ts; `say` waits for the answer."""

    def __init__(self, base: str, api: WebApi) -> None:
        self.base, self.api, self.sent = base, api, 0

    def say(self, text: str, *, thread: str | None = None, retry: int | None = None) -> str:
        self.sent += 1
        inner: dict[str, Any] = {
            "type": "message",
            "channel_type": "im",
            "user": "U1",
            "channel": "D1",
            "ts": f"1700001{self.sent:03d}.000100",
            "text": text,
        }
        if thread:
            inner["thread_ts"] = thread
        before = len(self.api.wait_for("chat.postMessage", 0))
        response = event(self.base, inner, event_id=f"Ev{inner['ts']}", retry=retry)
        assert response.status_code == 200
        return str(self.api.wait_for("chat.postMessage", before + 1)[before]["text"])

    def posts(self) -> list[dict[str, Any]]:
        return self.api.wait_for("chat.postMessage", 0)


def buttons(post: dict[str, Any]) -> dict[str, str]:
    return {
        e["action_id"]: e["value"]
        for b in post.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    }


def test_a_day_of_dm_talk_stays_in_the_dm_and_makes_one_automation(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        dm = Dm(base, api)
        assert "When should it run" in dm.say("send me a summary of my pipeline")
        assert "Here's what I understood" in dm.say("every monday at 9am")
        read_back = dm.posts()[-1]
        draft = buttons(read_back)["draft_activate"]
        # a double-click: two clicks on the same message at once
        with ThreadPoolExecutor(2) as pool:
            clicks = list(
                pool.map(
                    lambda _: click(
                        base, "draft_activate", draft, ts=read_back["posted_ts"], channel="D1"
                    ),
                    "ab",
                )
            )
        assert [c.status_code for c in clicks] == [200, 200]
        activated = api.wait_for("chat.update")[0]
        assert activated["ts"] == read_back["posted_ts"] and activated["text"].startswith(
            "Activated"
        )
        assert "Changed" in dm.say("move it to 8am") and "08:00 AM" in dm.posts()[-1]["text"]
        assert "Slack message to you" in dm.say("who gets it?")
        assert dm.say("pause it until Monday").startswith("Paused")
        # a reply written in the thread of an answer is answered in that thread
        dm.say("resume it", thread=read_back["posted_ts"])
        assert dm.posts()[-1]["thread_ts"] == read_back["posted_ts"]
    # every answer went to the DM; only the threaded question was answered in a thread
    assert {p["channel"] for p in dm.posts()} == {"D1"}
    assert [p.get("thread_ts") for p in dm.posts()[:-1]] == [None] * (len(dm.posts()) - 1)
    (auto,) = list_automations(sqlite_engine, org.org_id)
    assert auto.enabled and auto.cron_expression is not None
    assert auto.cron_expression.startswith("0 8 ")


def test_a_replaced_read_back_says_so_and_loses_its_buttons(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        dm = Dm(base, api)
        dm.say("every monday at 9am send me a summary of my pipeline")
        first = dm.posts()[-1]
        dm.say("make it 8am")
        latest = dm.posts()[-1]
        assert buttons(first)["draft_activate"] != buttons(latest)["draft_activate"]
        # the old read-back's Activate: a clear line to the clicker, nothing created
        old_message = {"ts": first["posted_ts"], "text": first["text"], "blocks": first["blocks"]}
        click(
            base,
            "draft_activate",
            buttons(first)["draft_activate"],
            channel="D1",
            message=old_message,
        )
        refusal = api.wait_for("chat.postEphemeral")[0]
        assert "out of date" in refusal["text"] and refusal["user"] == "U1"
        replaced = api.wait_for("chat.update")[0]
        assert replaced["ts"] == first["posted_ts"]
        assert [b["type"] for b in replaced["blocks"]] == ["section", "context"]
        assert "Out of date" in json.dumps(replaced["blocks"])
        assert list_automations(sqlite_engine, org.org_id) == []
        # the latest read-back still works, and makes the 8am one
        click(
            base,
            "draft_activate",
            buttons(latest)["draft_activate"],
            ts=latest["posted_ts"],
            channel="D1",
        )
        assert api.wait_for("chat.update", 2)[1]["text"].startswith("Activated")
    (auto,) = list_automations(sqlite_engine, org.org_id)
    assert auto.cron_expression is not None and auto.cron_expression.startswith("0 8 ")


def test_a_yes_slack_delivers_again_makes_one_automation(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        dm = Dm(base, api)
        dm.say("every monday at 9am send me a summary of my pipeline")
        assert dm.say("yes").startswith("Activated")
        dm.sent -= 1  # the same message, event id and ts, with X-Slack-Retry-Num
        for attempt in (1, 2):
            response = event(
                base,
                {
                    "type": "message",
                    "channel_type": "im",
                    "user": "U1",
                    "channel": "D1",
                    "ts": f"1700001{dm.sent + 1:03d}.000100",
                    "text": "yes",
                },
                event_id=f"Ev1700001{dm.sent + 1:03d}.000100",
                retry=attempt,
            )
            assert response.status_code == 200
        dm.sent += 1
        # a later message is answered, so the retries' work would have been done by now
        assert "1." in dm.say("list")
    assert len(dm.posts()) == 3
    assert len(list_automations(sqlite_engine, org.org_id)) == 1


def test_a_clicked_choice_loses_its_buttons_so_it_cannot_answer_a_later_question(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    kept = make_automation(sqlite_engine, org, NOW, name="Kept")
    doomed = make_automation(sqlite_engine, org, NOW, name="Doomed")
    with slack_app(sqlite_engine) as (base, api):
        dm = Dm(base, api)
        dm.say(f"delete #{doomed.id}")
        asked = dm.posts()[-1]
        assert buttons(asked)["chat_say_0"] == "yes"
        message = {"ts": asked["posted_ts"], "text": asked["text"], "blocks": asked["blocks"]}
        click(base, "chat_say_0", "yes", channel="D1", message=message)
        assert "Deleted" in api.wait_for("chat.postMessage", 2)[1]["text"]
        # the question stays as it was asked, with the choice said instead of its buttons
        (answered,) = api.wait_for("chat.update")
        assert answered["ts"] == asked["posted_ts"] and answered["text"] == asked["text"]
        assert [b["type"] for b in answered["blocks"]] == ["section", "context"]
        assert "You chose “Delete”." in json.dumps(answered["blocks"], ensure_ascii=False)
    assert [a.id for a in list_automations(sqlite_engine, org.org_id)] == [kept.id]
