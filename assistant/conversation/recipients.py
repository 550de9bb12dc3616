"""Changing who gets an automation, in words: "add sam to it", "cc priya@example.com", "also
send it to Sam", "remove sam from it", "stop sending it to sam", "send the pipeline report to
sam instead". The intent's rest is "add <people>", "remove <people>" or "only <people>"; the
tool set finds each person and stores the new list (its checks apply), and the reply reads
back who gets it now."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.reply import Reply
from assistant.language.draft import recipient_words
from assistant.language.stage_words import known_stage
from assistant.language.words import DAY_RE

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

# the automation: "it", "#6", or a description starting with the/my/our ("the hiring report")
_REF = r"(?P<ref>it|that|this|that one|this one|#\d+|(?:the|my|our)\s+[\w\s'-]+?)"
# people: addresses, "me", or names of up to three words, joined by "and" or commas
_WHO = r"(?P<who>[\w.+'@-]+(?:(?:\s*,\s*|\s+)[\w.+'@-]+)*?)"
# words that make the "people" something else: a channel, a schedule, a role, a whole group
_NOT_PEOPLE = {
    "a", "an", "the", "my", "our", "it", "that", "this", "them", "on", "in", "by", "via", "at",
    "every", "each", "instead", "only", "slack", "email", "e-mail", "mail", "dm", "daily",
    "weekly", "monthly", "team", "everyone", "everybody", "all", "hiring", "manager",
    "managers", "candidate", "candidates", "interviewer", "interviewers", "recruiters",
    "channel", "webhook", "app", "too", "also", "well", "us", "to", "from", "for", "of", "with",
}  # fmt: skip
# "just fridays", "only weekdays": days and times are a schedule's, never people
_TIME_WORD = re.compile(
    rf"{DAY_RE}|weekdays?|weekends?|mornings?|afternoons?|evenings?|nights?|days?|weeks?"
    r"|months?|once|twice|today|tomorrow|noon|midnight|hourly"
)
_TOO = r"(?:\s+(?:too|as well|also))?"
# changes to who gets a request kept while its question waits (each is made to its draft)
MOST_NOTED = 20
_ADD = (
    rf"(?:also\s+)?(?:add|cc|copy in|copy|loop in|include)\s+{_WHO}(?:\s+in)?"
    rf"(?:\s+(?:to|on|in on|into)\s+{_REF})?{_TOO}",
    rf"also\s+(?:send|copy|cc)\s+{_REF}\s+to\s+{_WHO}{_TOO}",
    rf"send\s+{_REF}\s+to\s+{_WHO}\s+(?:too|as well)",
)
_REMOVE = (
    rf"(?:remove|drop|take|delete|uncc)\s+{_WHO}\s+(?:off|from|out of)\s+{_REF}",
    rf"(?:stop|quit)\s+(?:sending|copying|cc'?ing|emailing)\s+{_REF}\s+to\s+{_WHO}(?:\s+any ?more)?",
    rf"(?:don't|do not|no longer)\s+(?:send|copy|cc)\s+{_REF}\s+to\s+{_WHO}(?:\s+any ?more)?",
    # "stop sending sam the report" ("stop sending me the report" pauses it)
    rf"(?:stop|quit)\s+(?:sending|copying|cc'?ing|emailing)\s+(?!(?:me|us)\s){_WHO}\s+{_REF}"
    r"(?:\s+any ?more)?",
)
_ONLY = (
    rf"send\s+{_REF}\s+(?:only\s+|just\s+)?to\s+{_WHO}(?:\s+instead|\s+only)?",
    rf"(?:only|just)\s+send\s+(?:{_REF}\s+)?to\s+{_WHO}",
    # said bare, only addresses: "only interviews" is no one, "just me" may be whose
    # candidates a report covers
    r"(?:only|just)\s+(?P<who>[\w.+-]+@[\w.-]+(?:\s*(?:,|and)\s*[\w.+-]+@[\w.-]+)*)",
)


def recipient_change(text: str) -> tuple[str, str] | None:
    """(ref, "add|remove|only who") of a change to who gets an automation, or None when
    `text` is not one."""
    said = text.strip().rstrip(".!")
    for action, patterns in (("add", _ADD), ("remove", _REMOVE), ("only", _ONLY)):
        for pattern in patterns:
            m = re.fullmatch(pattern, said, re.I)
            if not m:
                continue
            who, ref = m.group("who"), m.groupdict().get("ref") or ""
            if (
                action == "only"
                and who.lower() in ("me", "us")
                and not re.search(r"\b(?:only|just)\b", said, re.I)
            ):
                return None  # "send it to me instead": the output's own change (email, DM)
            if _people(who):
                return ref, f"{action} {who}"
    return None


def _people(who: str) -> list[str]:
    """The people `who` names, or [] when it is not only people ("#hiring", "me on slack")."""
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+and\s+", who) if p.strip()]
    for part in parts:
        if "@" in part:
            if not re.fullmatch(r"[^\s@]+@[^\s@]+\.[^\s@]+", part):
                return []
            continue
        tokens = part.lower().split()
        if known_stage(part) is not None:
            return []  # "include offer too": a stage an automation keeps to, not a person
        if len(tokens) > 3 or any(
            t in _NOT_PEOPLE or _TIME_WORD.fullmatch(t) or not re.fullmatch(r"[a-z][a-z'-]*", t)
            for t in tokens
        ):
            return []
    return parts


def draft_recipients(tools: Toolset, actor: Actor, rest: str) -> str | None:
    """The change a draft reads for adding people ("also send it to sam@…"), each person
    named by their address; None for a removal (the draft reads it as said)."""
    action, _, who = rest.partition(" ")
    if action == "remove":
        return None
    addresses = [
        "me" if p.lower() == "me" else tools.person_named(actor, p).address for p in _people(who)
    ]
    return f"{'also ' if action == 'add' else ''}send it to {' and '.join(addresses)}"


def change_recipients(tools: Toolset, actor: Actor, automation_id: int, rest: str) -> Reply:
    action, _, who = rest.partition(" ")
    people = _people(who)
    if action == "only":
        done = tools.change_recipients(actor, automation_id, add=people, remove=[], only=True)
        return Reply(
            f"{words.title(done.view)} now goes {_to_whom(done.view, actor)} only.",
            "done" if done.changed else "info",
            data=done.view.model_dump(mode="json"),
            automation_id=done.view.id,
        )
    adding = action == "add"
    done = tools.change_recipients(
        actor, automation_id, add=people if adding else [], remove=[] if adding else people
    )
    view = done.view
    said: list[str] = []
    if done.changed:
        listed = words.listed([p.shown for p in done.changed])
        said.append(f"{'Added' if adding else 'Removed'} {listed} {'to' if adding else 'from'}")
        said[-1] += f" {words.title(view)}."
    if done.unchanged:
        listed = words.listed([p.shown for p in done.unchanged])
        state = "already gets it" if adding else "doesn't get it"
        many = "already get it" if adding else "don't get it"
        said.append(f"{listed} {state if len(done.unchanged) == 1 else many}; no change there.")
    said.append(f"It goes {_to_whom(view, actor)}.")
    return Reply(
        " ".join(said),
        "done" if done.changed else "info",
        data=view.model_dump(mode="json"),
        automation_id=view.id,
    )


def _to_whom(view: AutomationView, actor: Actor) -> str:
    """ "by email to you and sam@…": the recipients as the speaker reads them."""
    mine = view.owner_email.lower() == actor.email.lower()
    shown = [
        ("you" if mine else view.owner_email) if e.lower() in ("me", "owner") else e
        for e in view.to
    ]
    shown = ["you" if s.lower() == actor.email.lower() else s for s in shown]
    channel = {"in_app": "in the app", "slack": "on Slack", "webhook": "by webhook"}
    how = channel.get(view.output_channel, f"by {view.output_channel}")
    return f"{how} to {words.listed(list(dict.fromkeys(shown)))}"


def noted_recipients(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    pending: dict[str, Any],
    rest: str,
    said: str,
) -> Reply:
    """A change to who gets a request still waiting for its question's answer: kept with it,
    made to its draft once the answer makes one."""
    action, _, who = rest.partition(" ")
    noted_before = list(pending.get("then", []))
    if len(noted_before) >= MOST_NOTED:
        return Reply(
            f"I've noted {MOST_NOTED} changes to who gets it already; answer the question "
            f"first, then change the draft. {pending['question']}",
            "question",
        )
    people = " and ".join(_people(who)) or who
    change = draft_recipients(tools, actor, rest) or said  # an unknown name refuses here
    state["pending"] = {**pending, "then": [*noted_before, change]}
    noted = {
        "add": f"it will also go to {people}",
        "only": f"it will go only to {people}",
        "remove": f"it won't go to {people}",
    }[action]
    return Reply(f"Noted: {noted} once it's set up. {pending['question']}", "question")


def who_else(tools: Toolset, actor: Actor, automation_id: int, rest: str) -> Reply:
    """ "who else gets it?": who gets it other than the speaker ("me" in its list is its
    owner), and whether the speaker gets it at all."""
    view = tools.read_automation(actor, automation_id)
    me = actor.email.lower()
    everyone = [view.owner_email if t.lower() in ("me", "owner") else t for t in view.to]
    others = [t for t in everyone if t.lower() != me]
    how = _BY.get(view.output_channel, f"by {view.output_channel}")
    named = words.listed([recipient_words(t) for t in others])
    if not others:
        text = f"Nobody else: {words.title(view)} goes only to you ({how})."
    elif len(others) < len(everyone):
        text = f"Besides you, {words.title(view)} goes to {named} ({how})."
    else:
        text = f"{words.title(view)} goes to {named} ({how}); not to you."
    return Reply(text, "info", data=view.model_dump(mode="json"), automation_id=view.id)


_BY = {"email": "by email", "slack": "on Slack", "webhook": "by webhook", "in_app": "in the app"}
