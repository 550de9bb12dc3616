"""Acting on one automation once the engine knows which: each action is one tool-set call, so
permissions and organisation scope are exactly the tool set's. Destructive ones only ask here;
the engine carries them out after a "yes"."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.answers import asks_back
from assistant.conversation.audit_log import AuditAsk, audit_log
from assistant.conversation.candidates_reached import candidates_reached
from assistant.conversation.last_run import last_run
from assistant.conversation.recipients import change_recipients, who_else
from assistant.conversation.reply import Choice, Reply
from assistant.conversation.run_outcome import run_outcome
from assistant.conversation.run_tally import tally_said
from assistant.conversation.skipping import skip_runs
from assistant.conversation.undo import around, remember_gone
from assistant.language.job_words import JOB_NOUN
from assistant.tools.holiday_words import holidays_sentence
from models.errors import InvalidInput
from skills.param_words import SpecsBySkill, join_words, param_in_words

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

CONFIRM_DELETE = [Choice("Delete", "yes", "danger"), Choice("Keep it", "no")]
# what reading an automation answers, by intent kind
READING: dict[str, Callable[[AutomationView], str]] = {
    "show": words.describe,
    "next": words.next_runs,
    "owner": words.owner_of,
    "name": words.name_of,
}


def _audit(tools: Toolset, actor: Actor, automation_id: int, rest: str) -> Reply:
    """ "who paused #3?", "what changed on it?", "what happened to it yesterday?"."""
    if rest.startswith("log|"):  # the log's own lines, within a window of the speaker's
        ask = AuditAsk(window=rest.removeprefix("log|"))
        return audit_log(tools, actor, None, ask, automation_id=automation_id)
    return Reply(
        tools.audit_answer(actor, automation_id, rest), "info", automation_id=automation_id
    )


# what answers a question about one automation, or changes its recipients, by intent kind
ANSWERS: dict[str, Callable[[Toolset, Actor, int, str], Reply]] = {
    "recipients": change_recipients,
    "tally": lambda tools, actor, automation_id, rest: (
        candidates_reached(tools, actor, automation_id, rest.removeprefix("candidates|"))
        if rest.startswith("candidates|")
        else tally_said(tools, actor, automation_id, rest)
    ),
    "audit": _audit,
    "last": last_run,
    "others": who_else,
    "skip": skip_runs,
}
# where the turn was said ({"slack_channel", "via"}): "post it here" as a change means it; the
# engine keeps it in the state for the turn only
SAID_IN = "said_in"
# actions that change a stored automation in a way "undo" takes back
UNDOABLE = ("edit", "pause", "resume", "recipients", "skip")


def act(
    tools: Toolset, actor: Actor, kind: str, automation_id: int, rest: str, state: dict[str, Any]
) -> Reply:
    """Do `kind` to automation `automation_id`; `state` learns what is pending and the last
    change, for "undo" (the engine moves the focus to the reply's automation once the action
    succeeded)."""
    if kind in UNDOABLE:
        reply = around(
            tools,
            actor,
            state,
            kind,
            [automation_id],
            lambda: _act(tools, actor, kind, automation_id, rest, state),
        )
        made = reply.automation_id
        if reply.kind == "done" and made is not None and made != automation_id:
            # "also post it in #hiring" made one more: undo says so, as after an activation
            remember_gone(state, "create", tools.get_automation(actor, made))
        return reply
    return _act(tools, actor, kind, automation_id, rest, state)


def _act(
    tools: Toolset, actor: Actor, kind: str, automation_id: int, rest: str, state: dict[str, Any]
) -> Reply:
    if kind in READING:
        view = tools.read_automation(actor, automation_id)
        return Reply(
            # "me" in its recipients is "you" only to its owner
            words.describe(view, actor.email, tools.registry.specs())
            if kind == "show"
            else READING[kind](view),
            "info",
            data=view.model_dump(mode="json"),
            automation_id=view.id,
        )
    if kind in ANSWERS:
        return ANSWERS[kind](tools, actor, automation_id, rest)
    if kind in ("pause", "resume") and (
        unchanged := _already(tools, actor, kind, automation_id, rest)
    ):
        return unchanged
    if kind == "pause":
        if rest:
            view = tools.pause_until(actor, automation_id, rest)
        else:
            view = tools.pause(actor, automation_id)
        text = f"Paused {words.title(view)}" + (
            f" until {words.when(view.paused_until, view.timezone)}." if view.paused_until else "."
        )
        return Reply(f"{text} Say “resume it” to start it again.", "done", automation_id=view.id)
    if kind == "resume":
        view = tools.resume(actor, automation_id)
        return Reply(
            f"Resumed {words.title(view)}. {words.next_run(view)}", "done", automation_id=view.id
        )
    if kind == "delete":
        view = tools.get_automation(actor, automation_id)  # refuses before asking
        state["pending"] = {"kind": "delete", "automation_id": automation_id}
        return Reply(
            f"Delete {words.title(view)} and its run history? This cannot be undone. "
            "Say “yes” to delete it or “no” to keep it.",
            "confirm",
            choices=CONFIRM_DELETE,
            automation_id=view.id,
        )
    if kind == "run":
        run = tools.run_now(actor, automation_id)
        return Reply(
            f"Queued run #{run.id} of #{automation_id} now; its schedule does not move. "
            "Ask “did it work?” to hear how it went.",
            "done",
            data=run.model_dump(mode="json"),
            automation_id=automation_id,
        )
    if kind == "test":
        run = tools.test(actor, automation_id)
        shown = (run.output or run.skipped_reason or run.error_message or "").strip()
        return Reply(
            f"Test run #{run.id} of #{automation_id}: {run.status}; nothing was sent."
            + (f" {run.note}" if run.note else "")
            + (f"\n{shown[:1500]}" if shown else ""),
            "info",
            data=run.model_dump(mode="json"),
            automation_id=automation_id,
            # live data shown to the requester only, as a preview is (in a channel: to them)
            private=True,
        )
    if kind == "retry":
        runs = tools.history(actor, automation_id, 50)
        failed = [r for r in runs if r.status in ("failed", "partial") and r.triggered_by != "test"]
        if not failed:
            raise InvalidInput(f"#{automation_id} has no failed run to retry.")
        return retry_run(tools, actor, failed[0].id)
    if kind == "history" and rest == "outcome":  # "did it work?"
        return run_outcome(tools, actor, automation_id)
    if kind == "history":
        view = tools.get_automation(actor, automation_id)
        runs = tools.history(actor, automation_id, 10)
        lines = [words.run_line(r, tools.zone_of(actor)) for r in runs] or [words.no_runs_yet(view)]
        note = tools.history_note(actor)
        return Reply(
            f"Runs of {words.title(view)}, newest first:\n"
            + "\n".join(lines)
            + (f"\n{note}" if note else ""),
            "list",
            data=[r.model_dump(mode="json") for r in runs],
            automation_id=automation_id,
        )
    if kind == "why":
        answer = tools.why(actor, automation_id, rest).answer
        return Reply(answer, "info", automation_id=automation_id)
    if kind == "backtest":
        hits = tools.backtest(actor, automation_id)
        lines = [
            f"event #{h.event_id} {h.event_type} at {h.received_at:%a %d %b %H:%M}: "
            + (h.subject or h.skipped_reason or h.error or h.would_send)
            for h in hits
        ]
        text = (
            f"In the last 7 days {words.counted(len(hits), 'event')} would have fired "
            f"#{automation_id}" + (":\n" + "\n".join(lines) if lines else ".")
        ) + "\nNothing was run or sent."
        return Reply(
            text,
            "list",
            data=[h.model_dump(mode="json") for h in hits],
            automation_id=automation_id,
        )
    if kind == "edit":
        before = tools.get_automation(actor, automation_id)  # refuses as the change would
        try:
            said_in = state.get(SAID_IN) or {}
            view = tools.update_in_words(
                actor,
                automation_id,
                rest,
                slack_channel=said_in.get("slack_channel"),
                via=said_in.get("via"),
            )
        except InvalidInput as exc:
            if asks_back(exc.message):  # "pm" or "later" answers it next
                state["asked"] = {
                    "question": exc.message,
                    "change": rest,
                    "automation_id": automation_id,
                }
            raise
        if view.id != automation_id:  # "also post it in #hiring": one more automation
            return Reply(
                f"Added {words.title(view)} — the same, {_sent(view.output_channel)} to "
                f"{', '.join(view.to)}.",
                "done",
                data=view.model_dump(mode="json"),
                automation_id=view.id,
            )
        # a reminder's text is what it does: say it back, as its read-back did
        says = _edit_says(view, rest) + _params_said(before, view, tools.registry.specs())
        says += _holidays_said(before, view)
        return Reply(
            f"Changed {words.title(view)}: {view.trigger}, "
            f"{words.output_of(view, actor.email, said_in.get('slack_channel'))}."
            f"{says} {words.next_run(view)}",
            "done",
            data=view.model_dump(mode="json"),
            automation_id=view.id,
        )
    raise InvalidInput(f"I can't {kind} an automation.")


def _holidays_said(before: AutomationView, view: AutomationView) -> str:
    """ " It skips your organisation's holidays: …" when the change turned that on or off."""
    if view.skip_holidays == before.skip_holidays:
        return ""
    return " " + (holidays_sentence(view) or "It runs on your organisation's holidays too.")


def _sent(channel: str) -> str:
    return {"slack": "posted", "email": "emailed"}.get(channel, "sent")


def _edit_says(view: AutomationView, change: str) -> str:
    """What an edit's reply adds: a reminder's text, or the job titles a word chose."""
    if view.skill == "reminder":
        return f" It says “{view.params['message']}”."
    if (jobs := view.params.get("jobs")) and re.search(JOB_NOUN, change, re.I):
        return f" Jobs: {', '.join(jobs)}."  # the titles a word like "engineering" chose
    return ""


def _params_said(before: AutomationView, after: AutomationView, specs: SpecsBySkill) -> str:
    """What an edit changed in what the automation does, in its params' words ("Now flagging
    candidates waiting 3 business days or more."); a param emptied is said as no longer."""
    spec = specs.get(after.skill)
    declared = spec.params if spec is not None else {}
    now, dropped = [], []
    for name, value in after.params.items():
        old = before.params.get(name)
        if value == old or after.skill == "reminder":
            continue
        if value in (None, "", []):
            if old not in (None, "", []):
                dropped.append(param_in_words(name, declared.get(name), old))
        else:
            now.append(param_in_words(name, declared.get(name), value))
    said = f" Now {join_words(now)}." if now else ""
    return said + (f" No longer {join_words(dropped)}." if dropped else "")


