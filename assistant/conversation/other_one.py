"""“No, the other one” right after “Which one?”: with two candidates it is the one not picked
(said before any pick, the one not offered first), the pick's change taken back first; among
more it asks again, naming the rest. Only the turn right after the question or the pick."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.actions import act
from assistant.conversation.choosing import views_of
from assistant.conversation.intents import Intent
from assistant.conversation.listing import ask_which
from assistant.conversation.reply import Reply
from assistant.conversation.undo import just_changed, undo_last

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

_OTHER = re.compile(
    r"(?:(?:no|nope|oops|sorry|wrong one|not that one)[\s,.!;-]+)*"
    r"(?:i (?:meant|mean|said|wanted) )?the other(?: one| automation)?[\s.!]*",
    re.I,
)


def remember_chosen(state: dict[str, Any], pending: dict[str, Any], picked: int) -> None:
    """The answer to “Which one?”, for a “no, the other one” said next."""
    state["chosen"] = {
        "candidates": list(pending["candidates"]),
        "picked": picked,
        "intent": dict(pending["intent"]),
        "turn": int(state.get("turns", 0)),
    }


def the_other_one(tools: Toolset, actor: Actor, state: dict[str, Any], text: str) -> Reply | None:
    """The answer to “the other one”, or None when it answers no choice just asked or made."""
    if not _OTHER.fullmatch(text.strip()):
        return None
    pending = state.get("pending") or {}
    if pending.get("kind") == "choose":
        ids: list[int] = pending["candidates"]
        if len(ids) == 2:
            state["pending"] = None
            remember_chosen(state, pending, ids[1])
            return act(
                tools, actor, pending["intent"]["kind"], ids[1], pending["intent"]["rest"], state
            )
        return _ask(tools, actor, state, pending["intent"], ids, "")
    chosen = state.get("chosen") or {}
    if int(chosen.get("turn", -9)) != int(state.get("turns", 0)) - 1:
        return None
    state.pop("chosen")
    picked, wanted = int(chosen["picked"]), chosen["intent"]
    others = [n for n in chosen["candidates"] if n != picked]
    taken_back = ""
    if pending.get("kind") == "delete" and pending.get("automation_id") == picked:
        state["pending"] = None  # "delete #5?" was not answered: nothing to take back
    elif just_changed(state) and list((state.get("last_change") or {}).get("before") or {}) == [
        str(picked)
    ]:
        undone = undo_last(tools, actor, state)
        if undone.kind == "error":  # changed since: left as it is, and said so
            return undone
        taken_back = f"{words.title(tools.get_automation(actor, picked))} is back as it was. "
    if len(others) == 1:
        reply = act(tools, actor, wanted["kind"], others[0], wanted["rest"], state)
        return replace(reply, text=taken_back + reply.text)
    return _ask(tools, actor, state, wanted, others, taken_back)


def _ask(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    wanted: dict[str, Any],
    ids: list[int],
    said_first: str,
) -> Reply:
    """Which of `ids` (more than one) the action was meant for, asked again."""
    views = views_of(tools, actor, ids)
    intent = Intent(str(wanted["kind"]), ref="it", rest=str(wanted.get("rest") or ""))
    return ask_which(state, intent, views, f"{said_first}Which one did you mean?")
