"""Slack delivery against a local server speaking the Web API wire format: channel posts laid
out by the chat app's layout (plain text without one), DMs by user id and by email, 429 Retry-After honoured, errors mapped to retryable or
not, and the core's delivery rows keeping a retried occurrence from posting twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bench.kit.factories import make_automation, make_org
from bench.kit.peers.slack_web_api import FakeSlack, fake_slack
from models.errors import DeliveryError
from models.settings import load_settings
from models.settings_integrations import SlackSettings
from models.store.run_queue import queue_run
from models.tables.deliveries import Delivery
from models.tables.runs import AutomationRun
from skills.base import ReportDocument
from worker.delivery.base import Message, Recipient
from worker.delivery.channels import ChannelRegistry
from worker.delivery.deliver import deliver
from worker.delivery.slack import SlackChannel
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
MESSAGE = Message(
    subject="Weekly pipeline", text="*Applied*: 4\n\n*Screen*: 2", html="<p>ignored by Slack</p>"
)


def channel_for(
    peer: FakeSlack, waits: list[float] | None = None, token: str = "xoxb-test-token"
) -> SlackChannel:
    config = SlackSettings(bot_token=token, api_url=peer.base_url)
    return SlackChannel(config, sleep=(waits.append if waits is not None else lambda s: None))


def test_a_channel_post_carries_the_bot_token_and_without_a_layout_the_text_alone() -> None:
    with fake_slack() as peer:
        channel_for(peer).send(MESSAGE, Recipient("#hiring"), message_id="<m1@x>", org_id=1)
    [call] = peer.calls
    assert call.method == "chat.postMessage"
    assert call.authorization == "Bearer xoxb-test-token"
    assert call.args["channel"] == "#hiring"
    # shown as written: a star between zero-width spaces starts no bold span
    star = "\u200b*\u200b"
    text = f"Weekly pipeline\n\n{star}Applied{star}: 4\n\n{star}Screen{star}: 2"
    assert call.args["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    assert call.args["text"] == text  # the notification fallback
    assert call.args["metadata"]["event_payload"]["message_id"] == "<m1@x>"


class Shouting:
    """A chat app's layout: the subject in capitals, and the report document's layout name."""

    def blocks(self, message: Message) -> list[dict[str, Any]]:
        said = message.subject.upper()
        if message.document is not None:
            said += f" ({message.document.layout})"
        return [{"type": "section", "text": {"type": "mrkdwn", "text": said}}]


REPORT = Message("S", "the text", document=ReportDocument("pipeline", {"title": "Pipeline"}))


def test_a_layout_handed_over_lays_out_every_message_with_its_report_document() -> None:
    with fake_slack() as peer:
        config = SlackSettings(bot_token="xoxb-test-token", api_url=peer.base_url)
        channel = SlackChannel(config, layout=Shouting())
        channel.send(MESSAGE, Recipient("#hiring"), message_id="<m1@x>", org_id=1)
        channel.send(REPORT, Recipient("#hiring"), message_id="<m2@x>", org_id=1)
    plain, report = peer.calls
    assert plain.args["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "WEEKLY PIPELINE"}}
    ]
    assert report.args["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "S (pipeline)"}}
    ]


def test_without_a_chat_app_a_report_is_posted_as_its_subject_and_text() -> None:
    with fake_slack() as peer:
        channel_for(peer).send(REPORT, Recipient("C0123ABCD"), message_id="<m@x>", org_id=1)
    assert peer.calls[0].args["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "S\n\nthe text"}}
    ]
    assert peer.calls[0].args["channel"] == "C0123ABCD"


def test_a_user_id_gets_a_direct_message_through_conversations_open() -> None:
    with fake_slack() as peer:
        channel_for(peer).send(MESSAGE, Recipient("U0DANA001"), message_id="<m@x>", org_id=1)
    assert [c.method for c in peer.calls] == ["conversations.open", "chat.postMessage"]
    assert peer.calls[0].args["users"] == "U0DANA001"
    assert peer.calls[1].args["channel"] == "D0DANA001"


def test_an_email_recipient_is_looked_up_then_messaged_directly() -> None:
    with fake_slack(users_by_email={"dana@acme.test": "U0DANA001"}) as peer:
        channel_for(peer).send(MESSAGE, Recipient("Dana@acme.test"), message_id="<m@x>", org_id=1)
    assert [c.method for c in peer.calls] == [
        "users.lookupByEmail",
        "conversations.open",
        "chat.postMessage",
    ]
    assert peer.calls[2].args["channel"] == "D0DANA001"


def test_a_short_retry_after_is_waited_out_once_and_the_post_goes_through() -> None:
    waits: list[float] = []
    with fake_slack(
        scripted={
            "chat.postMessage": [(429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"})]
        }
    ) as peer:
        channel_for(peer, waits).send(MESSAGE, Recipient("#hiring"), message_id="<m@x>", org_id=1)
    assert waits == [1.0]
    assert len(peer.calls_to("chat.postMessage")) == 2


def test_a_long_retry_after_is_a_retryable_failure_without_waiting() -> None:
    waits: list[float] = []
    with fake_slack(
        scripted={
            "chat.postMessage": [
                (429, {"Retry-After": "120"}, {"ok": False, "error": "ratelimited"})
            ]
        }
    ) as peer:
        with pytest.raises(DeliveryError) as caught:
            channel_for(peer, waits).send(
                MESSAGE, Recipient("#hiring"), message_id="<m@x>", org_id=1
            )
    assert caught.value.retryable and "retry after 120 s" in caught.value.message
    assert waits == [] and len(peer.calls) == 1


def test_a_second_429_after_the_wait_is_a_retryable_failure() -> None:
    limited = (429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"})
    with fake_slack(scripted={"chat.postMessage": [limited, limited]}) as peer:
        with pytest.raises(DeliveryError) as caught:
            channel_for(peer, []).send(MESSAGE, Recipient("#hiring"), message_id="<m@x>", org_id=1)
    assert caught.value.retryable and len(peer.calls) == 2


@pytest.mark.parametrize(
    ("scripted", "token", "retryable", "words"),
    [
        (None, "xoxb-wrong", False, "invalid_auth"),
        (
            {"chat.postMessage": [(200, {}, {"ok": False, "error": "channel_not_found"})]},
            "xoxb-test-token",
            False,
            "channel_not_found",
        ),
        (
            {"chat.postMessage": [(503, {}, {"ok": False, "error": "service_unavailable"})]},
            "xoxb-test-token",
            True,
            "503",
        ),
        (
            {"chat.postMessage": [(500, {}, {"ok": False, "error": "internal_error"})]},
            "xoxb-test-token",
            True,
            "500",
        ),
    ],
    ids=["invalid_auth", "channel_not_found", "503", "500"],
)
def test_slack_errors_are_permanent_for_refusals_and_retryable_for_outages(
    scripted: dict | None,
    token: str,
    retryable: bool,
    words: str,
) -> None:
    with fake_slack(scripted=scripted or {}) as peer:
        with pytest.raises(DeliveryError) as caught:
            channel_for(peer, token=token).send(
                MESSAGE, Recipient("#hiring"), message_id="<m@x>", org_id=1
            )
    assert caught.value.retryable is retryable
    assert words in caught.value.message


def test_an_unreachable_slack_is_a_retryable_failure() -> None:
    with fake_slack() as peer:
        url = peer.base_url
    config = SlackSettings(bot_token="xoxb-test-token", api_url=url)
    with pytest.raises(DeliveryError) as caught:
        SlackChannel(config).send(MESSAGE, Recipient("#hiring"), message_id="<m@x>", org_id=1)
    assert caught.value.retryable and "could not be reached" in caught.value.message


def test_an_unknown_email_fails_without_naming_the_address() -> None:
    with fake_slack() as peer:
        with pytest.raises(DeliveryError) as caught:
            channel_for(peer).send(
                MESSAGE, Recipient("ghost@acme.test"), message_id="<m@x>", org_id=1
            )
    assert not caught.value.retryable and "users_not_found" in caught.value.message
    assert "ghost" not in caught.value.message


def test_without_a_bot_token_the_slack_channel_says_it_is_not_set_up(
    sqlite_engine: Engine,
) -> None:
    registry = ChannelRegistry(sqlite_engine, load_settings(slack_bot_token=""))
    with pytest.raises(DeliveryError) as caught:
        # no server token and no workspace installed by the organisation
        registry.get("slack").send(MESSAGE, Recipient("#hiring"), message_id="<m@x>", org_id=1)
    assert "SKILLTICK_SLACK_BOT_TOKEN" in caught.value.message and not caught.value.retryable


def test_an_occurrence_delivered_again_posts_once_per_recipient(engine: Engine) -> None:
    org = make_org(engine, NOW)
    with fake_slack(users_by_email={"member@acme.test": "U0MAX0001"}) as peer:
        channel = channel_for(peer)
        for _ in range(2):  # a retry or a rescued run delivers the same occurrence again
            outcomes = deliver(
                engine,
                channel,
                MESSAGE,
                [Recipient("#hiring"), Recipient("member@acme.test")],
                org_id=org.org_id,
                run_id=None,
                occurrence_key="a1:x",
                now=NOW,
            )
    assert len(peer.calls_to("chat.postMessage")) == 2
    assert [o.skipped_reason for o in outcomes] == ["already_delivered"] * 2
    with Session(engine) as session:
        rows = session.scalars(select(Delivery).where(col(Delivery.channel) == "slack")).all()
    assert sorted(r.status for r in rows) == ["sent", "sent"]


def test_a_slack_automation_posts_through_the_worker_tick_and_records_the_run(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, skill="noop", channel="slack", to=["#hiring", "me"])
    settings = load_settings(smtp_host=None)
    with fake_slack(users_by_email={"member@acme.test": "U0MAX0001"}) as peer:
        slack = SlackSettings(bot_token="xoxb-test-token", api_url=peer.base_url)
        channels = ChannelRegistry(engine, settings.model_copy(update={"slack": slack}))
        run_id = queue_run(
            engine,
            automation_id=auto.id or 0,
            org_id=org.org_id,
            triggered_by="manual",
            now=NOW + timedelta(minutes=1),
        )
        Worker(engine, settings, channels=channels).tick(NOW + timedelta(minutes=1))
    posts = peer.calls_to("chat.postMessage")
    assert sorted(p.args["channel"] for p in posts) == ["#hiring", "D0MAX0001"]
    with Session(engine) as session:
        run = session.get(AutomationRun, run_id)
    assert run is not None and run.status == "completed"
