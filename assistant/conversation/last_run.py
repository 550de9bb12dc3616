"""One-line answers about an automation's last run: "when did #1 last run?" ("#1 “…” last ran
Mon 30 Nov 09:00 GMT: completed.") and "when did it last fail?"; test runs do not count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.conversation import words
from assistant.conversation.reply import Reply

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

_LOOKED_AT = 50  # runs read back for "when did it last fail?"
_FAILED = ("failed", "partial")
_NOT_YET = ("pending", "queued", "running", "leased")  # waiting or under way: not run yet


def last_run(tools: Toolset, actor: Actor, automation_id: int, rest: str) -> Reply:
    """The last run (or, with `rest` "failed", the last failed run) in one line."""
    view = tools.get_automation(actor, automation_id)
    runs = [r for r in tools.history(actor, automation_id, _LOOKED_AT) if r.triggered_by != "test"]
    runs.sort(key=lambda r: r.scheduled_for, reverse=True)  # a retry is read as of its slot
    failed = rest == "failed"
    found = next(
        (r for r in runs if (r.status in _FAILED if failed else r.status not in _NOT_YET)), None
    )
    title = words.title(view)
    zone = tools.zone_of(actor)  # past and coming times alike in the asker's zone
    if found is None and failed:
        within = f" in its last {_LOOKED_AT} runs" if len(runs) >= _LOOKED_AT else ""
        text = f"{title} hasn't failed{within}." if runs else f"{title} hasn't run yet."
    elif found is None:
        text = f"{title} hasn't run yet" + (
            f"; its first run is due {words.when(view.next_run_at, zone)}."
            if view.enabled and view.trigger_type != "event" and view.next_run_at
            else "."
        )
    else:
        at = words.when(found.scheduled_for, zone)
        detail = found.error_message or found.skipped_reason or ""
        verb = "last failed" if failed else "last ran"
        text = f"{title} {verb} {at}: {found.status}" + (f" ({detail})." if detail else ".")
    return Reply(
        text,
        "info",
        data=found.model_dump(mode="json") if found else None,
        automation_id=view.id,
    )
