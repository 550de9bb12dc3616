"""The Slack app lays out what the worker posts to Slack: a report's subject as a header over
its text in sections (within Block Kit's limits), a notice's text over its buttons; the
workers the application starts post in that layout."""

from __future__ import annotations

from pathlib import Path

from assistant.app import build_context
from assistant.slack.blocks import SlackBlocks
from bench.kit.peers.slack_web_api import fake_slack
from models.settings import load_settings
from worker.delivery.base import Action, Message, Recipient

STAR = "\u200b*\u200b"  # a star between zero-width spaces: Slack starts no bold span there


def test_a_report_is_a_header_over_its_text_in_sections() -> None:
    message = Message(subject="Weekly   pipeline\n", text="*Applied*: 4\n\n*Screen*: 2")
    assert SlackBlocks().blocks(message) == [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": "Weekly pipeline", "emoji": True},
        },
        {
            "type": "section",
            # a message's text is shown as written: its stars are not made bold
            "text": {
                "type": "mrkdwn",
                "text": f"{STAR}Applied{STAR}: 4\n\n{STAR}Screen{STAR}: 2",
                "verbatim": True,
            },
        },
    ]


def test_a_long_report_stays_within_block_kits_limits() -> None:
    paragraphs = "\n\n".join(f"paragraph {i} " + "x" * 2000 for i in range(80))
    blocks = SlackBlocks().blocks(Message(subject="S" * 400, text=paragraphs))
    assert len(blocks) == 50
    assert len(blocks[0]["text"]["text"]) == 150 and blocks[0]["text"]["text"].endswith("…")
    sections = [b["text"]["text"] for b in blocks[1:]]
    assert all(len(text) <= 3000 for text in sections)
    assert sections[0].startswith("paragraph 0 ") and sections[1].startswith("paragraph 1 ")


def test_a_message_with_actions_is_its_text_over_one_group_of_buttons() -> None:
    actions = (
        Action("notice_retry", "Retry", "41", primary=True),
        Action("notice_pause", "Pause", "7"),
    )
    message = Message(subject="Automation failed: X", text="It failed.", actions=actions, group="g")
    text, buttons = SlackBlocks().blocks(message)
    assert text == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "It failed.", "verbatim": True},
    }
    assert buttons["block_id"] == "g"
    assert [(b["action_id"], b["value"], b.get("style")) for b in buttons["elements"]] == [
        ("notice_retry", "41", "primary"),
        ("notice_pause", "7", None),
    ]


def test_the_applications_workers_post_in_the_slack_apps_layout(tmp_path: Path) -> None:
    with fake_slack() as peer:
        settings = load_settings(
            home=tmp_path, slack_bot_token="xoxb-test-token", slack_api_url=peer.base_url
        )
        ctx = build_context(settings)
        slack = ctx.build_worker().channels.get("slack")
        slack.send(
            Message("Weekly pipeline", "4 applied"),
            Recipient("#hiring"),
            message_id="<m@x>",
            org_id=None,
        )
        ctx.engine.dispose()
    [post] = peer.calls_to("chat.postMessage")
    assert [b["type"] for b in post.args["blocks"]] == ["header", "section"]
