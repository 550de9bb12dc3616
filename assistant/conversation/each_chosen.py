"""“Both” (or “all of them”) as the answer to “which one?”: the action asked about is done to
every candidate, as if each had been picked in turn, and one “undo” takes all of it back. Only
for actions that are safe to repeat across several (a pause, a resume, a change, a run now);
a deletion is still picked one at a time."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.conversation.actions import act
from assistant.conversation.reply import Reply
from assistant.conversation.undo import around

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

# what may be done to every candidate at once
EACH_KINDS = frozenset({"pause", "resume", "edit", "run"})
_EVERY = re.compile(
    r"\s*(?:(?:ok|okay|yes|yeah),?\s+)?(?:both|both of them|them both|all|all of them|them all"
    r"|each|each of them|every one(?: of them)?|all (?:two|three|four|five|\d))"
    r"(?:,?\s+please)?\s*[.!]*\s*",
    re.I,
)

_RESUME_IT = "Say “resume it” to start it again."


def offers_every(pending_kind: str) -> bool:
    """Whether the which-one question about `pending_kind` offers “both”."""
    return pending_kind in EACH_KINDS


def each_chosen(
    tools: Toolset, actor: Actor, state: dict[str, Any], pending: dict[str, Any], text: str
) -> Reply | None:
    """Every candidate acted on when the answer says “both”; None when it says something else."""
    if not _EVERY.fullmatch(text):
        return None
    wanted = pending["intent"]
    ids: list[int] = pending["candidates"]
    if wanted["kind"] not in EACH_KINDS:
        return Reply("That is done one at a time: say which one, e.g. “the first one”.", "error")
    state["pending"] = None

    def every() -> Reply:
        replies = [act(tools, actor, wanted["kind"], n, wanted["rest"], state) for n in ids]
        done = [r for r in replies if r.kind == "done"]
        kind = "done" if len(done) == len(replies) else replies[0].kind if not done else "info"
        lines = [r.text.replace(_RESUME_IT, "").strip() for r in replies]
        if any(_RESUME_IT in r.text for r in replies):
            lines.append("Say “resume them” to start them again.")
        return Reply("\n".join(lines), kind)

    reply = around(tools, actor, state, wanted["kind"], ids, every)
    state["listed"] = ids  # "resume them" now means these
    state["focus"] = None  # "it" is neither of them alone
    return reply
