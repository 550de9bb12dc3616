"""Failure notices in Slack: a notice posted in the thread the automation was set up in, and
its Retry / Pause / Resume buttons, answered in that thread (a refusal to the clicker only)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from assistant.slack.blocks import action_blocks
from assistant.slack.mrkdwn import escape
from assistant.slack.threads import Who, ack
from assistant.tools.toolset import Toolset
from models.errors import SkilltickError
from worker.run.notices import notice_actions, notice_group

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient


def post_failure_notice(
    client: WebClient,
    origin: dict[str, Any],
    automation_id: int,
    text: str,
    *,
    paused: bool,
    failed_run_id: int | None,
) -> bool:
    """Post a failure notice in the Slack thread of `origin` (the automation's origin JSON:
    {"channel": "slack", "slack_channel": ..., "thread_ts": ...}); False if it has none.
    The Slack channel renders the same text and buttons when the worker sends a notice."""
    channel = origin.get("slack_channel")
    if origin.get("channel") != "slack" or not channel:
        return False
    client.chat_postMessage(
        channel=str(channel),
        thread_ts=origin.get("thread_ts"),
        text=escape(text),
        blocks=action_blocks(
            text,
            notice_actions(automation_id, paused=paused, failed_run_id=failed_run_id),
            notice_group(automation_id),
        ),
    )
    return True


def add_notice_buttons(app: App, client: WebClient, tools: Toolset, who: Who) -> None:
    """Retry, pause and resume on a failure notice. Retries are taken one at a time: a
    double-click's two clicks arrive together, and the second must see the first's run."""
    retrying = threading.Lock()

    def on_notice_button(body: dict[str, Any]) -> None:
        action = body["actions"][0]
        message = body.get("message") or {}
        thread = message.get("thread_ts") or message.get("ts")
        channel = body["channel"]["id"]
        target = int(action["value"])
        try:
            actor, _ = who(body, body["user"]["id"])
            if action["action_id"] == "notice_retry":
                with retrying:
                    run = tools.retry(actor, target)
                text = f"Retrying: run #{run.id} is queued with the current configuration."
            elif action["action_id"] == "notice_pause":
                before = tools.get_automation(actor, target)
                paused = tools.pause(actor, target)
                text = (
                    f"“{paused.name}” is paused already."
                    if not before.enabled
                    else f"Paused “{paused.name}”."
                )
            else:
                text = f"Resumed “{tools.resume(actor, target).name}”."
        except SkilltickError as exc:
            client.chat_postEphemeral(
                channel=channel, user=body["user"]["id"], thread_ts=thread, text=escape(exc.message)
            )
            return
        client.chat_postMessage(channel=channel, text=escape(text), thread_ts=thread)

    for action_id in ("notice_retry", "notice_pause", "notice_resume"):
        app.action(action_id)(ack=ack, lazy=[on_notice_button])
