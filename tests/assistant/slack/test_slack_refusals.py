"""A channel that stops taking the bot's posts (archived, the bot not invited, a private
channel it cannot see): the delivery fails for good (a refusal that will not change is not
retried) with words that say how to fix it, which the run's failure notice quotes."""

from __future__ import annotations

import pytest

from bench.kit.peers.slack_signed import web_api
from models.errors import DeliveryError
from models.settings import SlackSettings
from tests.assistant.slack.harness import PROFILE
from worker.delivery.base import Message, Recipient
from worker.delivery.slack import SlackChannel


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
