"""Slack Block Kit for everything the Slack app and the worker post: a report document in its
layout (report_blocks), a message's subject as a header over its text in sections, a message's buttons (a notice's Retry / Pause / Resume) as
one actions block, a draft's Activate / Edit / Cancel, and the choices of a chat reply.

`SlackBlocks` is the layout the worker's Slack channel asks for every message without blocks of
its own; the assistant hands it over when it builds the worker, since this app is the one that
answers the buttons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.conversation import Reply as ChatReply
from assistant.slack.mrkdwn import clip_literal, literal, mrkdwn
from assistant.slack.report_blocks import report_blocks
from worker.delivery.base import Action, Message
from worker.delivery.slack import MAX_BLOCKS, SECTION_CHARS, clip, text_sections

Block = dict[str, Any]
HEADER_CHARS = 150  # Block Kit's limit for a header's text
BUTTON_CHARS = 75  # and for a button's label
MAX_CHOICES = 5
CHOICES = "chat_choices"
CUT = "… (the rest does not fit in one Slack message)"  # the block_id of a reply's choice buttons (and its prefix)


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": clip(label, BUTTON_CHARS)},
    }
    if style:
        element["style"] = style
    return element


def section(text: str) -> Block:
    """`text` shown as written (nothing in it pings, links or breaks a link), in one section."""
    return {"type": "section", "text": mrkdwn(clip_literal(literal(text), SECTION_CHARS))}


def sections(text: str) -> list[Block]:
    """`text` shown as written, in sections cut at paragraph breaks to Slack's size limit."""
    return [section(chunk["text"]["text"]) for chunk in text_sections(text)]


def line_sections(text: str, room: int = MAX_BLOCKS) -> list[Block]:
    """`text` shown as written in as many sections as it needs (Slack shows blocks instead of
    the text, so a single clipped section would hide the rest: a question's later choices),
    each of whole lines where they fit; past `room` sections, the last says the rest is cut."""
    chunks: list[str] = []
    for line in text.strip("\n").split("\n"):
        shown = clip_literal(literal(line), SECTION_CHARS) or " "
        if chunks and len(chunks[-1]) + 1 + len(shown) <= SECTION_CHARS:
            chunks[-1] += "\n" + shown
        else:
            chunks.append(shown)
    if len(chunks) > room:
        chunks = [*chunks[: room - 1], literal(CUT)]
    return [{"type": "section", "text": mrkdwn(chunk)} for chunk in chunks]


def with_buttons(text: str, buttons: Iterable[Block], group: str) -> list[Block]:
    """The text with its buttons under it, as one actions block named `group`."""
    actions = {"type": "actions", "block_id": group, "elements": list(buttons)}
    return [*line_sections(text, MAX_BLOCKS - 1), actions]


def action_blocks(text: str, actions: Iterable[Action], group: str) -> list[Block]:
    """The text with the message's actions as buttons (a primary action stands out)."""
    buttons = (button(a.label, a.id, a.value, "primary" if a.primary else None) for a in actions)
    return with_buttons(text, buttons, group)


def confirmation_blocks(summary: str, draft_id: int, *, can_activate: bool = True) -> list[Block]:
    """A draft's summary with the buttons that activate (when it can be as it is), edit or drop
    it."""
    value = str(draft_id)
    buttons = [
        *([button("Activate", "draft_activate", value, "primary")] if can_activate else []),
        button("Edit", "draft_edit", value),
        button("Cancel", "draft_cancel", value, "danger"),
    ]
    return with_buttons(summary, buttons, f"draft_{draft_id}")


def choices_group(asker: str | None = None, question: str | None = None) -> str:
    """The block_id of a reply's choice buttons: whom they ask and which question they answer
    (assistant.slack.choices), so a click can tell when that question no longer waits."""
    return f"{CHOICES}.{asker}.{question}" if asker and question else CHOICES


def asked_of(block_id: str) -> tuple[str, str] | None:
    """The asker and question a choices block names; None for one posted without them."""
    group, _, rest = block_id.partition(".")
    asker, _, question = rest.partition(".")
    return (asker, question) if group == CHOICES and asker and question else None


def reply_blocks(
    reply: ChatReply, *, asker: str | None = None, question: str | None = None
) -> list[Block] | None:
    """A draft gets the confirmation buttons; other choices buttons that say the answer, in a
    block that names whom they ask and the question they answer."""
    if reply.kind == "draft" and reply.draft_id is not None:
        can_activate = any(choice.say == "yes" for choice in reply.choices)
        return confirmation_blocks(reply.text, reply.draft_id, can_activate=can_activate)
    if not reply.choices:
        return line_sections(reply.text) if len(reply.text) > SECTION_CHARS else None
    buttons = [
        button(choice.label, f"chat_say_{i}", choice.say, choice.style)
        for i, choice in enumerate(reply.choices[:MAX_CHOICES])
    ]
    return with_buttons(reply.text, buttons, choices_group(asker, question))


def without_buttons(message: dict[str, Any], note: str) -> list[Block]:
    """A posted question as it was asked, its buttons replaced by `note`."""
    kept = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
    if not kept:
        kept = [section(str(message.get("text") or ""))]
    return [*kept, {"type": "context", "elements": [mrkdwn(clip_literal(literal(note), 300))]}]


def chosen_blocks(message: dict[str, Any], action_id: str) -> list[Block]:
    """A question whose button `action_id` was clicked as it was asked, without its buttons,
    saying the choice."""
    labels = [
        str((element.get("text") or {}).get("text") or "")
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements") or []
        if element.get("action_id") == action_id
    ]
    said = f"You chose “{labels[0]}”." if labels and labels[0] else "Answered."
    return without_buttons(message, said)


class SlackBlocks:
    """The Slack app's layout of what the worker posts: a report document in its layout, the
    text with its buttons, or the subject as a header over the text in sections."""

    def blocks(self, message: Message) -> list[Block]:
        if message.document is not None:
            return report_blocks(message.document)  # within Slack's limits already
        if message.actions:
            return action_blocks(message.text, message.actions, message.group or "actions")
        blocks: list[Block] = []
        subject = " ".join(message.subject.split())
        if subject:
            header = {"type": "plain_text", "text": clip(subject, HEADER_CHARS), "emoji": True}
            blocks.append({"type": "header", "text": header})
        blocks.extend(sections(message.text))
        return blocks[:MAX_BLOCKS]
