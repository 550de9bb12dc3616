"""The choice buttons of a chat reply ("Delete" / "Keep it", "#3 Weekly report", …): each says
its answer (its value) for the user in the conversation it was posted in.

A reply's buttons name whom they ask and which question they answer: a digest of what the
asker's conversation waits for once the reply is made. A click after that question was answered
or replaced (say "delete #4" after "delete #3?") says nothing into the conversation, where "yes"
would answer the new question: the clicker is told so in one line and the old message loses its
buttons. Buttons posted without the names (before they were given) say their answer as always.
Draft buttons need none of this: they name their draft, and a cancelled or replaced draft
cannot be activated (assistant.slack.drafts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.conversation import ConversationEngine
from assistant.conversation.reply import STALE_CHOICE, question_of
from assistant.slack.blocks import asked_of, chosen_blocks, without_buttons
from assistant.slack.mrkdwn import escape
from assistant.slack.replies import CommandReply, Reply, ThreadReply
from assistant.slack.threads import Who, ack, conversation_key
from models.errors import SkilltickError

if TYPE_CHECKING:
    from slack_bolt import App, Respond
    from slack_sdk import WebClient

NOT_ASKED = "That question was asked of someone else; nothing changed."


def add_choices(
    app: App,
    client: WebClient,
    converse: Callable[..., bool],
    who: Who,
    conversation: ConversationEngine,
) -> None:
    """The buttons of a chat reply's choices: each says its answer in the conversation, while
    the question it answers still waits."""

    def still_asked(body: dict[str, Any], asked: tuple[str, str] | None, key: str) -> str | None:
        """Why the click must say nothing, or None when its question still waits (or the
        button names none)."""
        if asked is None:
            return None
        asker, question = asked
        clicker = body["user"]["id"]
        if clicker != asker:
            return NOT_ASKED
        try:
            actor, _ = who(body, clicker)
        except SkilltickError as exc:
            return exc.message
        if question_of(conversation.state(actor, key)) != question:
            return STALE_CHOICE
        return None

    def on_choice(body: dict[str, Any], respond: Respond) -> None:
        """A button that says its answer for the user, in the conversation it was posted in."""
        message = body.get("message") or {}
        channel = body["channel"]["id"]
        clicker = body["user"]["id"]
        thread_ts = message.get("thread_ts")
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        key = conversation_key(channel, thread_ts)
        action = body["actions"][0]
        refused = still_asked(body, asked_of(str(action.get("block_id") or "")), key)
        if refused is not None:
            tell_refused(client, respond, body, refused, ephemeral=ephemeral)
            return
        reply: Reply = (
            # the answer takes the place of the question, whose buttons would say it again
            CommandReply(respond, replace=True)
            if ephemeral
            else ThreadReply(client, channel=channel, thread_ts=thread_ts, user=clicker)
        )
        origin = {
            "channel": "slack",
            "slack_channel": channel,
            "thread_ts": thread_ts,
            "slack_user": clicker,
        }
        answered = converse(body, clicker, reply, origin, action["value"], key)
        if answered and not ephemeral and message.get("ts"):
            # a second click would say the same answer to whatever is asked next
            client.chat_update(
                channel=channel,
                ts=message["ts"],
                text=str(message.get("text") or ""),  # as Slack keeps it: escaped already
                blocks=chosen_blocks(message, str(action.get("action_id"))),
            )

    app.action(re.compile(r"^chat_say_\d$"))(ack=ack, lazy=[on_choice])


def tell_refused(
    client: WebClient, respond: Respond, body: dict[str, Any], text: str, *, ephemeral: bool
) -> None:
    """`text` to the clicker alone. A question no longer waiting loses its buttons for good
    (an ephemeral one is replaced by the line); someone else's question keeps them."""
    if ephemeral:
        respond(text=escape(text), response_type="ephemeral", replace_original=True)
        return
    message = body.get("message") or {}
    channel = body["channel"]["id"]
    client.chat_postEphemeral(
        channel=channel,
        user=body["user"]["id"],
        thread_ts=message.get("thread_ts"),
        text=escape(text),
    )
    if text == STALE_CHOICE and message.get("ts"):
        client.chat_update(
            channel=channel,
            ts=message["ts"],
            text=str(message.get("text") or ""),  # as Slack keeps it: escaped already
            blocks=without_buttons(message, text),
        )
