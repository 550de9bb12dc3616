"""An admin's words about the team and its people, read without an LLM: who is in it, inviting
someone, a role, removing someone (and who takes their automations), handing automations
over, and a user's own API tokens. Names stay as written: the conversation looks them up among
the organisation's users, so a word nobody is called is never acted on."""

from __future__ import annotations

import re
from dataclasses import dataclass

# a person as a request names them: an address, or one or two words ("Sam", "Sam Sourcer")
_WHO = r"[\w.+'-]+@[\w.-]+\.\w+|[A-Za-z][\w.-]*(?:\s+(?-i:[A-Z])[\w-]*)?"
# many of them: "Dana's report" is one automation, "Dana's reports" all of them
_NOUNS = r"(?:automations|stuff|things|jobs|reports|alerts|reminders|work)"
_TEAM = r"(?:the\s+|our\s+|my\s+)?(?:team|organi[sz]ation|org|workspace|company|skilltick)"
_HANDING = r"(?:give|hand(?:\s+over)?|transfer|reassign|pass(?:\s+on)?)"
_PRONOUN_OF = r"(?:her|his|their)"
# words that read as a name but name nobody
NOT_PEOPLE = frozenset(
    "it this that them these those me us you him her his their everyone everybody all "
    "the a an my our every each one".split()
)


@dataclass(frozen=True, slots=True)
class TeamWish:
    """What the words ask: `kind` is team | invite | role | remove | hand_over | hand_over_all
    | tokens | revoke_token | new_token | leaving."""

    kind: str
    who: str = ""  # the person acted on (removed, invited, made admin; whose automations)
    to: str = ""  # who receives: the new owner, the heir
    ref: str = ""  # which automation ("#1", "it", "the pipeline report")
    role: str = ""  # as said: "admin", "recruiter"
    name: str = ""  # a token's name, or an invitee's name
    explicit: bool = True  # "remove Dana from the team" against a bare "remove Dana"
    rest: str = ""  # after "Dana is leaving:": the request, with "her" made "Dana's"


_LIST = re.compile(
    rf"(?:who(?:'s|\s+is|\s+are)\s+(?:in|on)\s+{_TEAM}"
    rf"|(?:list|show)(?:\s+me)?\s+(?:the\s+|our\s+|all\s+)?(?:team(?:\s+members)?|users|members|people)"
    rf"(?:\s+(?:in|of)\s+{_TEAM})?"
    r"|who\s+(?:are\s+)?(?:our|the)\s+(?:users|members|admins)|who\s+(?:has|have)\s+access"
    r"|who\s+(?:are|is)\s+(?:the\s+|our\s+)?admins?|who(?:'s|\s+is)\s+an\s+admin)",
    re.I,
)
_INVITE = re.compile(
    r"(?:please\s+)?invite\s+(?P<email>[\w.+'-]+@[\w.-]+\.\w+)(?:\s*\((?P<name>[^)]+)\))?"
    r"(?:\s+as\s+(?:an?\s+)?(?P<role>[\w -]+?))?"
    rf"(?:\s+(?:to|into)\s+{_TEAM})?",
    re.I,
)
_ROLE = re.compile(
    rf"(?:please\s+)?make\s+(?P<who>{_WHO})\s+(?:an?\s+)?(?P<role>admin|administrator|member)"
    rf"|(?:please\s+)?promote\s+(?P<who2>{_WHO})(?:\s+to\s+(?:an?\s+)?admin)?"
    rf"|(?:please\s+)?demote\s+(?P<who3>{_WHO})(?:\s+to\s+(?:an?\s+)?member)?",
    re.I,
)
_HEIR = (
    rf"(?:\s*,?\s+and\s+{_HANDING}\s+{_PRONOUN_OF}\s+{_NOUNS}(?:\s+over)?\s+to\s+(?P<heir>{_WHO}))?"
)
_REMOVE = re.compile(
    rf"(?:please\s+)?(?:remove|offboard|delete)\s+(?P<who>{_WHO})\s+from\s+{_TEAM}{_HEIR}",
    re.I,
)
_REMOVE_BARE = re.compile(rf"(?:please\s+)?(?:remove|offboard)\s+(?P<who>{_WHO}){_HEIR}", re.I)
_HAND_ALL = re.compile(
    rf"(?:please\s+)?{_HANDING}\s+(?:all(?:\s+of)?\s+|every(?:thing|\s+one)?\s+(?:of\s+)?)?"
    rf"(?P<who>{_WHO})'s?\s*(?:{_NOUNS})?(?:\s+over)?\s+to\s+(?P<to>{_WHO})"
    rf"(?:\s*,?\s+(?:and|then)\s+(?P<remove>remove\s+(?:her|him|them|{_WHO})(?:\s+from\s+{_TEAM})?))?",
    re.I,
)
_HAND_ONE = re.compile(
    rf"(?:please\s+)?{_HANDING}\s+(?P<ref>.+?)(?:\s+over)?\s+to\s+(?P<to>{_WHO})"
    rf"|(?:please\s+)?make\s+(?P<to2>{_WHO})\s+(?:the\s+)?owner\s+of\s+(?P<ref2>.+)"
    rf"|(?:please\s+)?(?:change|set)\s+(?:the\s+)?owner\s+of\s+(?P<ref3>.+?)\s+to\s+(?P<to3>{_WHO})",
    re.I,
)
_TOKENS = re.compile(
    r"(?:what|which)\s+(?:api\s+)?tokens\s+(?:do\s+i\s+have|have\s+i(?:\s+got)?|are\s+mine)"
    r"|(?:list|show)(?:\s+me)?\s+my\s+(?:api\s+)?tokens|my\s+(?:api\s+)?tokens",
    re.I,
)
_REVOKE = re.compile(
    r"(?:please\s+)?(?:revoke|delete|remove|disable)\s+(?:my\s+)?(?:api\s+)?token\s+"
    r"(?:called\s+|named\s+)?(?P<name>.+)"
    r"|(?:please\s+)?(?:revoke|delete|remove|disable)\s+(?:my\s+|the\s+)(?P<name2>.+?)\s+(?:api\s+)?token",
    re.I,
)
_NEW_TOKEN = re.compile(
    r"(?:please\s+)?(?:create|make|issue|generate|give\s+me|get\s+me|i\s+need)\s+"
    r"(?:me\s+)?(?:an?\s+)?(?:new\s+)?(?:api\s+)?token\b.*",
    re.I,
)
_LEAVING = re.compile(
    rf"(?P<who>{_WHO})\s+(?:is|will\s+be)\s+leaving(?:\s+(?:us|the\s+(?:team|company)))?"
    r"(?:(?:\s*[:,;.-]+\s*|\s+(?:so|and)\s+)(?P<rest>.+))?",
    re.I,
)


