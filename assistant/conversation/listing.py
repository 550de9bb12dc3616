"""Listing automations in the conversation ("list", "list paused", "what is failing?") and
asking which of several is meant; the engine keeps what was listed so "it", "the second one"
and "#5" can refer to it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.audit_log import AuditAsk, audit_log, audit_more
from assistant.conversation.each_chosen import offers_every
from assistant.conversation.event_questions import event_answer
from assistant.conversation.intents import Intent
from assistant.conversation.narrowed import narrowed
from assistant.conversation.recent_runs import recent_runs
from assistant.conversation.refer import THIS
from assistant.conversation.reply import Choice, Reply
from assistant.conversation.upcoming import upcoming
from assistant.conversation.usage_talk import usage_answer
from assistant.conversation.whose import owner_named
from assistant.language.kind_words import kind_noun, of_kind

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

# the states a listing can be narrowed to ("list paused", "what is failing?")
STATES: dict[str, Callable[[AutomationView], bool]] = {
    "paused": lambda v: not v.enabled,
    "active": lambda v: v.enabled,
    "failing": lambda v: v.consecutive_failures > 0 or v.last_run_status in ("failed", "partial"),
}


def listing(tools: Toolset, actor: Actor, state: dict[str, Any], rest: str) -> Reply:
    """Your automations (admins: everyone's, then the organisation's system jobs; "mine":
    only your own; "system": only the system jobs, admins only), those in one state only
    when `rest` names it ("mine paused"), counted first when it says "count"."""
    if rest.startswith("audit|"):
        return audit_log(tools, actor, state, AuditAsk.of(rest))
    if rest.startswith("usage|"):
        _, asked, text = rest.split("|", 2)
        return usage_answer(tools, actor, asked, text)
    if rest.startswith("on|"):
        return event_answer(tools, actor, state, rest.removeprefix("on|"))
    if rest == "more":
        return audit_more(tools, actor, state)
    state.pop("more", None)  # "more" continues only the audit answer just given
    if rest.startswith("narrow|"):
        return narrowed(tools, actor, state, rest)
    whose = owner_email = ""
    if rest.startswith("owner|"):  # "show dana's automations"
        _, who, rest = rest.split("|", 2)
        owner_email, whose = owner_named(tools, actor, who)
    said = rest.split()
    if said[:1] == ["upcoming"]:
        return upcoming(tools, actor, state, " ".join(said[1:]))
    if said[:1] == ["runs"]:
        window = next((w for w in said[1:] if w != "failed"), "")
        shown = recent_runs(tools, actor, "failed" in said, window)
        # "pause them" after "what failed today?" means the automations of the runs shown
        runs = shown.data if isinstance(shown.data, list) else []
        state["listed"] = list(dict.fromkeys(int(r["automation_id"]) for r in runs))
        return shown
    scope = next((w for w in said if w in ("mine", "everyone", "system")), "")
    wanted = next((w for w in said if w in STATES), "")
    views = _views(tools, actor, scope, owner_email)
    if wanted:
        views = [v for v in views if STATES[wanted](v)]
    kind = next((w.removeprefix("kind:") for w in said if w.startswith("kind:")), "")
    if kind:
        views = [v for v in views if of_kind(v, kind)]
    state["listed"] = [v.id for v in views]
    if len(views) == 1:
        state["focus"] = views[0].id  # "pause it" now means the one shown
    if scope == "system" and not views:
        return Reply("The organisation has no system jobs.", "list", data=[])
    if whose and not views:
        noun = kind_noun(kind) if kind else "automations"
        return Reply(f"{whose} has no {' '.join(filter(None, (wanted, noun)))}.", "list", data=[])
    if kind and not views:
        whose = "You have" if scope == "mine" or not actor.is_admin else "There are"
        none_of = " ".join(filter(None, (wanted, kind_noun(kind))))
        return Reply(f"{whose} no {none_of}.", "list", data=[])
    if wanted and not views:
        return Reply(
            f"None of {'your' if scope == 'mine' else 'the'} automations is {wanted}.",
            "list",
            data=[],
        )
    if not views:
        return Reply(
            "No automations yet. Tell me what you'd like, e.g. “Every Monday at 9am, send me "
            "a summary of my pipeline”.",
            "list",
            data=[],
        )
    owner = any(v.owner_email != actor.email for v in views)
    lines = [f"{i + 1}. {words.line(v, owner=owner)}" for i, v in enumerate(views)]
    if "count" in said:
        counted = _counted(len(views), wanted, mine=scope == "mine" or not owner)
        if kind:  # "You have 2 reminders:"
            noun = kind_noun(kind, len(views))
            counted = re.sub(r"\bautomations?\b", noun, counted, count=1)
        lines.insert(0, counted)
    return Reply("\n".join(lines), "list", data=[v.model_dump(mode="json") for v in views])


def _views(tools: Toolset, actor: Actor, scope: str, owner_email: str) -> list[AutomationView]:
    """The automations a listing starts from: one person's (`owner_email`: a member naming
    someone else is refused in one line), the system jobs, or those of `scope`."""
    if owner_email:
        return tools.list_automations(actor, owner_email=owner_email)
    if scope == "system":
        return tools.list_automations(actor, system=True)
    everyone = True if scope == "everyone" else False if scope == "mine" else None
    views = tools.list_automations(actor, everyone=everyone)
    if actor.is_admin and scope != "mine":
        views += tools.list_automations(actor, system=True)
    return views


def _counted(count: int, wanted: str, *, mine: bool) -> str:
    """ "You have 3 automations:", "You have 1 paused automation:", "2 automations are
    failing:"."""
    if mine:
        return f"You have {words.counted(count, f'{wanted} automation'.strip())}:"
    noun = words.counted(count, "automation")
    if wanted:
        return f"{noun} {'is' if count == 1 else 'are'} {wanted}:"
    return f"{noun} in the organisation:"


