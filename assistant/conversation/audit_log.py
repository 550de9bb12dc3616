"""The audit log asked about in chat: "show the audit log", "what changed today?", "what did
sam change this week?", "what happened to #4 yesterday?", "recent changes". Read through the
tool set's list_audit, so an admin sees the organisation's entries and a member those about
their own automations (and their own actions), as GET /api/audit shows them. A few newest
lines, each in words and in the speaker's zone; "more" shows the next few."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from assistant.conversation.reply import Reply
from assistant.conversation.windows import WINDOW, Window, window
from models.clock import utc
from models.store.orgs import list_users

if TYPE_CHECKING:
    from assistant.tools.audit import AuditItem
    from assistant.tools.toolset import Actor, Toolset

SHOWN = 5  # lines an answer shows; "more" shows as many again
_PAGE = 200
_READ = 10  # pages read at most for one answer (2,000 entries)
_W = rf"(?: (?P<w>{WINDOW}))?"
_LOG = (
    r"(?:audit log|audit trail|change ?log|change history|(?:recent|latest|last) changes|changes)"
)
_VERB = (
    r"(?:changed?|edit(?:ed)?|done|do|did|touch(?:ed)?|modif(?:ied|y)|paused?|resumed?|"
    r"created?|deleted?|made|make)"
)
_WHO = r"(?P<who>[a-z][\w.'@+-]*)"
_NOUNS = {"pause": "pauses", "resume": "resumes", "create": "creations", "delete": "deletions"}
_ACTIONS = {"pause": "pause", "resume": "resume", "create": "create", "delete": "delete"}
_LOG_QUESTIONS = [
    re.compile(pattern)
    for pattern in (
        # "show the audit log", "list recent changes today", "audit log"
        rf"(?:(?:show|list|see|give|open|read|get)(?: me)? )?(?:the |our |my |all )?{_LOG}{_W}",
        # "what changed today?", "what has happened this week?", "anything changed?"
        rf"(?:what|which things|anything|has anything|did anything)(?: has| have)? "
        rf"(?:changed|happened|been changed|change|happen){_W}",
        # "what did sam change this week?", "what has dana paused since monday?"
        rf"what (?:did|has|have) {_WHO} (?P<verb>{_VERB})(?: anything)?{_W}",
        # "what changes did sam make?", "who changed what today?", "who paused anything?"
        rf"what changes (?:did|has|have) {_WHO} (?:make|made){_W}",
        rf"who (?P<verb>{_VERB}) (?:what|anything|something|things){_W}",
        rf"(?:what|which) changes (?:were|have been|got) made{_W}",
    )
]
_ABOUT_ONE = re.compile(
    rf"(?:what (?:happened|has happened|changed|has changed) (?:to|with)|(?:show )?(?:me )?"
    rf"(?:the )?(?:audit log|change history) (?:of|for|on)) (?P<ref>.+?){_W}"
)
MORE = re.compile(
    r"(?:show |say |give me |tell me )?(?:more|the rest|older(?: ones)?|next(?: page)?)"
)


@dataclass(frozen=True, slots=True)
class AuditAsk:
    window: str = ""
    who: str = ""  # "" anyone; "i": the speaker; else a name or address
    action: str = ""  # "" any; "pause", "resume", "create", "delete"

    def rest(self) -> str:
        return f"audit|{self.window}|{self.who}|{self.action}"

    @staticmethod
    def of(rest: str) -> AuditAsk:
        _, w, who, action = [*rest.split("|"), "", "", ""][:4]
        return AuditAsk(w, who, action)


def audit_question(low: str) -> AuditAsk | None:
    """A question about the audit log as a whole (`low`: plain, lower-case words)."""
    for pattern in _LOG_QUESTIONS:
        if m := pattern.fullmatch(low):
            named = m.groupdict()
            who = named.get("who") or ""
            who = {"i": "i", "me": "i", "we": ""}.get(who, who)
            if who in ("it", "that", "this", "they", "anyone", "someone", "anybody", "who"):
                return None
            action = _ACTIONS.get(re.sub(r"d$", "", named.get("verb") or ""), "")
            return AuditAsk(named.get("w") or "", who, action)
    return None


def audit_about_one(low: str) -> tuple[str, str] | None:
    """ "what happened to #4 yesterday?": (the automation's words, the window's)."""
    if m := _ABOUT_ONE.fullmatch(low):
        return m.group("ref"), m.group("w") or ""
    return None


def audit_log(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any] | None,
    ask: AuditAsk,
    *,
    automation_id: int | None = None,
    skip: int = 0,
) -> Reply:
    """The newest entries `ask` selects (after the first `skip`), a few lines in words;
    `state` None: the conversation cannot keep the place, so "more" is not offered."""
    keep: dict[str, Any] = {} if state is None else state
    zone = ZoneInfo(tools.zone_of(actor))
    now = tools.clock()
    span = window(ask.window, now, zone) if ask.window else None
    people = _people(tools, actor, ask.who)
    if people is not None and not people:
        keep["more"] = None
        return Reply(f"Nobody called “{ask.who}” is in the organisation.", "error")
    found, complete = _entries(tools, actor, automation_id, span, people, ask.action)
    shown = found[skip : skip + SHOWN]
    whose = "" if actor.is_admin else " about your automations"
    about = f" to #{automation_id}" if automation_id is not None else ""
    by = _by(actor, ask.who, people)
    said = f" {span.said}" if span else ""
    if not shown:
        keep["more"] = None
        noun = _NOUNS.get(ask.action, "changes")
        nothing = f"No more {noun}" if skip else f"No {noun}"
        verb = " were recorded" if span else " are recorded"
        return Reply(f"{nothing}{about}{by}{whose}{verb}{said}.", "list", data=[])
    names = {v.id: v.name for v in tools.readable_automations(actor)}
    lines = [_line(item, names, zone, now) for item in shown]
    left = len(found) - skip - len(shown)
    keep["more"] = (
        {"rest": ask.rest(), "automation_id": automation_id, "skip": skip + len(shown)}
        if left > 0 or not complete
        else None
    )
    noun = _NOUNS.get(ask.action, "changes")
    older = f"Older {noun}" if skip else noun.capitalize()
    text = f"{older}{about}{by}{whose}{said}, newest first:\n" + "\n".join(lines)
    if left > 0 or not complete:
        counted = f"{left}{'' if complete else '+'}" if left > 0 else "more"
        ask_more = "; say “more” to see them" if state is not None else ""
        text += f"\n…and {counted} older{ask_more}."
    if automation_id is not None:
        return Reply(
            text,
            "info",
            data=[i.model_dump(mode="json") for i in shown],
            automation_id=automation_id,
        )
    return Reply(text, "list", data=[i.model_dump(mode="json") for i in shown])


def audit_more(tools: Toolset, actor: Actor, state: dict[str, Any]) -> Reply:
    """ "more" after an audit answer: the next few older entries."""
    more = state.get("more")
    if not more:
        return Reply(
            "There is nothing more to show; ask again, e.g. “show the audit log”.", "error"
        )
    return audit_log(
        tools,
        actor,
        state,
        AuditAsk.of(more["rest"]),
        automation_id=more.get("automation_id"),
        skip=int(more["skip"]),
    )


def _entries(
    tools: Toolset,
    actor: Actor,
    automation_id: int | None,
    span: Window | None,
    people: set[int] | None,
    action: str,
) -> tuple[list[AuditItem], bool]:
    """The entries asked for, newest first, and whether every entry was looked through."""
    found: list[AuditItem] = []
    cursor: int | None = None
    for _ in range(_READ):
        page = tools.list_audit(actor, automation_id=automation_id, cursor=cursor, limit=_PAGE)
        for item in page.items:
            at = utc(item.at)
            if span is not None and at >= span.end:
                continue
            if span is not None and at < span.start:
                return found, True  # entries are read newest first: the rest are older
            if people is not None and item.actor_user_id not in people:
                continue
            if action and item.action != action:
                continue
            found.append(item)
        if page.next_cursor is None:
            return found, True
        cursor = page.next_cursor
    return found, False


def _people(tools: Toolset, actor: Actor, who: str) -> set[int] | None:
    """The ids of the people `who` names; None: anyone."""
    if not who:
        return None
    if who == "i":
        return {actor.user_id}
    word = who.removesuffix("'s").lower()
    users = list_users(tools.engine, actor.org_id)
    return {
        u.id or 0
        for u in users
        if u.email.lower() == word
        or u.email.lower().split("@")[0].split(".")[0] == word
        or word in (u.name or "").lower().split()
    }


def _by(actor: Actor, who: str, people: set[int] | None) -> str:
    if not people:
        return ""
    return " by you" if people == {actor.user_id} and who == "i" else f" by {who.title()}"


_NAMED = re.compile(r"^(?P<name>.+) \([^()]*@[^()]*\)$")


def person(actor: str) -> str:
    """An entry's actor as a sentence names them: "Sam Sourcer", "skilltick itself"."""
    if actor == "system":
        return "skilltick itself"
    m = _NAMED.match(actor)
    return m.group("name") if m else actor


def _line(item: AuditItem, names: dict[int, str], zone: ZoneInfo, now: datetime) -> str:
    """ "Tue 10:02 EST · Sam Sourcer paused #3 “Follow-ups due”"."""
    local = utc(item.at).astimezone(zone)
    recent = utc(now) - utc(item.at) < timedelta(days=6)
    stamp = f"{local:%a %H:%M %Z}" if recent else f"{local:%a %d %b %H:%M %Z}"
    who = person(item.actor)
    summary = item.summary
    if item.automation_id is not None and item.automation_id in names:
        summary = re.sub(
            rf"#{item.automation_id}\b",
            f"#{item.automation_id} “{names[item.automation_id]}”",
            summary,
            count=1,
        )
    return f"{stamp} · {who} {summary}"