def team_wish(text: str) -> TeamWish | None:
    """What `text` asks of the team, or None when it is about something else."""
    said = re.sub(r"\s+", " ", text.strip().replace("\u2019", "'")).rstrip(" ?.!")
    if m := _LEAVING.fullmatch(said):
        if _nobody(m.group("who")):
            return None
        rest = _pronouns_named(m.group("rest") or "", m.group("who"))
        return TeamWish("leaving", who=m.group("who"), rest=rest)
    if _LIST.fullmatch(said):
        return TeamWish("team")
    if _TOKENS.fullmatch(said):
        return TeamWish("tokens")
    if m := _REVOKE.fullmatch(said):
        return TeamWish("revoke_token", name=(m.group("name") or m.group("name2")).strip(" \"'“”"))
    if _NEW_TOKEN.fullmatch(said):
        return TeamWish("new_token")
    if m := _INVITE.fullmatch(said):
        role = (m.group("role") or "member").strip()
        return TeamWish("invite", who=m.group("email"), role=role, name=m.group("name") or "")
    if m := _HAND_ALL.fullmatch(said):
        if _nobody(m.group("who")) or _nobody(m.group("to")):
            return None
        kind = "remove" if m.group("remove") else "hand_over_all"
        return TeamWish(kind, who=m.group("who"), to=m.group("to"))
    if m := _HAND_ONE.fullmatch(said):
        to = next(g for g in m.group("to", "to2", "to3") if g)
        ref = next(g for g in m.group("ref", "ref2", "ref3") if g)
        # "give a weekly summary to Sam" may be a new request: only an automation found counts
        explicit = not m.group("to")
        if _nobody(to) or (not explicit and re.match(r"(?:an?|some|one|me)\b", ref, re.I)):
            return None  # "give a summary of my pipeline to Sam": something new
        return TeamWish("hand_over", to=to, ref=ref, explicit=explicit)
    if m := _ROLE.fullmatch(said):
        who = next(g for g in m.group("who", "who2", "who3") if g)
        role = (
            "member" if m.group("who3") or (m.group("role") or "").lower() == "member" else "admin"
        )
        return None if _nobody(who) else TeamWish("role", who=who, role=role)
    for pattern, explicit in ((_REMOVE, True), (_REMOVE_BARE, False)):
        if (m := pattern.fullmatch(said)) and not _nobody(m.group("who")):
            return TeamWish(
                "remove", who=m.group("who"), to=m.group("heir") or "", explicit=explicit
            )
    return None


def _nobody(word: str) -> bool:
    return word.lower() in NOT_PEOPLE or word[:1] == "#" or word.isdigit()


def _pronouns_named(rest: str, who: str) -> str:
    """ "pause everything of hers" → "pause everything of Dana's", "remove her" → "remove Dana"."""
    rest = re.sub(rf"\b{_PRONOUN_OF}(?=\s+{_NOUNS}\b)", f"{who}'s", rest, flags=re.I)
    rest = re.sub(r"\b(?:hers|his|theirs)\b", f"{who}'s", rest, flags=re.I)
    return re.sub(r"\b(?:her|him|them)\b", who, rest, flags=re.I)