def ask_which(
    state: dict[str, Any], intent: Intent, candidates: list[AutomationView], intro: str
) -> Reply:
    """Ask which of `candidates` the intent is about; "the second one" or "#5" answers."""
    state["pending"] = {
        "kind": "choose",
        "candidates": [v.id for v in candidates],
        "intent": {"kind": intent.kind, "rest": intent.rest},
    }
    options = [f"{i + 1}. {words.line(v)}" for i, v in enumerate(candidates)]
    hint = "Say “the first one”, “the second one” or its number."
    choices = [Choice(f"#{v.id} {v.name}", f"#{v.id}") for v in candidates[:5]]
    if offers_every(intent.kind) and intent.ref.strip().lower() not in THIS:
        # "pause my pipeline report" may mean each of them; "pause it" means one
        every = "both" if len(candidates) == 2 else "all of them"
        hint = hint.replace(" or its number.", f", its number or “{every}”.")
        choices.append(Choice(every.capitalize(), every))
    return Reply(
        f"{intro}\n" + "\n".join(options) + "\n" + hint,
        "choose",
        choices=choices,
        data=[v.model_dump(mode="json") for v in candidates],
    )


def bulk_preview(tools: Toolset, actor: Actor, state: dict[str, Any], text: str) -> Reply:
    """What a change to many ("pause all my reports") would do, waiting for “yes”."""
    preview = tools.bulk(actor, text, confirm=False)
    if not preview.automation_ids:
        return Reply(preview.message, "info", data=preview.model_dump(mode="json"))
    state["pending"] = {"kind": "bulk", "request": text}
    message = preview.message.replace(" Confirm to go ahead.", "")
    return Reply(
        f"{message} Say “yes” to go ahead or “no” to leave them.",
        "confirm",
        choices=[
            Choice(f"{preview.action.title()} {len(preview.automation_ids)}", "yes", "danger"),
            Choice("Leave them", "no"),
        ],
        data=preview.model_dump(mode="json"),
    )
