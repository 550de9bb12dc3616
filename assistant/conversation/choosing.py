"""Answering "Several automations match … Which one?": only a real answer picks ("the second
one", "#6", "6", a name or the words telling the candidates apart); any other message is a
new turn, and when that turn says "it" the candidates still make "it" ambiguous, so it is
asked again for the new action rather than guessed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.conversation.intents import Intent
from assistant.conversation.listing import ask_which
from assistant.conversation.refer import THIS, id_in, resolve
from assistant.conversation.reply import Reply

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView


def views_of(tools: Toolset, actor: Actor, ids: list[int]) -> list[AutomationView]:
    """The automations `ids` names that the actor can see, in the order of `ids`."""
    by_id = {v.id: v for v in tools.readable_automations(actor)}
    return [by_id[n] for n in ids if n in by_id]


def pick(
    tools: Toolset, actor: Actor, pending: dict[str, Any], intent: Intent, text: str
) -> int | Reply | None:
    """The automation the message picks among the pending candidates, a refusal when it
    picks a position that is not there, or None when the message is not an answer."""
    ids: list[int] = pending["candidates"]
    if intent.kind == "choose":
        chosen = id_in(intent.ref) if intent.ref else None
        if chosen is not None and chosen not in ids and not text.strip().startswith("#"):
            # a bare "2" among #5 and #6 is a position; "#2" is an id
            chosen = ids[chosen - 1] if 1 <= chosen <= len(ids) else chosen
        if chosen is None:
            index = intent.index if intent.index is not None else 0
            if not -len(ids) <= index < len(ids):
                return Reply(f"There are only {len(ids)} to choose from.", "error")
            chosen = ids[index]
        return chosen
    if intent.kind not in ("create", "edit") or intent.ref or len(text) > 80:
        return None  # a command of its own ("pause #7", "list") is a new turn
    # "the weekly one", "Pipeline report daily": words that fit exactly one candidate
    phrase = re.sub(r"^(?:the|that|i mean|i meant)\s+", "", text.strip(), flags=re.I)
    phrase = re.sub(r"\s+one\s*[.!?]*$", "", phrase, flags=re.I)
    found = resolve(phrase, views_of(tools, actor, ids), None, actor.email)
    return found.ids[0] if len(found.ids) == 1 and not found.needs_focus else None


def ask_again(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    pending: dict[str, Any],
    intent: Intent,
    targeted: AbstractSet[str],
) -> Reply | None:
    """A new turn saying "it" (one of the `targeted` intents) while the candidates were being
    asked about: which of them (the question is now about the new action), or None when the
    turn names its own automation or is no action on one."""
    if intent.kind not in targeted or intent.ref.strip().lower() not in ("", *THIS):
        return None
    candidates = views_of(tools, actor, pending["candidates"])
    if len(candidates) < 2:
        return None
    return ask_which(state, intent, candidates, "Which automation do you mean?")
