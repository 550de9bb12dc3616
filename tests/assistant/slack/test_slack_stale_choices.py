"""A choice button answers only the question it was posted with: "delete #1" asked, then
"delete #2" asked, a click on the first question's Delete deletes nothing (its "yes" would
otherwise confirm #2), tells the clicker in one line and takes the old buttons away; the current
question's button still works (a look at the list in between asks nothing new), and so does a
button posted before buttons named their question. A draft replaced by a new request: its
Activate activates neither it nor the new one. Through the served slack-bolt app with signed
requests, in a DM and on the slash command."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.engine import Engine

from assistant.slack.choices import NOT_ASKED, STALE_CHOICE
from bench.kit.factories import make_automation, make_org
from models.store.automations import list_automations
from tests.assistant.slack.harness import NOW, click, command, slack_app
from tests.assistant.slack.test_slack_conversation import Dm, buttons


def choices_of(post: dict[str, Any]) -> str:
    """The block_id of a posted reply's choice buttons."""
    (block,) = [b for b in post.get("blocks") or [] if b["type"] == "actions"]
    return str(block["block_id"])


def as_clicked(post: dict[str, Any]) -> dict[str, Any]:
    """The message as Slack sends it with a click on it."""
    return {"ts": post["posted_ts"], "text": post["text"], "blocks": post["blocks"]}


def test_a_dm_button_of_a_replaced_question_deletes_nothing(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    first = make_automation(sqlite_engine, org, NOW, name="First")
    second = make_automation(sqlite_engine, org, NOW, name="Second")
    with slack_app(sqlite_engine) as (base, api):
        dm = Dm(base, api)
        dm.say(f"delete #{first.id}")
        old = dm.posts()[-1]
        dm.say(f"delete #{second.id}")
        current = dm.posts()[-1]
        assert buttons(old)["chat_say_0"] == buttons(current)["chat_say_0"] == "yes"
        assert choices_of(old) != choices_of(current)
        click(
            base,
            "chat_say_0",
            "yes",
            channel="D1",
            message=as_clicked(old),
            block_id=choices_of(old),
        )
        (told,) = api.wait_for("chat.postEphemeral")
        assert told["text"] == STALE_CHOICE and told["user"] == "U1"
        (emptied,) = api.wait_for("chat.update")
        assert emptied["ts"] == old["posted_ts"] and emptied["text"] == old["text"]
        assert [b["type"] for b in emptied["blocks"]] == ["section", "context"]
        assert STALE_CHOICE in json.dumps(emptied["blocks"], ensure_ascii=False)
        assert len(dm.posts()) == 2  # nothing said into the conversation
        assert {a.id for a in list_automations(sqlite_engine, org.org_id)} == {first.id, second.id}
        # someone else in the place cannot answer U1's question, and leaves its buttons be
        click(
            base,
            "chat_say_0",
            "yes",
            channel="D1",
            user="U2",
            message=as_clicked(current),
            block_id=choices_of(current),
        )
        assert api.wait_for("chat.postEphemeral", 2)[1]["text"] == NOT_ASKED
        # a look at the list asks nothing new: the question still waits, and its Delete
        # deletes what it asked about
        assert "Second" in dm.say("list")
        click(
            base,
            "chat_say_0",
            "yes",
            channel="D1",
            message=as_clicked(current),
            block_id=choices_of(current),
        )
        assert "Deleted" in api.wait_for("chat.postMessage", 4)[3]["text"]
        assert api.wait_for("chat.update", 2)[1]["ts"] == current["posted_ts"]
        assert len(api.wait_for("chat.update", 2)) == 2
    assert [a.id for a in list_automations(sqlite_engine, org.org_id)] == [first.id]


def test_a_commands_button_of_a_replaced_question_deletes_nothing(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    first = make_automation(sqlite_engine, org, NOW, name="First")
    second = make_automation(sqlite_engine, org, NOW, name="Second")
    response_url = None
    with slack_app(sqlite_engine) as (base, api):
        response_url = f"{api.url}response_url"
        command(base, api, f"delete #{first.id}")
        old = api.wait_for("response_url")[0]
        command(base, api, f"delete #{second.id}")
        current = api.wait_for("response_url", 2)[1]
        click(base, "chat_say_0", "yes", response_url=response_url, block_id=choices_of(old))
        told = api.wait_for("response_url", 3)[2]
        # the old ephemeral question is replaced by the one line
        assert told["text"] == STALE_CHOICE and told["replace_original"] is True
        assert "blocks" not in told or not told["blocks"]
        assert {a.id for a in list_automations(sqlite_engine, org.org_id)} == {first.id, second.id}
        click(base, "chat_say_0", "yes", response_url=response_url, block_id=choices_of(current))
        assert api.wait_for("response_url", 4)[3]["text"].startswith("Deleted")
        assert [a.id for a in list_automations(sqlite_engine, org.org_id)] == [first.id]
        # a button posted before buttons named their question says its answer as it did
        command(base, api, f"delete #{first.id}")
        api.wait_for("response_url", 5)
        click(base, "chat_say_0", "yes", response_url=response_url, block_id="chat_choices")
        assert api.wait_for("response_url", 6)[5]["text"].startswith("Deleted")
    assert list_automations(sqlite_engine, org.org_id) == []


def test_a_replaced_drafts_activate_activates_nothing(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    with slack_app(sqlite_engine) as (base, api):
        dm = Dm(base, api)
        dm.say("every monday at 9am send me a summary of my pipeline")
        old = dm.posts()[-1]
        replaced = dm.say("every friday at 4pm email me a recap of my sourcing")
        assert "replac" in replaced.lower(), replaced
        current = dm.posts()[-1]
        assert buttons(old)["draft_activate"] != buttons(current)["draft_activate"]
        click(
            base,
            "draft_activate",
            buttons(old)["draft_activate"],
            channel="D1",
            message=as_clicked(old),
        )
        (told,) = api.wait_for("chat.postEphemeral")
        assert "out of date" in told["text"]
        assert api.wait_for("chat.update")[0]["ts"] == old["posted_ts"]  # its buttons go
        assert list_automations(sqlite_engine, org.org_id) == []
        # the draft that replaced it is still the one waiting, and activates as itself
        click(
            base,
            "draft_activate",
            buttons(current)["draft_activate"],
            channel="D1",
            message=as_clicked(current),
        )
        assert api.wait_for("chat.update", 2)[1]["text"].startswith("Activated")
    (auto,) = list_automations(sqlite_engine, org.org_id)
    assert auto.cron_expression is not None and auto.cron_expression.startswith("0 16 ")
