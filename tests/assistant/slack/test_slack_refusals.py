"""A channel that stops taking the bot's posts (archived, the bot not invited, a private
channel it cannot see): the delivery fails for good (a refusal that will not change is not
retried) with words that say how to fix it, which the run's failure notice quotes to the owner,
once, in the Slack thread where they set the automation up. Every run's post checks the
channel again: a bot removed after the first run fails the next, saying which channel to
invite it to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from assistant.slack.blocks import SlackBlocks
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from bench.kit.peers.slack_signed import web_api
from models.errors import DeliveryError
from models.settings import load_settings
from models.settings_integrations import SlackSettings
from models.store.orgs import get_user
from models.store.run_history import list_runs
from models.store.run_queue import queue_run
from tests.assistant.slack.harness import NOW, PROFILE
from worker.delivery.base import Message, Recipient
from worker.delivery.channels import ChannelRegistry
from worker.delivery.slack import SlackChannel
from worker.tick.tick import Worker


@pytest.mark.parametrize(
    ("refusal", "fix"),
    [
        ("is_archived", "unarchive it"),
        ("not_in_channel", "/invite @skilltick"),
        ("channel_not_found", "check its name"),
    ],
)
def test_a_refused_channel_fails_for_good_saying_how_to_fix_it(refusal: str, fix: str) -> None:
    with web_api(PROFILE) as api:
        api.refusals["#old-hiring"] = refusal
        channel = SlackChannel(SlackSettings(bot_token="xoxb-test", api_url=api.url))
        with pytest.raises(DeliveryError) as caught:
            channel.send(
                Message("Pipeline", "4 applied"),
                Recipient("#old-hiring"),
                message_id="<m@x>",
                org_id=None,
            )
        refused = [m for m, _ in api.calls if m.startswith("chat.postMessage")]
    assert not caught.value.retryable and refused == [f"chat.postMessage ({refusal})"]
    assert fix in caught.value.message and f"(Slack: {refusal})" in caught.value.message


def test_the_owner_hears_of_it_once_in_the_thread_they_set_it_up_in(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    origin = {"channel": "slack", "slack_channel": "C0SETUP01", "thread_ts": "1700000003.000400"}
    auto = make_automation(
        sqlite_engine, org, NOW, channel="slack", to=["#old-hiring"], origin=origin
    )
    with web_api(PROFILE) as api:
        api.refusals["#old-hiring"] = "is_archived"
        settings = load_settings(smtp_host=None, slack_bot_token="xoxb-test", slack_api_url=api.url)
        channels = ChannelRegistry(sqlite_engine, settings, slack_layout=SlackBlocks())
        worker = Worker(sqlite_engine, settings, channels=channels)
        queue_run(
            sqlite_engine,
            automation_id=auto.id or 0,
            org_id=org.org_id,
            triggered_by="schedule",
            now=NOW + timedelta(minutes=1),
        )
        for minute in range(1, 4):
            worker.tick(NOW + timedelta(minutes=minute))
        (notice,) = api.wait_for("chat.postMessage")
        refused = [m for m, _ in api.calls if m == "chat.postMessage (is_archived)"]
    (run,) = list_runs(sqlite_engine, org.org_id, automation_id=auto.id)
    assert run.status == "failed" and len(refused) == 1
    assert (notice["channel"], notice["thread_ts"]) == ("C0SETUP01", origin["thread_ts"])
    assert "archived: unarchive it" in notice["text"] and "notice_retry" in str(notice["blocks"])


def test_each_run_checks_the_channel_and_a_removed_bot_fails_the_run_saying_the_fix(
    sqlite_engine: Engine,
) -> None:
    """The first run posts; the bot is then removed from #hiring: the next run's post is
    refused once (not retried), the run fails with one line naming the channel and the fix,
    and the owner reads it on the run and in "why did it fail?"."""
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, channel="slack", to=["#hiring"])
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW + timedelta(hours=1))
    owner = Actor.of(get_user(sqlite_engine, org.admin_id))
    with web_api(PROFILE) as api:
        settings = load_settings(smtp_host=None, slack_bot_token="xoxb-test", slack_api_url=api.url)
        worker = Worker(sqlite_engine, settings, channels=ChannelRegistry(sqlite_engine, settings))
        for day, refusal in ((0, None), (1, "not_in_channel")):
            if refusal:
                api.refusals["#hiring"] = refusal
            at = NOW + timedelta(days=day, minutes=1)
            queue_run(
                sqlite_engine,
                automation_id=auto.id or 0,
                org_id=org.org_id,
                triggered_by="schedule",
                now=at,
            )
            for minute in range(4):
                worker.tick(at + timedelta(minutes=minute))
        posts = [m for m, _ in api.calls if m.startswith("chat.postMessage")]
    runs = list_runs(sqlite_engine, org.org_id, automation_id=auto.id)
    # the worker also ran the occurrence missed between the days: every run after the
    # removal failed, each after one refused post (never retried)
    assert [r.status for r in runs][-1] == "completed" and posts[0] == "chat.postMessage"
    failed = [r for r in runs if r.status == "failed"]
    assert len(failed) == len(runs) - 1 >= 1
    assert posts[1:] == ["chat.postMessage (not_in_channel)"] * len(failed)
    reason = tools.get_run(owner, failed[0].id or 0).error_message or ""
    assert "\n" not in reason and "invite @skilltick to #hiring" in reason, reason
    why = tools.why(owner, auto.id or 0, "why did it fail?").answer
    assert "invite @skilltick to #hiring" in why, why
