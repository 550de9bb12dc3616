"""The automations last shown together: "them", "those" or "all of them" after a listing or a
bulk pause or resume mean that set, so "resume them" undoes "pause all of Dana's automations"
and "delete those" follows "list paused". Each such change is said back and waits for "yes";
each automation is then changed by its own tool-set call, so permissions are the tool set's."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.reply import Choice, Reply
from models.errors import SkilltickError

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

# the words that say the whole set last shown
_THEM = (
    r"(?:all\s+(?:of\s+)?)?(?:them|those|these)(?:\s+ones)?(?:\s+all)?|both(?:\s+of\s+them)?|"
    r"the\s+lot|all\s+three|all\s+(?:of\s+)?the\s+ones\s+(?:you\s+)?(?:listed|shown|showed)"
)
_VERBS = {
    "pause": r"pause|suspend|stop|turn\s+off|disable|mute|hold",
    "resume": r"resume|unpause|un-pause|restart|re-?enable|turn\s+on|reactivate|start",
    "delete": r"delete|remove|drop|get\s+rid\s+of|trash|destroy",
}
_SAID = re.compile(
    r"(?:(?:please|ok|okay|now|and|then|so|actually)[,\s]+)*(?P<verb>"
    + "|".join(f"(?P<{kind}>{verbs})" for kind, verbs in _VERBS.items())
    + r")\s+(?P<them>"
    + _THEM
    + r")(?:\s+(?:again|too|as\s+well))?(?P<rest>\s+(?:until|till|til|through|for)\s+.+)?",
    re.I,
)
_DONE = {"pause": "Paused", "resume": "Resumed", "delete": "Deleted"}


def group_change(text: str) -> tuple[str, str] | None:
    """(verb, rest) when `text` pauses, resumes or deletes "them": rest is a pause's "until
    Monday"."""
    m = _SAID.fullmatch(re.sub(r"\s+", " ", text.strip().rstrip(".!")))
    if not m:
        return None
    verb = next(kind for kind in _VERBS if m.group(kind))
    return verb, (m.group("rest") or "").strip()


def ask_group(
    tools: Toolset, actor: Actor, state: dict[str, Any], verb: str, rest: str
) -> Reply | None:
    """What changing the set last shown would do, waiting for "yes"; None when no set was
    shown (the message then means one automation, as "it" does)."""
    shown: list[int] = state.get("listed") or []
    if not shown:
        return None
    by_id = {v.id: v for v in tools.readable_automations(actor)}
    views = [by_id[n] for n in shown if n in by_id]
    chosen = [v for v in views if _applies(verb, v)]
    if not chosen:
        return Reply(_none_left(verb, views), "info")
    state["pending"] = {"kind": "group", "verb": verb, "ids": [v.id for v in chosen], "rest": rest}
    until = f" {rest}" if verb == "pause" and rest else ""
    warning = " and their run history? This cannot be undone" if verb == "delete" else ""
    left = _left(verb, views, len(chosen))
    skipped = f" ({left})" if left else ""
    return Reply(
        f"{verb.title()} {words.counted(len(chosen), 'automation')}{until}{warning}: "
        f"{_named(chosen)}{skipped}. Say “yes” to go ahead or “no” to leave them.",
        "confirm",
        choices=[
            Choice(f"{verb.title()} {len(chosen)}", "yes", "danger"),
            Choice("Leave them", "no"),
        ],
        data=[v.model_dump(mode="json") for v in chosen],
    )


def change_group(
    tools: Toolset, actor: Actor, state: dict[str, Any], pending: dict[str, Any]
) -> Reply:
    """Carry out the change "yes" confirmed, one automation at a time: one that cannot be
    changed (a plan limit, a right lost since) is named with the reason, the others changed."""
    state["pending"] = None
    verb, rest = pending["verb"], pending.get("rest") or ""
    done: list[AutomationView] = []
    refused: list[str] = []
    for automation_id in pending["ids"]:
        try:
            if verb == "pause":
                view = (
                    tools.pause_until(actor, automation_id, rest)
                    if rest
                    else tools.pause(actor, automation_id)
                )
            elif verb == "resume":
                view = tools.resume(actor, automation_id)
            else:
                view = tools.delete(actor, automation_id, confirm=True)
            done.append(view)
        except SkilltickError as exc:
            refused.append(f"#{automation_id}: {exc.message}")
    if verb == "delete":
        state["listed"] = [n for n in state.get("listed") or [] if n not in {v.id for v in done}]
        if state.get("focus") in {v.id for v in done}:
            state["focus"] = None
    text = f"{_DONE[verb]} {words.counted(len(done), 'automation')}"
    text += f": {_named(done)}." if done else "."
    if refused:
        text += " Not changed: " + "; ".join(refused)
    return Reply(text, "done" if done else "error", data=[v.model_dump(mode="json") for v in done])


def _applies(verb: str, view: AutomationView) -> bool:
    """System jobs are never changed together; a pause takes the active ones, a resume the
    paused ones."""
    if view.system:
        return False
    return verb == "delete" or view.enabled == (verb == "pause")


def _named(views: list[AutomationView]) -> str:
    names = ", ".join(f"#{v.id} {v.name}" for v in views[:10])
    return names + (f" and {len(views) - 10} more" if len(views) > 10 else "")


def _left(verb: str, views: list[AutomationView], chosen: int) -> str:
    """ "2 already paused, 1 system job left out"."""
    system = sum(1 for v in views if v.system)
    already = len(views) - chosen - system
    parts = [f"{already} already {'paused' if verb == 'pause' else 'active'}"] if already else []
    if system:
        parts.append(f"{words.counted(system, 'system job')} left out")
    return ", ".join(parts)


def _none_left(verb: str, views: list[AutomationView]) -> str:
    if all(v.system for v in views):
        return "Those are all system jobs, which are not changed together; name one to change it."
    return f"None of them is {'active' if verb == 'pause' else 'paused'}: nothing to {verb}."
