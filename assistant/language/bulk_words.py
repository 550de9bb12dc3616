"""Bulk pause/resume requests read from words: whose automations, since when, until when.

"pause all of Dana's automations", "pause everything of sam's until friday", "resume everything
owned by Sam", "pause everything for Dana" (an owner) against "pause everything for 2 weeks" (a
span). A name the request gives is always kept, even when nobody has it: acting on everyone's
automations because a name was not recognised would be a guess."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.language.kind_words import kind_in
from assistant.language.until_words import is_span
from models.errors import InvalidInput

_NOUNS = r"(?:automations?|alerts?|reports?|reminders?|stuff|things|ones|jobs)"
# Words that stand where a name could but name nobody: "all of my automations", "for now".
_NOT_NAMES = frozenset(
    "all my mine our ours everyone everybody the them it this that these those now today "
    "tomorrow tonight a an and every each of for by until till me you us his her their".split()
)
_NAME = r"([A-Za-z][\w-]*(?:\.[\w-]+)*)"
_OWNER_PATTERNS = (
    # "Dana's automations", "all of dana's alerts", "everything of sam's", "sam's stuff"
    rf"\b{_NAME}'s?(?:\s+{_NOUNS}\b|\s*$|\s+(?=until\b|till\b|for\b))",
    rf"\b{_NAME}s'\s+{_NOUNS}\b",
    # "everything owned by Sam", "all belonging to sam", "every automation Sam owns"
    rf"\b(?:owned by|belonging to|set up by|created by|made by)\s+{_NAME}\b",
    rf"\b(?:everything|all|every {_NOUNS}|{_NOUNS})\s+(?:that\s+)?{_NAME}\s+(?:owns|has|made|set up|created)\b",
    # "everything of Sam", "everything for Dana" (when "Dana" is no span of time)
    rf"\b(?:everything|all|every {_NOUNS}|{_NOUNS})\s+(?:of|for|from)\s+{_NAME}\b(?!\s+(?:weeks?|days?|hours?|minutes?|months?)\b)",
)


@dataclass(frozen=True)
class BulkRequest:
    action: str  # pause | resume
    owner_name: str | None  # "Dana" in "pause all of Dana's automations"
    mine: bool  # "my automations"
    paused_since: str | None  # "today" | "this week" (resume only)
    until: str | None  # "until Monday" (pause only)
    kind: str | None = None  # "reminders" in "pause my reminders": only automations of that kind


def _owner_in(request: str) -> str | None:
    for pattern in _OWNER_PATTERNS:
        for found in re.finditer(pattern, request, re.I):
            name = found.group(1)
            if name.lower() in _NOT_NAMES or name.isdigit() or is_span(name):
                continue
            return name
    return None


def bulk_in_words(request: str) -> BulkRequest:
    low = request.lower().strip()
    m = re.match(
        r"^(?:please\s+)?(pause|stop|suspend|resume|restart|unpause|turn on|turn off)\b", low
    )
    if not m:
        raise InvalidInput(
            "Say what to do with them: “pause all of Dana's automations” or "
            "“resume everything paused this week”."
        )
    action = "resume" if m.group(1) in ("resume", "restart", "unpause", "turn on") else "pause"
    mine = bool(re.search(rf"\bmy\s+{_NOUNS}\b|\ball of mine\b|\beverything of mine\b", low))
    since = None
    if s := re.search(r"\bpaused\s+(today|this week|since monday|yesterday)\b", low):
        since = s.group(1)
    until = None
    if u := re.search(r"\b(until|till)\s+(.+)$", request, re.I):
        until = u.group(0)
    else:  # "pause everything for 2 weeks", "... for Dana for a week"; "for Dana" names no span
        fors = re.finditer(r"\bfor\s+(?=(.+)$)", request, re.I)
        until = next((request[f.start() :] for f in fors if is_span(f.group(1))), None)
    head = request[: len(request) - len(until)] if until else request
    return BulkRequest(action, _owner_in(head), mine, since, until, kind_in(head.lower()))
