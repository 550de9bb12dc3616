"""The engine's sentences: how automations, runs and lists are put into words (plain text that
every door can show; doors add their own formatting around it)."""

from __future__ import annotations

from datetime import datetime

from assistant.language.action_words import action_words, for_reader
from assistant.language.draft import output_words, workflow_step_words
from assistant.tools.holiday_words import holidays_sentence
from assistant.tools.views import AutomationView, RunView
from models.clock import local_time
from models.skip_list import asked_words
from skills.param_words import SpecsBySkill

HELP = """I manage your recruiting automations. Try:
- “Every Monday at 9am, send me a summary of my pipeline” (I ask what's missing, then read it back)
- “show me my pipeline”, “who is in Offer right now?”, “how many candidates applied this week?”
  (answered now, for you only; then “every Monday at 9am” makes it recurring)
- “list my automations”, “list paused”, “is anything failing?”, “what's coming up?”,
  “show #5”, “show my pipeline report”, “when will it run next?”, “did it run?”
- “move it to 8am”, “make it weekdays only”, “also post it in #hiring”, “undo”
- “make it 3 days”, “only those in interview”, “also when they reach offer”, “for all roles”
- “pause it until Monday”, “stop sending me the pipeline report”, “resume it”, “delete #5”
- “skip the next run”, “skip Dec 14 and 21”, “unskip Dec 14”, “which runs are skipped?”,
  “when's the next one?”, “who else gets it?”; after a list, “pause the second one”
- “every weekday at 9 except bank holidays …”, “skip holidays for #3”, “run it on holidays too”
- “add sam to it”, “cc priya@example.com”, “stop sending it to sam”, “who owns #2?”
- “run it now”, “test it”, “show me what it would send”, “history of it”, “why didn't it fire?”,
  “backtest the interview alert”
- “what changed today?”, “what did sam change this week?”, “show the audit log” (“more” for older)
- “list everything paused this week”, “which automations email candidates?”, “did it work?”,
  “how did last week's runs go?”, “how many candidates got it?”
- “what plan are we on?”; admins: “show Dana's automations”, “pause all of Dana's automations
  until Monday”, “resume everything paused this week”, “set the plan to pro”
- “what tokens do I have?”, “revoke my token called laptop”; admins: “who's in the team?”,
  “invite sam@acme.com”, “make Sam an admin”, “give #1 to Sam”, “Dana is leaving: give her
  automations to Sam and remove her”
Answer my questions in a few words (“8am”, “weekdays”, “the second one”); “yes” confirms,
“cancel” drops what is pending."""


def when(instant: datetime | None, tz: str) -> str:
    if instant is None:
        return "none scheduled"
    return local_time(instant, tz)


def counted(count: int, noun: str) -> str:
    """ "1 automation", "3 automations", "no automations"."""
    if count == 0:
        return f"no {noun}s"
    return f"{count} {noun}" + ("" if count == 1 else "s")


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def state_of(view: AutomationView) -> str:
    if view.enabled:
        return "active"
    if view.paused_until is not None:
        return f"paused until {when(view.paused_until, view.timezone)}"
    return "paused"


def title(view: AutomationView) -> str:
    return f"#{view.id} “{view.name}”"


def line(view: AutomationView, *, owner: bool = False) -> str:
    who = f" · {view.owner_email}" if owner else ""
    kind = " · system job" if view.system else ""
    return f"#{view.id} {view.name} · {view.trigger} · {state_of(view)}{who}{kind}"


def output_of(view: AutomationView, reader: str | None = None, said_in: str | None = None) -> str:
    """Where its output goes, in words; `reader`: the email of who reads it ("me" is "you" to
    its owner, its owner's address to anyone else); `said_in`: the Slack channel it is read
    in, which is "this channel" there."""
    owner = view.owner_email if reader and reader != view.owner_email else None
    here = said_in if view.output_channel == "slack" and said_in in view.to else None
    names = {here: "this channel"} if here else None
    return output_words(view.output_channel, view.to, owner, names)


