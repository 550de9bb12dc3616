"""Skipping chosen runs in the conversation ("skip next Monday's run", "skip Dec 14 and 21"),
bringing them back ("unskip Dec 14", "run it on the 14th after all") and listing them ("which
runs are skipped?"): the reply names the runs, says the automation stays active, and when it
runs next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.conversation import words
from assistant.conversation.reply import Reply

if TYPE_CHECKING:
    from assistant.tools.skips import SkippedRuns
    from assistant.tools.toolset import Actor, Toolset

#: how the intent's words begin when they bring runs back, or ask which are skipped
UNSKIP = "unskip|"
LISTING = "list|"


def skip_runs(tools: Toolset, actor: Actor, automation_id: int, rest: str) -> Reply:
    if rest.startswith(LISTING):
        return _listing(tools.skipped_runs(actor, automation_id))
    if rest.startswith(UNSKIP):
        done = tools.unskip_runs(actor, automation_id, rest.removeprefix(UNSKIP))
        view, tz = done.automation, done.automation.timezone
        runs = words.listed([words.when(t, tz) for t in done.skipped])
        return Reply(
            f"{words.title(view)} runs on {runs} after all; it is no longer skipped. {_next(done)}",
            "done",
            data=done.model_dump(mode="json"),
            automation_id=view.id,
        )
    done = tools.skip_runs(actor, automation_id, rest)
    view, tz = done.automation, done.automation.timezone
    runs = words.listed([words.when(t, tz) for t in done.skipped])
    which = f"its run of {runs}" if len(done.skipped) == 1 else f"its runs of {runs}"
    return Reply(
        f"Skipping {which}: {words.title(view)} stays active and runs as usual otherwise. "
        f"{_next(done)} Say “undo” to take the skip back.",
        "done",
        data=done.model_dump(mode="json"),
        automation_id=view.id,
    )


def _next(done: SkippedRuns) -> str:
    if not done.automation.enabled:
        return f"It is {words.state_of(done.automation)}."
    return f"It runs next on {words.when(done.next_run_at, done.automation.timezone)}."


def _listing(done: SkippedRuns) -> Reply:
    view, tz = done.automation, done.automation.timezone
    if not done.skips:
        text = f"{words.title(view)} skips no run. {_next(done)}"
    else:
        text = (
            f"{words.title(view)} skips {words.counted(len(done.skips), 'run')}: "
            f"{words.listed([words.when(t, tz) for t in done.skips])}. {_next(done)} Say "
            "“unskip …” to bring one back."
        )
    return Reply(text, "info", data=done.model_dump(mode="json"), automation_id=view.id)
