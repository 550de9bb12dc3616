"""Where an automation goes, as a question about many asks it: "which automations email
candidates?", "which post to #hiring?", "what goes to sam?", "which use the pipeline report?".
A role ("candidates", "hiring managers", "my team"), a person (a name, an address, "me") or a
Slack channel is matched against each automation's channel and recipients."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from models.store.orgs import list_users

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

_NOUN = r"(?:automations?|alerts?|reports?|reminders?|jobs?|ones?|things)"
_WHICH = (
    rf"(?:(?:which|what)(?: of (?:my|our|the))?(?: {_NOUN})?|(?:does|do|is|are) (?:there )?"
    rf"any ?(?:thing|{_NOUN}|of (?:my|our|the) {_NOUN})?|(?:list|show)(?: me)?(?: the)? {_NOUN}"
    r"(?: that)?)"
)
_ASKED = [
    (re.compile(pattern), kind)
    for pattern, kind in (
        (rf"{_WHICH} (?:e-?mails?|mails?|messages?|writes? to) (?P<x>.+)", "email"),
        (rf"{_WHICH} (?:posts?|go|goes|go out|are posted|is posted|gets? posted) (?:to|in|into|on) "
         r"(?P<x>#[\w-]+)(?: on slack| in slack)?", "post"),
        (rf"{_WHICH} (?:go|goes|are sent|is sent|gets? sent|sends?|are going|is going|are delivered"
         r"|is delivered) to (?P<x>.+)", "to"),
        (rf"{_WHICH} (?:uses?|is using|are using|is built on|are built on|runs?) (?:the |a )?"
         r"(?P<x>[\w -]+?)(?: skill)?", "skill"),
    )
]  # fmt: skip
# roles an automation's recipients name, as a question says them
ROLES = {
    "candidate": "candidate",
    "candidates": "candidate",
    "the candidate": "candidate",
    "the candidates": "candidate",
    "hiring manager": "hiring_manager",
    "hiring managers": "hiring_manager",
    "the hiring manager": "hiring_manager",
    "interviewer": "interviewer",
    "interviewers": "interviewer",
    "the interviewers": "interviewer",
    "team": "team",
    "my team": "team",
    "the team": "team",
}
_ME = ("me", "myself", "us")
# skills whose own work writes to candidates, whatever the recipients say
_WRITES_TO_CANDIDATES = ("nurture-sequence",)


def sent_to_question(low: str) -> tuple[str, str] | None:
    """(kind: "email", "post", "to" or "skill"; the words after it) of a question asking
    which automations go somewhere."""
    for pattern, kind in _ASKED:
        if m := pattern.fullmatch(low):
            said = m.group("x").strip()
            if kind == "to" and said.startswith("#"):
                return "post", said
            if kind == "skill" and re.search(r"\b(?:today|tomorrow|next|tonight|week)\b", said):
                return None  # "which ones run today?" asks what runs when
            return kind, said
    return None


def skill_named(said: str, names: list[str]) -> str | None:
    """The skill `said` names ("the pipeline report", "follow-ups", "nurture sequences")."""
    key = _key(re.sub(r"^(?:the|a|an|my|our) ", "", said).removesuffix(" skill"))
    return next((n for n in names if _key(n) == key), None)


def _key(words: str) -> str:
    return re.sub(r"[^a-z]", "", words.lower()).removesuffix("s")


def people_named(tools: Toolset, actor: Actor, said: str) -> set[str]:
    """The addresses of the people `said` names: the speaker's for "me", an address, or
    everyone whose name has the word or whose address starts with it ("sam")."""
    word = said.lower()
    if word in _ME:
        return {actor.email.lower()}
    if "@" in word:
        return {word}
    return {
        u.email.lower()
        for u in list_users(tools.engine, actor.org_id)
        if word in (u.name or "").lower().split()
        or u.email.lower().split("@")[0].split(".")[0] == word
    }


def goes_to(view: AutomationView, kind: str, said: str, people: set[str]) -> bool:
    """Whether `view` emails (kind "email"), posts to ("post") or goes to ("to") `said`
    (`people`: the addresses it names, from people_named)."""
    if kind == "post":
        return view.output_channel == "slack" and said.lower() in (t.lower() for t in view.to)
    role = ROLES.get(said)
    if role == "candidate" and _writes_to_candidates(view):
        return True  # its own steps email candidates, whatever its output channel
    if kind == "email" and view.output_channel != "email":
        return False
    if role:
        return role in view.to
    return any((view.owner_email if r == "me" else r).lower() in people for r in view.to)


def _writes_to_candidates(view: AutomationView) -> bool:
    if view.skill in _WRITES_TO_CANDIDATES:
        return True
    steps = view.params.get("actions") or view.params.get("steps") or []
    return any(isinstance(s, dict) and s.get("to") == "candidate" for s in steps)
