"""The Activate / Edit / Cancel buttons of a draft's read-back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.conversation import ConversationEngine
from assistant.slack.blocks import section
from assistant.slack.mrkdwn import escape
from assistant.slack.replies import CommandReply, Reply, ThreadReply
from assistant.slack.threads import Who, ack, conversation_key
from assistant.tools.toolset import Actor, Toolset
from models.errors import InvalidInput, PermissionDenied, SkilltickError
from models.store.conversations import get_draft

if TYPE_CHECKING:
    from slack_bolt import App, Respond
    from slack_sdk import WebClient


STALE = (
    "That read-back is out of date: the request changed after it. Use the buttons on the "
    "latest one, or say “yes” to activate it."
)

EDIT_IN_THREAD = "Reply here with the change (e.g. “make it 8am”) and I'll draft it again."
EDIT_BY_COMMAND = (
    "Send the change with /skilltick (e.g. “/skilltick make it 8am”) and I'll draft it again."
)
# a read-back's buttons answer its asker alone: an admin's Activate would make the automation
# the admin's, sent to "you" the admin, while the asker's conversation still waits for the draft
ASKER_ONLY = {
    "draft_activate": "Only the person who asked can activate it.",
    "draft_edit": "Only the person who asked can change it.",
    "draft_cancel": "Only the person who asked can cancel it.",
}


def _stale_blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    """An out-of-date read-back as it was, without its buttons, marked as replaced."""
    kept = [b for b in message.get("blocks") or [] if b.get("type") == "section"]
    if not kept:
        kept = [section(str(message.get("text") or "An earlier read-back."))]
    note = {"type": "mrkdwn", "text": "_Out of date: a later read-back replaced this one._"}
    return [*kept, {"type": "context", "elements": [note]}]


def add_draft_buttons(
    app: App, client: WebClient, tools: Toolset, who: Who, conversation: ConversationEngine
) -> None:
    """Activate, edit and cancel on a draft's message, for its asker (anyone else, an admin too,
    is told so alone). A click on a read-back the conversation has since replaced says so and
    takes that message's buttons away; a second click on Activate (a double-click) makes no
    second automation."""

    def replaced(actor: Actor, key: str, draft_id: int) -> bool:
        pending = conversation.state(actor, key).get("pending") or {}
        waiting = pending.get("draft_id")
        return pending.get("kind") == "draft" and waiting is not None and waiting != draft_id

    def edit_said(
        actor: Actor,
        key: str,
        draft_id: int,
        *,
        ephemeral: bool,
        respond: Respond,
        reply: Reply,
    ) -> None:
        """How to change the draft, to its asker alone: by saying the change where the request
        was made; the read-back stays for its Activate."""
        if replaced(actor, key, draft_id):
            text = STALE
        else:
            text = EDIT_BY_COMMAND if ephemeral else EDIT_IN_THREAD
        if ephemeral:
            respond(text=escape(text), response_type="ephemeral", replace_original=False)
        else:
            reply.private(text)

    def on_draft_button(body: dict[str, Any], respond: Respond) -> None:
        action = body["actions"][0]
        draft_id = int(action["value"])
        clicker = body["user"]["id"]
        channel = body["channel"]["id"]
        message = body.get("message") or {}
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        thread = message.get("thread_ts") or message.get("ts")
        reply: Reply = (
            CommandReply(respond, replace=True)
            if ephemeral
            else ThreadReply(client, channel=channel, thread_ts=thread, user=clicker)
        )
        key = conversation_key(channel, message.get("thread_ts"))
        stale, actor = False, None
        try:
            actor, _ = who(body, clicker)
            if get_draft(tools.engine, actor.org_id, draft_id).user_id != actor.user_id:
                raise PermissionDenied(ASKER_ONLY[action["action_id"]])
            if action["action_id"] == "draft_activate":
                view, *more = tools.confirm_draft_all(actor, draft_id)
                conversation.settle_draft(actor, key, draft_id, view.id)
                text = "Activated " + " and ".join(f"#{v.id} “{v.name}”" for v in (view, *more))
                text += "."
            elif action["action_id"] == "draft_cancel":
                tools.cancel_draft(actor, draft_id)
                conversation.settle_draft(actor, key, draft_id, None)
                text = "Cancelled; nothing was created."
            else:
                edit_said(actor, key, draft_id, ephemeral=ephemeral, respond=respond, reply=reply)
                return
        except SkilltickError as exc:
            # a bystander's click (or a stale draft) leaves the owner's message as it is
            text = exc.message
            if isinstance(exc, InvalidInput) and actor is not None:
                stale = replaced(actor, key, draft_id)
            if stale:
                text = STALE
            if ephemeral:
                respond(text=escape(text), response_type="ephemeral", replace_original=False)
            else:
                client.chat_postEphemeral(
                    channel=channel, user=clicker, thread_ts=thread, text=escape(text)
                )
                if stale and message.get("ts"):
                    client.chat_update(
                        channel=channel,
                        ts=message["ts"],
                        text=escape(str(message.get("text") or "An earlier read-back.")),
                        blocks=_stale_blocks(message),
                    )
            return
        if ephemeral:
            reply.final(text, [section(text)])
        else:
            client.chat_update(
                channel=channel, ts=message["ts"], text=escape(text), blocks=[section(text)]
            )

    for action_id in ("draft_activate", "draft_edit", "draft_cancel"):
        app.action(action_id)(ack=ack, lazy=[on_draft_button])
