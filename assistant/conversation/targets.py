"""Finding the automation a message about one names ("pause it", "#5", "the second one", "my
pipeline report"): the one spoken about, a place in the last listing, or a match among the
speaker's automations; when several fit, the question which one; when none, one line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.conversation.actions import act
from assistant.conversation.intents import Intent
from assistant.conversation.listing import ask_which
from assistant.conversation.positions import by_number, no_listing, out_of_range, position
from assistant.conversation.refer import THIS, resolve, subject_of
from assistant.conversation.reply import Reply
from assistant.conversation.unanswered import cant_answer
from assistant.conversation.upcoming import NEXT_ONE, soonest
from assistant.language.automation_refs import automation_vocabulary, could_refer

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView


def on_target(tools: Toolset, actor: Actor, state: dict[str, Any], intent: Intent) -> Reply:
    """The automation an intent about one names, acted on; or the question which one."""
    ref = intent.ref
    if subject_of(ref) in NEXT_ONE or (intent.kind == "next" and not ref.strip()):
        # "when's the next one?": the automation spoken about, else the soonest of one's own
        if (focus := state.get("focus")) is not None:
            return act(tools, actor, intent.kind, focus, intent.rest, state)
        if intent.kind in ("next", "show"):
            return soonest(tools, actor)
    listed: list[int] | None = state.get("listed")
    if (index := position(subject_of(ref))) is not None and (
        listed is not None or not by_number(subject_of(ref))
    ):
        # a place in the last listing ("the second one", "number 2"); without a listing,
        # "number 2" is automation 2
        if listed is None:
            return no_listing(subject_of(ref))
        if not -len(listed) <= index < len(listed):
            return out_of_range(len(listed))
        return act(tools, actor, intent.kind, listed[index], intent.rest, state)
    views = [] if ref.strip().lower() in THIS else tools.readable_automations(actor)
    found = resolve(ref, views, state.get("focus"), actor.email)
    if found.needs_focus:
        return _which_one(tools, actor, state, intent)
    if not found.ids and intent.kind == "show" and not _could_refer(tools, ref, views):
        return cant_answer(tools, actor, ref)  # "what's the weather?"
    if not found.ids:
        return Reply(
            f"I couldn't find an automation matching “{subject_of(ref)}”. Say “list” to see yours.",
            "error",
        )
    if len(found.ids) == 1:
        return act(tools, actor, intent.kind, found.ids[0], intent.rest, state)
    by_id = {v.id: v for v in views}
    candidates = [by_id[n] for n in found.ids]
    return ask_which(
        state, intent, candidates, f"Several automations match “{subject_of(ref)}”. Which one?"
    )


def _could_refer(tools: Toolset, ref: str, views: list[AutomationView]) -> bool:
    """Whether `ref` could name an automation at all, in the words automations are
    spoken of by."""
    known = [f"{v.name} {v.trigger}" for v in views] if views else []
    return could_refer(ref, automation_vocabulary(tools.registry.specs(), known))


def _which_one(tools: Toolset, actor: Actor, state: dict[str, Any], intent: Intent) -> Reply:
    """ "it" with nothing spoken about yet: the only automation the last listing showed,
    or the speaker's only one; otherwise a question offering the candidates."""
    listed: list[int] = state.get("listed") or []
    if len(listed) == 1:
        return act(tools, actor, intent.kind, listed[0], intent.rest, state)
    mine = tools.list_automations(actor, everyone=False)
    if len(mine) == 1:
        return act(tools, actor, intent.kind, mine[0].id, intent.rest, state)
    candidates = mine
    if listed:
        shown = tools.list_automations(actor)
        if actor.is_admin:
            shown += tools.list_automations(actor, system=True)
        by_id = {v.id: v for v in shown}
        candidates = [by_id[n] for n in listed if n in by_id] or mine
    if not candidates:
        return Reply(
            "Which automation? Say its number (e.g. #5) or its name; “list” shows them.",
            "error",
        )
    return ask_which(state, intent, candidates, "Which automation do you mean?")


def chosen_without_question(
    tools: Toolset, actor: Actor, state: dict[str, Any], intent: Intent
) -> Reply:
    """ "#5" on its own shows it; "the second one" picks from the last listing."""
    if intent.ref:
        return on_target(tools, actor, state, Intent("show", ref=intent.ref))
    listed: list[int] | None = state.get("listed")
    if listed is None or intent.index is None:
        return Reply("Which one? Say “list” to see your automations first.", "error")
    if not -len(listed) <= intent.index < len(listed):
        return out_of_range(len(listed))
    return act(tools, actor, "show", listed[intent.index], "", state)
