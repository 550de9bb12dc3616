"""The answer to a confirmation the conversation asked for: "delete #6?", a change to many
("pause all my reports?"), a change to a group, or "which one?" among candidates. "yes" (or
"delete it" again) does what was asked; a pick acts on the one picked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.actions import act
from assistant.conversation.choosing import pick
from assistant.conversation.each_chosen import each_chosen
from assistant.conversation.group import change_group
from assistant.conversation.intents import Intent
from assistant.conversation.other_one import remember_chosen
from assistant.conversation.refer import THIS
from assistant.conversation.reply import Reply
from assistant.conversation.undo import around, remember, remember_gone

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset


def answer_confirmation(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    pending: dict[str, Any],
    intent: Intent,
    text: str,
) -> Reply | None:
    """What `intent` does to the confirmation `pending`; None when it is no answer to it."""
    kind = pending["kind"]
    if kind in ("delete", "bulk") and (
        intent.kind == "yes" or (kind == intent.kind == "delete" and intent.ref in THIS)
    ):
        state["pending"] = None
        if kind == "delete":
            view = tools.delete(actor, pending["automation_id"], confirm=True)
            state["focus"] = None
            remember_gone(state, "delete", view)
            return Reply(f"Deleted {words.title(view)} and its run history.", "done")
        shown = tools.bulk(actor, pending["request"]).automation_ids
        before = {str(n): tools.snapshot(actor, n) for n in shown}
        result = tools.bulk(actor, pending["request"], confirm=True)
        changed = {n: before[n] for n in map(str, result.automation_ids) if n in before}
        if result.done and changed:
            remember(tools, actor, state, f"bulk-{result.action}", changed)
        state["listed"] = result.automation_ids  # "resume them" means these
        return Reply(result.message, "done", data=result.model_dump(mode="json"))
    if kind == "group" and intent.kind == "yes" and pending["verb"] != "delete":
        return around(
            tools,
            actor,
            state,
            f"bulk-{pending['verb']}",
            pending["ids"],
            lambda: change_group(tools, actor, state, pending),
        )
    if kind == "group" and intent.kind == "yes":
        return change_group(tools, actor, state, pending)
    if kind == "choose" and (every := each_chosen(tools, actor, state, pending, text)):
        return every
    if kind == "choose" and (chosen := pick(tools, actor, pending, intent, text)):
        if isinstance(chosen, Reply):
            return chosen
        state["pending"] = None
        remember_chosen(state, pending, chosen)  # "no, the other one" next
        wanted = pending["intent"]
        return act(tools, actor, wanted["kind"], chosen, wanted["rest"], state)
    if intent.kind == "yes":
        return Reply("Say which one, e.g. “the first one”.", "error")
    return None
