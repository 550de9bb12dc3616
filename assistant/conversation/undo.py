"""The last change a person made in this conversation, and taking it back: "undo", "change it
back", "put it back", or "cancel that" right after the change. The conversation state keeps
each changed automation as it was before and as the change left it; undoing puts the before
back only while the automation is still as the change left it. A delete cannot be undone and
an activation is taken back by deleting, which the reply says."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.reply import Reply
from models.errors import SkilltickError
from models.skip_list import read_skips

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

#: what a change did, in the reply to its undo
_DONE = {
    "pause": "paused",
    "resume": "resumed",
    "bulk-pause": "paused",
    "bulk-resume": "resumed",
}


def around(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    kind: str,
    ids: list[int],
    change: Callable[[], Reply],
) -> Reply:
    """Make `change` to the automations `ids`, remembered for "undo" when it changed them."""
    before: dict[str, Any] = {}
    for n in ids:
        try:
            before[str(n)] = tools.snapshot(actor, n)
        except SkilltickError:
            continue  # the change itself refuses it, or leaves it out
    reply = change()
    if reply.kind == "done" and before:
        remember(tools, actor, state, kind, before)
    return reply


def remember(
    tools: Toolset, actor: Actor, state: dict[str, Any], kind: str, before: dict[str, Any]
) -> None:
    """Keep the change of kind `kind` to the automations in `before` (id -> snapshot)."""
    after = {n: tools.snapshot(actor, int(n)) for n in before}
    state["last_change"] = {
        "kind": kind,
        "before": before,
        "after": after,
        "turn": int(state.get("turns", 0)),
    }


def remember_gone(state: dict[str, Any], kind: str, view: AutomationView) -> None:
    """A delete ("delete") or an activation ("create"): what undo says instead of undoing."""
    state["last_change"] = {
        "kind": kind,
        "id": view.id,
        "title": words.title(view),
        "trigger": view.trigger,
        "turn": int(state.get("turns", 0)),
    }


def just_changed(state: dict[str, Any]) -> bool:
    """Whether the previous turn made the last change ("cancel that" then means undo it)."""
    last = state.get("last_change") or {}
    return (
        "turn" in last
        and last.get("kind") != "undone"
        and (int(last["turn"]) == int(state.get("turns", 0)) - 1)
    )


def just_activated(state: dict[str, Any]) -> int | None:
    last = state.get("last_change") or {}
    return int(last["id"]) if last.get("kind") == "create" and just_changed(state) else None


def undo_last(tools: Toolset, actor: Actor, state: dict[str, Any]) -> Reply:
    """Take the speaker's last change in this conversation back, saying what it is now."""
    last: dict[str, Any] = state.get("last_change") or {}
    kind = last.get("kind")
    if kind is None:
        return Reply(
            "There is nothing to undo here: you haven't changed an automation in this "
            "conversation yet. To change one, say the change, e.g. “move it to 8:30am”.",
            "error",
        )
    if kind == "undone":
        return Reply(
            "Your last change is already undone; to change it again, say the change.", "error"
        )
    if kind == "delete":
        return Reply(
            f"A delete cannot be undone: {last['title']} and its run history are gone. To "
            f"have it again, ask for it anew (it ran: {last['trigger']}). Next time, “pause it” "
            "stops one without deleting it.",
            "error",
        )
    if kind == "create":
        return Reply(
            f"Undo doesn't take back an activation: say “delete #{last['id']}” to remove "
            f"{last['title']}, or “pause it” to stop it for now.",
            "error",
            automation_id=int(last["id"]),
        )
    restored: list[AutomationView] = []
    refused: list[str] = []
    for key, before in last["before"].items():
        try:
            restored.append(tools.restore(actor, int(key), before, last["after"][key]))
        except SkilltickError as exc:
            refused.append(exc.message)
    state["last_change"] = {"kind": "undone"}
    if not restored:
        return Reply(
            " ".join(refused) + " Say the change you want instead.",
            "error",
        )
    if len(last["before"]) == 1 and not kind.startswith("bulk"):
        view, (key, after) = restored[0], next(iter(last["after"].items()))
        said = undone_words(last["before"][key], after, view, actor)
        return Reply(
            f"Undone: {words.title(view)} {said}",
            "done",
            data=view.model_dump(mode="json"),
            automation_id=view.id,
        )
    what = _DONE.get(kind, "changed")
    if len(restored) == 1:
        text = f"Undone: {words.title(restored[0])} is {words.state_of(restored[0])} again."
    else:
        lines = [f"{words.title(v)}: {words.state_of(v)}" for v in restored]
        text = f"Undone: the {len(restored)} automations you {what} are back as they were:\n"
        text += "\n".join(lines)
    if refused:
        text += "\n" + "\n".join(refused)
    state["listed"] = [v.id for v in restored]
    return Reply(text, "done", data=[v.model_dump(mode="json") for v in restored])


def read_back(view: AutomationView, actor: Actor) -> str:
    """ "At 09:00 AM, only on Monday (…), email to you. Next run: …" or, paused, why not."""
    said = f"{view.trigger}, {words.output_of(view, actor.email)}."
    if not view.enabled:
        return f"{said} It is {words.state_of(view)}; say “resume it” to start it again."
    return f"{said} {words.next_run(view)}"


#: what a change may have touched, by the columns it wrote
_SCHEDULE = {
    "trigger_type",
    "cron_expression",
    "rrule",
    "run_once_at",
    "schedule_anchor",
    "timezone",
    "event_type",
    "event_filter",
    "poll_interval_minutes",
}


def undone_words(
    before: dict[str, Any], after: dict[str, Any], view: AutomationView, actor: Actor
) -> str:
    """What taking a change back did, as it is now ("is active again, no longer paused. Next
    run: …"): only what the change had touched is said."""
    changed = {name for name in before if before[name] != after.get(name)}
    said: list[str] = []
    if changed & {"enabled", "paused_until"}:
        again = (
            "active again, no longer paused" if view.enabled else f"{words.state_of(view)} again"
        )
        said.append(f"is {again}")
    if changed & _SCHEDULE:
        said.append(f"runs {view.trigger[:1].lower()}{view.trigger[1:]} again")
    if "name" in changed:
        said.append(f"is called “{view.name}” again, not “{after.get('name')}”")
    if changed & {"output_channel", "output_config"}:
        said.append(f"goes out as before: {words.output_of(view, actor.email)}")
    if "skips" in changed:
        taken = len(read_skips(after.get("skips"))) - len(read_skips(before.get("skips")))
        if taken > 0:
            runs = "run" if taken == 1 else words.counted(taken, "run")
            said.append(f"no longer skips the {runs} you skipped")
        else:
            said.append("skips the runs it skipped before again")
    if "skip_holidays" in changed:
        said.append("skips holidays again" if view.skip_holidays else "runs on holidays again")
    if changed & {"params", "skill"} and not said:
        # a change fills in its skill's defaults: only a change of its settings alone says so
        said.append("does what it did before the change")
    if not said:
        return f"is back as it was: {read_back(view, actor)}"
    paused_again = not view.enabled and changed & {"enabled", "paused_until"}
    tail = "Say “resume it” to start it again." if paused_again else words.next_run(view)
    return "; ".join(said) + f". {tail}"
