"""Who a report in focus flags, said as if asking anew: "flag people not contacted for 3
days" right after the pipeline report was spoken about changes how long it waits before it
flags someone; it is no new request. Only when the automation in focus counts such a wait
(its params have one) and the words name no schedule or place of their own."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.conversation.intents import Intent
from models.errors import SkilltickError

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

# the params that count how long a candidate waits before being flagged
_WAITS = ("stale_days", "business_days")
_WHO_WAITS = re.compile(
    r"^\s*(?:please\s+|now\s+|and\s+|also\s+|just\s+|only\s+)?"
    r"(?:flag|include|highlight|mark|catch|surface)\s+(?:me\s+)?"
    r"(?:the\s+)?(?:people|candidates|anyone|anybody|everyone|those|applicants|ones)\b"
    r".*\b(?:contacted|contact|touched|untouched|waiting|idle|stale|quiet|heard|reached)\b"
    r".*\b(?:\d+|\w+)\s+(?:business\s+|working\s+)?(?:days?|weeks?)\b",
    re.I,
)
# words that make it a request of its own: when, where, to whom
_OWN_REQUEST = re.compile(
    r"\b(?:every|each|daily|weekly|monthly|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|"
    r"saturdays?|sundays?|weekdays?|slack|e-?mail|webhook|at\s+\d|\d\s*(?:am|pm))\b|#",
    re.I,
)


def param_change_in_focus(
    tools: Toolset, actor: Actor, state: dict[str, Any], intent: Intent, text: str
) -> Intent | None:
    """The edit of the automation in focus a would-be new request is, or None."""
    focus = state.get("focus")
    if intent.kind != "create" or focus is None:
        return None
    if not _WHO_WAITS.search(text) or _OWN_REQUEST.search(text):
        return None
    try:
        view = tools.get_automation(actor, int(focus))
    except SkilltickError:  # gone or no longer readable: a new request after all
        return None
    if not any(name in (view.params or {}) for name in _WAITS):
        return None
    return Intent("edit", ref="it", rest=text)