def _already(
    tools: Toolset, actor: Actor, kind: str, automation_id: int, rest: str
) -> Reply | None:
    """ "resume" on an active automation, "pause" (with no end) on a paused one: a reply
    saying so, changing nothing; None when the action would change something."""
    view = tools.get_automation(actor, automation_id)  # refuses as the action would
    if kind == "resume" and view.enabled:
        return Reply(
            f"{words.title(view)} is already active; nothing changed. {words.next_run(view)}",
            "info",
            automation_id=view.id,
        )
    if kind == "pause" and not view.enabled and not rest:
        return Reply(
            f"{words.title(view)} is already {words.state_of(view)}; nothing changed. Say "
            "“resume it” to start it again.",
            "info",
            automation_id=view.id,
        )
    return None


def run_id_in(ref: str) -> int | None:
    """ "run 12", "run #12": a run, not an automation."""
    m = re.fullmatch(r"(?:the\s+)?run\s*#?\s*(\d+)", ref.strip().lower())
    return int(m.group(1)) if m else None


def retry_run(tools: Toolset, actor: Actor, run_id: int) -> Reply:
    run = tools.retry(actor, run_id)
    return Reply(
        f"Retrying run #{run_id}: run #{run.id} is queued with the current configuration.",
        "done",
        data=run.model_dump(mode="json"),
        automation_id=run.automation_id,
    )
