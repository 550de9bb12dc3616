"""How an automation's latest run went, in one line: "did it work?", "how did it go?" right
after "run it now". Whether it succeeded and how many it was delivered to by which channel
(counts only: never who), or why it failed or was skipped and what to say next; a run still
waiting says so. Test runs do not count: they send nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.conversation import words
from assistant.conversation.reply import Reply

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import RunView

_WAITING = {"pending": "waiting to run", "running": "running"}
_CHANNEL = {"email": "email", "slack": "Slack", "in_app": "in-app message", "webhook": "webhook"}


def run_outcome(tools: Toolset, actor: Actor, automation_id: int) -> Reply:
    """The latest run of `automation_id` (the newest recorded, as "run it now" queued it)."""
    view = tools.get_automation(actor, automation_id)
    runs = [r for r in tools.history(actor, automation_id, 20) if r.triggered_by != "test"]
    title = words.title(view)
    if not runs:
        return Reply(
            f"{title} hasn't run yet. Say “run it now” to run it.", "info", automation_id=view.id
        )
    run = runs[0]
    at = words.when(run.completed_at or run.scheduled_for, tools.zone_of(actor))
    named = f"Run #{run.id} of {title}"
    if run.status in _WAITING:
        text = (
            f"{named} hasn't finished yet (it is {_WAITING[run.status]}); nothing is known of it "
            "so far. Ask again in a minute."
        )
    elif run.status == "completed":
        text = f"Yes: {named} completed {at}{_delivered(run, view.output_channel)}."
    elif run.status == "skipped":
        reason = (run.skipped_reason or "no reason recorded").replace("_", " ")
        text = f"{named} was skipped {at} ({reason}); nothing was sent."
    else:
        partly = "Partly" if run.status == "partial" else "No"
        error = (run.error_message or run.error_code or "no error recorded").rstrip(".")
        text = (
            f"{partly}: {named} {'partly failed' if partly == 'Partly' else 'failed'} {at}"
            f"{_delivered(run, view.output_channel)}: {error}. Say “why did it fail?” for more, "
            "or “retry it” to run it again."
        )
    return Reply(text, "info", data=run.model_dump(mode="json"), automation_id=view.id)


def _delivered(run: RunView, channel: str) -> str:
    """ ", delivered to 2 recipients by email", or "" when the run delivered nothing."""
    deliver = next((a for a in run.actions if a.action_type == "deliver"), None)
    if deliver is not None:
        channel = str(deliver.detail.get("channel") or channel)
    sent = run.metrics.get("delivered")
    if not isinstance(sent, int) or (sent == 0 and deliver is None):
        return ""
    failed = deliver.detail.get("failed", 0) if deliver is not None else 0
    missed = f" ({failed} not delivered)" if failed else ""
    how = _CHANNEL.get(channel, channel)
    return f", delivered to {words.counted(sent, 'recipient')} by {how}{missed}"
