"""A teammate's automations by their name ("show dana's automations", "list Sam Sourcer's
paused reminders", "sam@acme.com's automations"): an admin sees that person's; a member
naming someone else is told in one line what they may list."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.conversation.phrasings import BULK_NOUN, Intent
from assistant.conversation.questions import plain
from assistant.language.kind_words import kind_in
from assistant.language.teammate_words import Teammate, teammates_called
from models.errors import InvalidInput, NotFound
from models.store.orgs import list_users

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

# "show dana's automations", "what are Dana Recruiter's paused ones?"; the person is one or
# two words or an address, never a word that names no one ("my", "the team's")
_WHOSE = re.compile(
    r"(?:list|show|show me|see|what are|which are|give me)(?: all)?(?: of)? "
    r"(?P<who>[\w.+@-]+(?: [\w-]+)?)'s?"
    rf"(?: (?P<state>paused|active|failing))? (?:ones|automation|{BULK_NOUN})"
)
_NOBODY = {"everyone", "everybody", "the team", "team", "the org", "org", "the organisation",
           "the organization", "organisation", "organization", "our", "my", "the", "all"}  # fmt: skip
_WHEN = re.compile(
    r"(?:today|tonight|tomorrow|yesterday|weekend|(?:this|last|next) \w+"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)


def read_whose(low: str) -> Intent | None:
    """The listing of one person's automations: rest "owner|<who>|<state> kind:<kind>"."""
    said = plain(low)
    m = _WHOSE.fullmatch(said)
    if m is None or m["who"] in _NOBODY or m["who"].split()[0] in _NOBODY:
        return None
    if _WHEN.fullmatch(m["who"]):  # "today's reminders" are about a day, not a person
        return None
    kind = kind_in(said)
    rest = " ".join(w for w in (m["state"], f"kind:{kind}" if kind else "") if w)
    return Intent("list", rest=f"owner|{m['who']}|{rest}")


def owner_named(tools: Toolset, actor: Actor, who: str) -> tuple[str, str]:
    """The email and name of the one user `who` names (full or first name, address)."""
    users = list_users(tools.engine, actor.org_id)
    found = teammates_called(who, [Teammate(u.name, u.email) for u in users])
    if not found:
        raise NotFound(f"Nobody called “{who}” in your organisation.")
    if len(found) > 1:
        emails = ", ".join(p.email for p in found)
        raise InvalidInput(f"Several people are called “{who}” ({emails}): say the address.")
    return found[0].email, found[0].name or found[0].email
