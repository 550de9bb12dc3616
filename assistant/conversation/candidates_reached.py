"""How many candidates a candidate-facing automation reached: "how many candidates got it?",
"how many candidates has #5 emailed this month?". Counted from what run history keeps, which
names nobody: a run that delivered its output to "candidate" counts its summary's candidate id,
and a step that emailed a candidate (a workflow's or a sequence's) counts the step's. The answer
is counts only."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assistant.conversation import words
from assistant.conversation.reply import Reply
from assistant.conversation.windows import WINDOW, window
from models.clock import utc

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView, RunView

READ = 200  # the latest runs counted
STEPS_READ = 50  # the latest runs whose steps are read, for automations that email by steps
_ASKED = re.compile(
    r"how many (?:candidates|applicants)(?: (?:have|has))? (?:got|get|gotten|received|"
    r"receive|were sent|been sent|was sent|have been sent|were emailed|been emailed|did) "
    rf"(?P<ref>.+?)(?: (?:send|email|reach|get|go) to)?(?: (?P<w>{WINDOW}))?"
    rf"|how many (?:candidates|applicants) (?:has|did|have) (?P<ref2>.+?) "
    rf"(?:emailed|email|reached|reach|sent to|send to|written to|gone to|go to)(?: (?P<w2>{WINDOW}))?"
)


def candidates_question(low: str) -> tuple[str, str] | None:
    """(the automation's words, the window's) of "how many candidates got it?"."""
    if m := _ASKED.fullmatch(low):
        ref = m.group("ref") or m.group("ref2")
        return ("it" if ref in ("its", "them", "they") else ref), m.group("w") or m.group(
            "w2"
        ) or ""
    return None


def candidates_reached(tools: Toolset, actor: Actor, automation_id: int, said: str) -> Reply:
    view = tools.get_automation(actor, automation_id)
    title = words.title(view)
    emails_candidates = "candidate" in view.to
    runs = [r for r in tools.history(actor, automation_id, READ) if r.triggered_by != "test"]
    span = window(said, tools.clock(), ZoneInfo(tools.zone_of(actor))) if said else None
    if span is not None:
        runs = [r for r in runs if span.holds(utc(r.scheduled_for))]
    steps = _steps_email_candidates(view)
    if steps:  # a run's steps are read one run at a time: the latest few only
        runs = [tools.get_run(actor, r.id) for r in runs[:STEPS_READ]]
    reached: set[int] = set()
    deliveries = 0
    for run in runs:
        for candidate in _reached_by(run, emails_candidates):
            reached.add(candidate)
            deliveries += 1
    if not emails_candidates and not deliveries and not steps:
        return Reply(
            f"{title} does not go to candidates (its output: {words.output_of(view, actor.email)}).",
            "info",
            automation_id=view.id,
        )
    within = f" {span.said}" if span else ""
    read = STEPS_READ if steps else READ
    among = f" (its latest {read} runs)" if len(runs) == read else ""
    text = (
        f"{words.counted(len(reached), 'candidate')} got {title}{within}{among}: "
        f"{_deliveries(deliveries)} in {words.counted(len(runs), 'run')}."
    )
    text = text[0].upper() + text[1:]
    data = {"candidates": len(reached), "deliveries": deliveries, "runs": len(runs)}
    return Reply(text, "info", data=data, automation_id=view.id)


def _deliveries(count: int) -> str:
    return f"{count or 'no'} deliver{'y' if count == 1 else 'ies'}"


def _reached_by(run: RunView, emails_candidates: bool) -> list[int]:
    """The candidate ids one run delivered to, from its summary and its steps."""
    found: list[int] = []
    candidate = run.summary.get("candidate_id")
    delivered = run.metrics.get("delivered")
    if (
        emails_candidates
        and run.status == "completed"
        and isinstance(candidate, int)
        and isinstance(delivered, int)
        and delivered > 0
    ):
        found.append(candidate)
    for step in run.actions:
        if (
            step.action_type == "send_email"
            and step.status == "completed"
            and step.detail.get("to") == "candidate"
            and isinstance(step.detail.get("candidate_id"), int)
        ):
            found.append(int(step.detail["candidate_id"]))
    return found


def _steps_email_candidates(view: AutomationView) -> bool:
    steps = view.params.get("actions") or []
    return view.skill == "nurture-sequence" or any(
        isinstance(s, dict) and s.get("type") == "send_email" and s.get("to") == "candidate"
        for s in steps
    )
