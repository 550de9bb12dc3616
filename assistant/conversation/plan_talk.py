"""The organisation's plan by words: "what plan are we on?", "upgrade us to pro", "set the plan
to enterprise". Changing it is the admins' (the tool set refuses anyone else); the reply says
what the plan allows, and what a smaller plan means for automations already active
(assistant.tools.plan_words, the words every door uses)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.conversation.reply import Reply
from assistant.tools.plan_words import plan_words

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

_OURS = r"(?:the|our|my|this|the organi[sz]ation'?s?|the org'?s?|the team'?s?|the account'?s?)"
_CHANGE = re.compile(
    r"(?:please\s+)?(?:can you\s+|could you\s+)?"
    r"(?:set|change|switch|move|put|upgrade|downgrade|update)"
    rf"(?:\s+(?:us|me|{_OURS}(?:\s+(?:plan|organi[sz]ation|org|team|account|workspace))?))?"
    r"\s+(?:to|onto|on|into)\s+(?:the\s+|a\s+)?(?P<plan>[\w-]+)(?:\s+plan)?",
    re.I,
)
PLAN_QUESTION = re.compile(
    rf"(?:what|which)(?:'s| is)? (?:plan|tier) (?:are|is) (?:we|i|{_OURS}(?: \w+)?) (?:on|in)"
    rf"|(?:what|which)(?:'s| is) {_OURS} (?:plan|tier)"
    r"|(?:what|which) (?:plan|tier) do (?:we|i) have"
    rf"|(?:what are|what's|show(?: me)?) {_OURS} (?:plan )?limits"
    r"|(?:show|tell me)(?: me)? (?:the |our )?plan",
    re.I,
)


def plan_said(tools: Toolset, actor: Actor, text: str) -> Reply | None:
    """The reply to a question about the plan or a change of it, None when `text` is neither."""
    said = re.sub(r"\s+", " ", text.strip().replace("\u2019", "'")).rstrip(" ?.!")
    if m := _CHANGE.fullmatch(said):
        before = tools.get_org(actor).plan
        org = tools.set_plan(actor, m.group("plan").lower())
        words = plan_words(tools.engine, tools.settings, actor.org_id, tools.clock(), was=before)
        return Reply(words, "info" if org.plan == before else "done")
    if PLAN_QUESTION.fullmatch(said):
        words = plan_words(tools.engine, tools.settings, actor.org_id, tools.clock(), counted=True)
        change = " Only an admin can change it." if not actor.is_admin else ""
        return Reply(words + change, "info")
    return None