def describe(
    view: AutomationView, reader: str | None = None, specs: SpecsBySkill | None = None
) -> str:
    """An automation in words, for `reader` (see output_of); `specs` say how its params read."""
    lines = [f"{title(view)} ({state_of(view)})", f"- Trigger: {view.trigger}"]
    steps = workflow_step_words(view.params) if view.skill == "workflow" else []
    # a workflow's steps say whom they reach
    lines.extend(f"- Step {n}: {step}" for n, step in enumerate(steps, start=1))
    if not steps:
        said = action_words(
            view.skill, view.params, specs=specs, scheduled=view.trigger_type != "event"
        )
        lines.append(f"- Action: {for_reader(said, view.owner_email, reader)}")
    if not steps or view.output_channel != "noop":
        lines.append(f"- Output: {output_of(view, reader)}")
    lines.append(f"- Owner: {view.owner_email}")
    if view.skip_holidays:
        lines.append(f"- {holidays_sentence(view)}")
    if view.next_runs:
        lines.append("Next runs: " + "; ".join(run_when(t, view) for t in view.next_runs))
    if view.last_run_status:
        lines.append(f"Last run: {view.last_run_status} at {when(view.last_run_at, view.timezone)}")
    return "\n".join(lines)


def owner_of(view: AutomationView) -> str:
    kind = " is one of the organisation's system jobs and" if view.system else ""
    return f"{title(view)}{kind} belongs to {view.owner_email}."


def name_of(view: AutomationView) -> str:
    return f"#{view.id} is called “{view.name}” ({state_of(view)})."


def next_run(view: AutomationView) -> str:
    if view.trigger_type == "event":
        return f"It runs {view.trigger[0].lower()}{view.trigger[1:]}."
    if (skipping := _after_skip(view)) is not None:
        return (
            f"It skips its runs until {when(view.paused_until, view.timezone)}; next run: "
            f"{when(skipping, view.timezone)}."
        )
    if not view.enabled:  # no run is due while paused
        return f"It is {state_of(view)}; say “resume it” to start it again."
    if view.skipped:
        return (
            f"Next run: {when(view.next_kept_run_at, view.timezone)} (it skips {counted(len(view.skipped), 'run')}"
            f": {listed([when(t, view.timezone) for t in view.skipped[:5]])}"
            + (" …" if len(view.skipped) > 5 else "")
            + ")."
        )
    return f"Next run: {when(view.next_kept_run_at, view.timezone)}."


def run_when(instant: datetime, view: AutomationView) -> str:
    """An upcoming run's time, marked when it is skipped as asked."""
    said = when(instant, view.timezone)
    return f"{said} (skipped)" if instant in view.skipped else said


def _after_skip(view: AutomationView) -> datetime | None:
    """The run a skip keeps (a pause with an end, the next run already set after it), or
    None when `view` is not skipping runs."""
    if view.enabled or view.paused_until is None or view.next_run_at is None:
        return None
    return view.next_run_at if view.next_run_at > view.paused_until else None


def next_runs(view: AutomationView) -> str:
    """When an automation runs next, or why it does not."""
    if (skipping := _after_skip(view)) is not None:
        return (
            f"{title(view)} skips its runs until {when(view.paused_until, view.timezone)}, "
            f"then resumes by itself: it runs next on {when(skipping, view.timezone)}."
        )
    if not view.enabled:
        if view.paused_until:  # the pause ends by itself (the worker's upkeep resumes it)
            return (
                f"{title(view)} is paused until {when(view.paused_until, view.timezone)} and "
                "resumes by itself then; say “resume it” to start it sooner."
            )
        return (
            f"{title(view)} is paused, so no run is scheduled; "
            "say “resume it” to schedule it again."
        )
    if view.trigger_type == "event":
        return f"{title(view)} runs {view.trigger[0].lower()}{view.trigger[1:]}."
    times = view.next_runs or ([view.next_run_at] if view.next_run_at else [])
    if not times:
        return f"{title(view)} has no run scheduled."
    runs = "Next runs" if len(times) > 1 else "Next run"
    return f"{runs} of {title(view)}: " + "; ".join(run_when(t, view) for t in times) + "."


def no_runs_yet(view: AutomationView) -> str:
    if view.enabled and view.trigger_type != "event" and view.next_run_at is not None:
        return f"No runs yet; the first is due {when(view.next_run_at, view.timezone)}."
    return "No runs yet."


def run_line(run: RunView, tz: str) -> str:
    detail = run.error_message or asked_words(run.skipped_reason, tz) or run.skipped_reason or ""
    return f"run #{run.id} · {run.triggered_by} · {when(run.scheduled_for, tz)} · {run.status}" + (
        f" · {detail}" if detail else ""
    )
