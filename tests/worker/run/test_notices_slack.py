"""An automation set up in Slack tells its owner about failures in that Slack thread, with
Retry and Pause/Resume buttons; without Slack set up the notice still arrives, by email."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.slack.blocks import SlackBlocks
from bench.kit.factories import make_automation, make_org
from bench.kit.peers.slack_web_api import fake_slack
from models.errors import DeliveryError
from models.settings import load_settings
from models.settings_integrations import SlackSettings
from models.store.deliveries import list_outbox
from models.store.run_history import list_runs
from worker.delivery.base import Message, Recipient
from worker.delivery.channels import ChannelRegistry
from worker.delivery.slack import SlackChannel
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)
ORIGIN = {"channel": "slack", "slack_channel": "C0HIRING1", "thread_ts": "1700000000.000100"}


class BrokenChannel:
    name = "email"
    records_deliveries = True

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        raise DeliveryError("the report could not be sent", retryable=False)


def failing_setup(engine: Engine) -> tuple[int, int, ChannelRegistry]:
    settings = load_settings(smtp_host=None)
    org = make_org(engine, NOW)
    auto = make_automation(
        engine,
        org,
        datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        cron="0 9 * * *",
        skill="noop",
        channel="failing",
        origin=ORIGIN,
    )
    channels = ChannelRegistry(engine, settings)
    channels.register("failing", BrokenChannel())
    return org.org_id, auto.id or 0, channels


def test_a_failure_notice_goes_to_the_slack_thread_with_retry_and_pause(engine: Engine) -> None:
    org_id, auto_id, channels = failing_setup(engine)
    with fake_slack() as peer:
        settings = SlackSettings(bot_token="xoxb-test-token", api_url=peer.base_url)
        channels.register("slack", SlackChannel(settings, layout=SlackBlocks()))
        report = Worker(engine, load_settings(), channels=channels).tick(NOW)
    assert report.statuses["failed"] == 1 and report.notices_sent == 1
    [post] = peer.calls_to("chat.postMessage")
    assert post.args["channel"] == "C0HIRING1"
    assert post.args["thread_ts"] == "1700000000.000100"
    buttons = {
        e["action_id"]: e["value"]
        for b in post.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }
    failed_run = list_runs(engine, org_id, automation_id=auto_id)[0]
    assert buttons == {"notice_retry": str(failed_run.id), "notice_pause": str(auto_id)}
    assert "the report could not be sent" in post.args["text"]
    assert list_outbox(engine) == []


def test_a_worker_without_the_slack_app_posts_the_notice_in_the_thread_without_buttons(
    engine: Engine,
) -> None:
    _, _, channels = failing_setup(engine)
    with fake_slack() as peer:
        settings = SlackSettings(bot_token="xoxb-test-token", api_url=peer.base_url)
        channels.register("slack", SlackChannel(settings))
        report = Worker(engine, load_settings(), channels=channels).tick(NOW)
    assert report.notices_sent == 1
    [post] = peer.calls_to("chat.postMessage")
    assert post.args["thread_ts"] == "1700000000.000100"
    assert [b["type"] for b in post.args["blocks"]] == ["section"]
    assert "the report could not be sent" in post.args["blocks"][0]["text"]["text"]


def test_without_slack_set_up_the_notice_arrives_by_email(engine: Engine) -> None:
    _, _, channels = failing_setup(engine)
    report = Worker(engine, load_settings(), channels=channels).tick(NOW)
    assert report.notices_sent == 1
    [mail] = list_outbox(engine)
    assert mail.to_addr == "member@acme.test" and mail.subject.startswith("Automation failed")
