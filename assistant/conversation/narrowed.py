"""Listings narrowed by a window or by where automations go: "list everything paused this
week", "what did I create this month?", "what failed last month?", "which automations ran since
Monday?", "which automations email candidates?", "which post to #hiring?", "what goes to sam?",
"which use the pipeline report?". The intent's rest is "narrow|<kind>|<words>"; each answer
says what the narrowing read (a pause's time from the audit log, a creation's from the
automation's own record) and keeps what it listed for "pause them" and "the second one"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from assistant.conversation import words
from assistant.conversation.audit_log import MORE, audit_about_one, audit_question, person
from assistant.conversation.candidates_reached import candidates_question
from assistant.conversation.questions import listing_question
from assistant.conversation.recent_runs import recent_runs
from assistant.conversation.reply import Reply
from assistant.conversation.run_tally import went_question
from assistant.conversation.sent_to import (
    ROLES,
    goes_to,
    people_named,
    sent_to_question,
    skill_named,
)
from assistant.conversation.windows import WINDOW, Window, window
from models.clock import utc
from models.store.automations import list_automations

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

_NOUN = r"(?:automations?|alerts?|reports?|reminders?|jobs?|ones?|things)"
_WHAT = rf"(?:everything|all|any ?thing|what|which(?: {_NOUN})?|(?:the |my |our )?{_NOUN})"
_W = rf"(?P<w>{WINDOW})"
_BEEN = r"(?: (?:that|which))?(?: (?:was|were|got|has been|have been|is|are|i|we|i have|we have))?"
_WINDOWED = [
    (re.compile(pattern), kind)
    for pattern, kind in (
        (rf"(?:(?:list|show|see)(?: me)? )?{_WHAT}{_BEEN} (?:paused|stopped|turned off) {_W}", "paused"),
        (rf"what (?:did|have) (?P<mine>i|we) (?:create|make|set ?up|add|build)(?: (?:that|which))?"
         rf" {_W}", "created"),
        (rf"(?:(?:list|show|see)(?: me)? )?{_WHAT}{_BEEN} (?:created|made|set ?up|added|new) {_W}",
         "created"),
        (rf"(?:(?:list|show|see)(?: me)? )?{_WHAT}(?: (?:has|have))? (?:failed|broke|errored) {_W}",
         "failed"),
        (rf"(?:list|show|see)(?: me)?(?: the| my| all)? failed runs {_W}", "failed"),
        (rf"(?:(?:list|show|see)(?: me)? )?{_WHAT}(?: (?:has|have) run| ran| fired| went out| was sent"
         rf"| were sent) {_W}", "ran"),
        (rf"(?:list|show|see)(?: me)?(?: the| my| all| our)? runs {_W}", "ran"),
    )
]  # fmt: skip


def question_about_many(low: str) -> tuple[str, str, str] | None:
    """(intent kind, ref, rest) of "more", a narrowed listing or a question about the audit
    log (`low`: plain words)."""
    if MORE.fullmatch(low):
        return "list", "", "more"
    if narrowed := narrowed_question(low):
        return "list", "", narrowed
    if audit := audit_question(low):
        return "list", "", audit.rest()
    if reached := candidates_question(low):
        return "tally", reached[0], f"candidates|{reached[1]}"
    if went := went_question(low):
        return "tally", "", went
    if about := audit_about_one(low):
        return "audit", about[0], f"log|{about[1]}"
    return None


def narrowed_question(low: str) -> str | None:
    """The rest of a listing narrowed by a window or by where it goes (`low`: plain words)."""
    for pattern, kind in _WINDOWED:
        if m := pattern.fullmatch(low):
            if kind in ("failed", "ran") and listing_question(low):
                return None  # the runs of today, yesterday or the last 7 days, as said before
            mine = "mine" if re.search(r"\b(?:i|my)\b", low) else ""
            return f"narrow|{kind}|{m.group('w')}|{mine}"
    if found := sent_to_question(low):
        return f"narrow|{found[0]}|{found[1]}|"
    return None


def narrowed(tools: Toolset, actor: Actor, state: dict[str, Any], rest: str) -> Reply:
    _, kind, said, scope = [*rest.split("|"), "", "", ""][:4]
    if kind in ("failed", "ran"):
        span = _window(tools, actor, said)
        shown = recent_runs(tools, actor, kind == "failed", "", span=span)
        runs = shown.data if isinstance(shown.data, list) else []
        state["listed"] = list(dict.fromkeys(int(r["automation_id"]) for r in runs))
        return shown
    views = tools.list_automations(actor, everyone=False if scope == "mine" else None)
    if actor.is_admin and scope != "mine":
        views += tools.list_automations(actor, system=True)
    if kind in ("paused", "created"):
        span = _window(tools, actor, said)
        noted, heading, note = _in_window(tools, actor, views, kind, span, mine=scope == "mine")
    else:
        noted, heading, note = _going(tools, actor, views, kind, said)
    state["listed"] = [v.id for v, _ in noted]
    if len(noted) == 1:
        state["focus"] = noted[0][0].id
    owner = any(v.owner_email != actor.email for v, _ in noted)
    lines = [f"{i + 1}. {words.line(v, owner=owner)}{extra}" for i, (v, extra) in enumerate(noted)]
    text = "\n".join([heading, *lines]) if noted else heading
    return Reply(
        text + (f"\n{note}" if note else ""),
        "list",
        data=[v.model_dump(mode="json") for v, _ in noted],
    )


def _window(tools: Toolset, actor: Actor, said: str) -> Window:
    span = window(said, tools.clock(), ZoneInfo(tools.zone_of(actor)))
    assert span is not None, said  # the question's words matched WINDOW
    return span


def _in_window(
    tools: Toolset,
    actor: Actor,
    views: list[AutomationView],
    kind: str,
    span: Window,
    *,
    mine: bool,
) -> tuple[list[tuple[AutomationView, str]], str, str]:
    """The views paused (and still paused) or created within `span`, each with when."""
    zone = tools.zone_of(actor)
    noted: list[tuple[AutomationView, str]] = []
    if kind == "created":
        made = {
            a.id: a.created_at for a in list_automations(tools.engine, actor.org_id, system=None)
        }
        for view in views:
            at = made.get(view.id)
            if at is not None and span.holds(at):
                noted.append((view, f" · created {words.when(utc(at), zone)}"))
        if not noted:
            nothing = "You created nothing" if mine else "Nothing was created"
            return [], f"{nothing} {span.said}.", ""
        return noted, f"Created {span.said}, as each automation's own record says:", ""
    unrecorded = 0
    for view in (v for v in views if not v.enabled):
        pauses = [
            i
            for i in tools.list_audit(actor, automation_id=view.id, limit=50).items
            if i.action == "pause"
        ]
        if not pauses:
            unrecorded += 1
        elif span.holds(pauses[0].at):
            by = person(pauses[0].actor)
            noted.append((view, f" · paused {words.when(utc(pauses[0].at), zone)} by {by}"))
    note = (
        f"{words.counted(unrecorded, 'paused automation')} {'has' if unrecorded == 1 else 'have'}"
        " no pause in the audit log, so when is not known."
        if unrecorded
        else ""
    )
    if not noted:
        return [], f"Nothing still paused was paused {span.said}.", note
    return noted, f"Paused {span.said} and still paused, as the audit log says:", note


def _going(
    tools: Toolset, actor: Actor, views: list[AutomationView], kind: str, said: str
) -> tuple[list[tuple[AutomationView, str]], str, str]:
    """The views that email, post to, go to or use what `said` names."""
    if kind == "skill":
        skill = skill_named(said, [s.name for s in tools.list_skills()])
        if skill is None:
            return [], f"No skill is called “{said}”; “list skills” shows them.", ""
        noted = [(v, "") for v in views if v.skill == skill]
        what = f"use {skill}"
    else:
        people = set() if kind == "post" or said in ROLES else people_named(tools, actor, said)
        noted = [(v, "") for v in views if goes_to(v, kind, said, people)]
        verb = {"email": "email", "post": "post to", "to": "go to"}[kind]
        what = f"{verb} {said}"
    if not noted:
        return [], f"None of {'the' if actor.is_admin else 'your'} automations {what}.", ""
    return noted, f"Automations that {what}:", ""
