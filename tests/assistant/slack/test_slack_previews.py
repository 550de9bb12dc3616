"""A preview asked for in a channel ("@skilltick who is in offer right now?") shows live
candidate data: through the served app it reaches the asker alone (an ephemeral message in the
mention's thread, nothing posted for the channel), and a schedule said next in that thread
drafts the same report there, as any draft is posted."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.store.automations import list_automations
from tests.assistant.slack.harness import BOT, NOW, event, slack_app

THREAD = "1700000006.000001"


def test_a_preview_in_a_channel_is_seen_by_the_asker_alone(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    said = {"type": "app_mention", "user": "U1", "channel": "C5", "ts": THREAD}
    with slack_app(sqlite_engine) as (base, api):
        event(base, {**said, "text": f"<@{BOT}> who is in offer right now?"})
        shown = api.wait_for("chat.postEphemeral")[0]
        assert (shown["channel"], shown["user"], shown["thread_ts"]) == ("C5", "U1", THREAD)
        assert "for you only" in shown["text"] and "Offer" in shown["text"]
        assert shown["text"].endswith("Say “every weekday at 9am”.")
        assert [m for m, _ in api.calls if m == "chat.postMessage"] == []
        # the thread is the bot's now: a reply there takes up the offer
        reply = {
            "type": "message",
            "channel_type": "channel",
            "user": "U1",
            "channel": "C5",
            "ts": "1700000007.000001",
            "thread_ts": THREAD,
            "text": "every Monday at 9am",
        }
        event(base, reply)
        drafted = api.wait_for("chat.postMessage")[0]
    assert drafted["thread_ts"] == THREAD and "Monday" in drafted["text"]
    assert "stale-candidate-sla" in drafted["text"] and "Offer" in drafted["text"]
    assert list_automations(sqlite_engine, org.org_id) == []


def test_a_test_run_asked_in_a_channel_is_seen_by_the_asker_alone(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    secret = "Call Jane Doe about her offer (jane.doe@example.com)"
    auto = make_automation(
        sqlite_engine, org, NOW, skill="reminder", params={"message": secret}, channel="email"
    )
    said = {"type": "app_mention", "user": "U1", "channel": "C5", "ts": THREAD}
    with slack_app(sqlite_engine) as (base, api):
        event(base, {**said, "text": f"<@{BOT}> test #{auto.id}"})
        shown = api.wait_for("chat.postEphemeral")[0]
        assert (shown["channel"], shown["user"]) == ("C5", "U1")
        assert "nothing was sent" in shown["text"] and "Jane Doe" in shown["text"]
        posted = [a.get("text", "") for m, a in api.calls if m == "chat.postMessage"]
        assert not any("Jane Doe" in text for text in posted), posted
