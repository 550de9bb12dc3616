"""Skipping runs in the conversation ("skip next week", "skip the next run"): the reply says
which runs are skipped, that the automation resumes by itself, and when it runs next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.conversation import words
from assistant.conversation.reply import Reply

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset


def skip_runs(tools: Toolset, actor: Actor, automation_id: int, rest: str) -> Reply:
    done = tools.skip_runs(actor, automation_id, rest)
    view, skipped = done.automation, done.skipped
    tz = view.timezone
    if len(skipped) == 1:
        which = f"its run of {words.when(skipped[0], tz)}"
    else:
        which = (
            f"its {len(skipped)} runs from {words.when(skipped[0], tz)} to "
            f"{words.when(skipped[-1], tz)}"
        )
    return Reply(
        f"Skipping {which}: {words.title(view)} is paused until just after, and resumes by "
        f"itself. It runs next on {words.when(done.next_run_at, tz)}. Say “undo” to take the "
        "skip back.",
        "done",
        data=done.model_dump(mode="json"),
        automation_id=view.id,
    )
