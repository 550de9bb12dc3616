"""A draft waiting for “yes” in the conversation: "yes" activates it, a change replaces it with
the changed draft (the drafts before each change are kept, so "undo" takes the last few back),
"show it" reads it back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from assistant.conversation import words
from assistant.conversation.answers import asks_back
from assistant.conversation.drafts import edit_draft, restore_draft
from assistant.conversation.intents import Intent
from assistant.conversation.recipients import draft_recipients
from assistant.conversation.refer import THIS
from assistant.conversation.reply import Reply, draft_choices
from assistant.conversation.undo import remember_gone
from assistant.language.edit_words import is_undo
from assistant.language.step_edits import is_step_change
from models.errors import InvalidInput, NotFound, PlanLimit
from models.store.conversations import get_draft

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

_UNDO_STEPS = 10  # changes to a draft that "undo" can take back, one at a time
#: the answer to "yes" or a change once the draft waited for was cancelled through another door
CANCELLED = "That draft was cancelled; say the request again to start over."


def answer_draft(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    pending: dict[str, Any],
    intent: Intent,
    text: str,
) -> Reply | None:
    """ "yes", a change, "undo" or "show it" while a draft waits; None for anything else."""
    if intent.kind == "yes":
        try:
            view, *more = tools.confirm_draft_all(actor, pending["draft_id"])
        except (InvalidInput, PlanLimit) as exc:
            # the draft is still pending: a change ("email instead") and "yes" again
            return Reply(
                f"{exc.message} The draft is kept: say what to change, then “yes”; or “cancel”.",
                "error",
                draft_id=pending["draft_id"],
            )
        state["pending"] = None
        remember_gone(state, "create", view)
        if more:  # one report to several places: "pause them" means all it made
            state["listed"] = [v.id for v in (view, *more)]
            return Reply(
                f"Activated {words.title(view)} and "
                + " and ".join(words.title(v) for v in more)
                + f". {words.next_run(view)} Say “pause them” or “delete them” any time.",
                "done",
                data=view.model_dump(mode="json"),
                automation_id=view.id,
            )
        return Reply(
            f"Activated {words.title(view)}. {words.next_run(view)} {hint(view)}",
            "done",
            data=view.model_dump(mode="json"),
            automation_id=view.id,
        )
    if is_undo(text):
        return undo_draft(tools, state, actor, pending)
    if is_step_change(text) and _drafted_skill(tools, actor, pending) == "workflow":
        # "make the task due in 3 days": the words as said, about a step
        return edit_pending(tools, actor, state, pending["draft_id"], text)
    if intent.kind == "edit" and intent.ref in ("", *THIS):
        return edit_pending(tools, actor, state, pending["draft_id"], intent.rest)
    if intent.kind == "recipients" and intent.ref in ("", *THIS):
        change = draft_recipients(tools, actor, intent.rest) or text
        return edit_pending(tools, actor, state, pending["draft_id"], change)
    if intent.kind in ("show", "next") and intent.ref.lower() in ("", *THIS):
        # "show it", "when does it run next?": the draft waiting for "yes"
        row = get_draft(tools.engine, actor.org_id, pending["draft_id"])
        summary = str(row.draft.get("summary") or "")
        return Reply(
            summary,
            "draft",
            choices=draft_choices(row.draft),
            data=row.draft,
            draft_id=pending["draft_id"],
        )
    return None


def settle_elsewhere(tools: Toolset, actor: Actor, state: dict[str, Any]) -> bool:
    """A draft this conversation waits on but confirmed or cancelled through another door
    (REST or MCP by its id): it waits no more, and "it" is the automation a confirmed one
    made, as after a button. True when the draft waiting for "yes" was cancelled so (its
    "yes" or change is answered with CANCELLED, never a draft made again)."""
    cancelled = False
    for key in ("pending", "waiting"):
        draft_id = (state.get(key) or {}).get("draft_id")
        if draft_id is None:
            continue
        try:
            row = get_draft(tools.engine, actor.org_id, draft_id)
        except NotFound:
            continue
        confirmed = row.status == "confirmed" and row.automation_id is not None
        if confirmed:
            state["focus"] = row.automation_id
        if confirmed or row.status == "cancelled":
            cancelled = cancelled or (key == "pending" and not confirmed)
            if key == "pending":
                state["pending"] = None
            else:
                state.pop("waiting")
    return cancelled


def answers_a_draft(intent: Intent, text: str) -> bool:
    """Whether `text` would answer a draft waiting for "yes" (see answer_draft)."""
    about_it = intent.ref.lower() in ("", *THIS)
    if intent.kind in ("yes", "edit", "recipients", "show", "next") and about_it:
        return True
    return is_undo(text) or is_step_change(text)


def _drafted_skill(tools: Toolset, actor: Actor, pending: dict[str, Any]) -> str:
    return str(get_draft(tools.engine, actor.org_id, pending["draft_id"]).draft.get("skill"))


def hint(view: AutomationView) -> str:
    """What one can say to the automation just activated, true for its kind: a time to move
    to only when it runs at a time of day (another hour than its own)."""
    if view.trigger_type in ("cron",) and view.next_run_at is not None:
        hour = view.next_run_at.astimezone(ZoneInfo(view.timezone)).hour
        to = hour + 1 if view.once is not None and hour < 22 else (9 if hour == 8 else 8)
        clock = f"{to % 12 or 12}{'am' if to < 12 else 'pm'}"
        return f"Say “pause it”, “move it to {clock}” or “delete it” any time."
    if view.trigger_type == "event":  # a test needs an event or a record to try it on
        return "Say “pause it” or “delete it” any time."
    return "Say “test it” to see what it would send, “pause it” or “delete it” any time."


def edit_pending(
    tools: Toolset, actor: Actor, state: dict[str, Any], draft_id: int, change: str
) -> Reply:
    """The waiting draft changed as `change` says, waiting for “yes” in its place."""
    try:
        new_id, fresh = edit_draft(tools, actor, draft_id, change)
    except InvalidInput as exc:
        if asks_back(exc.message):
            state["asked"] = {"question": exc.message, "change": change, "draft_id": draft_id}
        raise
    # the drafts before each change, for "undo" (the last few)
    before = [*(state.get("pending") or {}).get("before", []), draft_id][-_UNDO_STEPS:]
    state["pending"] = {"kind": "draft", "draft_id": new_id, "before": before}
    return Reply(
        fresh["summary"], "draft", choices=draft_choices(fresh), data=fresh, draft_id=new_id
    )


def undo_draft(
    tools: Toolset, state: dict[str, Any], actor: Actor, pending: dict[str, Any]
) -> Reply:
    """The draft as it was before its last change, waiting for “yes” again."""
    before: list[int] = list(pending.get("before") or [])
    if not before:
        return Reply(
            "There is no change to undo: the draft is as you first asked for it. Say what "
            "to change, “yes” to activate it or “cancel”.",
            "error",
            draft_id=pending["draft_id"],
        )
    new_id, fresh = restore_draft(tools, actor, pending["draft_id"], before.pop())
    state["pending"] = {"kind": "draft", "draft_id": new_id, "before": before}
    text = f"Undone: the draft is back as it was before that change.\n{fresh['summary']}"
    return Reply(text, "draft", choices=draft_choices(fresh), data=fresh, draft_id=new_id)
