"""Answering "why didn't it fire?" and "why did it fail?" in plain words, from the automation's
state (enabled, paused_reason, next_run_at, consecutive_failures) and its run rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from assistant.language.draft import event_words
from models.clock import local_time
from models.skip_list import asked_words, read_skips
from models.tables.automations import Automation
from models.tables.runs import AutomationRun

SKIP_WORDS = {
    "overlap": "the previous run was still going (overlap policy: skip)",
    "quiet_hours": "it was outside the candidate's working hours, so it waits for them",
    "nothing_to_report": "there was nothing to report, so nothing was sent",
    "missed": "the worker was down at that time and the occurrence was missed",
    "plan_quota": "your plan's monthly run quota was used up",
    "rate_limited": "your organisation's run rate limit was reached",
    "paused": "the automation was paused when the run came due",
    "holiday": "it fell on one of your organisation's holidays, which it skips",
    "invalid_schedule": "its schedule is not valid",
    "filter_matched_nothing": "its filter matched nothing",
    "already_sent": "the candidate had this note for that application already",
    "ats_unmirrored": "the ATS your organisation connected does not give what it needs, so it "
    "would always be empty",
}
ERROR_WORDS = {
    "delivery_error": "the output could not be delivered",
    "skill_error": "the skill could not produce its output",
    "action_failed": "one of its actions failed",
    "lease_expired": "the worker running it stopped and the run was taken over",
    "timeout": "it took too long",
}


def _when(instant: datetime | None, tz: str) -> str:
    if instant is None:
        return "never"
    return local_time(instant, tz)


def explain(
    auto: Automation,
    runs: Sequence[AutomationRun],
    now: datetime,
    question: str = "",
    *,
    next_run: datetime | None = None,
    tz: str | None = None,
) -> str:
    """A few sentences: the state first (paused, failing, no next run), then the evidence.
    `next_run`: the next run it makes, when known (past those it skips); else its next due
    time. `tz`: the asker's zone, which its times are said in (default: the automation's)."""
    tz = tz or auto.timezone
    about_failure = bool(re.search(r"\bfail|error|broke|wrong", question, re.I))
    lines: list[str] = []
    last = runs[0] if runs else None
    failed = [r for r in runs if r.status == "failed"]
    if not auto.enabled:
        if auto.status == "failed":
            lines.append(
                f"It is paused because its last {auto.consecutive_failures or 'few'} "
                "occurrences failed; it will not run again until someone resumes it."
            )
        elif auto.paused_until is not None and auto.paused_until <= now:
            lines.append(
                f"Its pause ended {_when(auto.paused_until, tz)}; it resumes at the worker's "
                "next tick (no worker has ticked since: is one running?)."
            )
        elif auto.paused_until is not None:
            lines.append(
                f"It is paused until {_when(auto.paused_until, tz)} "
                f"({auto.paused_reason or 'paused'}); it resumes by itself then."
            )
        else:
            lines.append(
                f"It is paused ({auto.paused_reason or 'paused'}); resume it to run again."
            )
    elif auto.trigger_type == "event":
        said = event_words(auto.event_type or "", auto.event_filter or {})
        lines.append(
            f"It runs only {said[0].lower()}{said[1:]}"
            + "; it did not fire because no such event came in"
            + (f" since {_when(last.created_at, tz)}." if last else " yet.")
        )
    elif auto.next_run_at is None:
        lines.append(
            "It has no future run: a one-off that already ran, or a schedule that has ended."
        )
    elif auto.next_run_at > now and not about_failure:
        first = ", its first" if last is None else ""
        upcoming = next_run or auto.next_run_at
        lines.append(f"It is on schedule; the next run is {_when(upcoming, tz)}{first}.")
    if auto.skip_holidays and auto.enabled and auto.trigger_type == "cron":
        lines.append("It skips the runs that fall on your organisation's holidays.")
    ahead = [t for t in read_skips(auto.skips) if t > now]
    if ahead and auto.enabled:
        said = ", ".join(_when(t, tz) for t in ahead[:5]) + (" …" if len(ahead) > 5 else "")
        lines.append(f"It skips {len(ahead)} run{'s' if len(ahead) > 1 else ''} as asked: {said}.")
    if last is not None:
        if last.status == "skipped":
            reason = SKIP_WORDS.get(last.skipped_reason or "", last.skipped_reason or "skipped")
            sender = (last.output_summary or {}).get("sent_by")
            if last.skipped_reason == "already_sent" and isinstance(sender, dict):
                named = f" “{sender['name']}”" if sender.get("name") else ""
                reason += f" (automation #{sender.get('automation_id')}{named} sent it)"
            asked = asked_words(last.skipped_reason, tz)
            said = f" {asked}" if asked else f": {reason}"
            lines.append(
                f"The last occurrence ({_when(last.scheduled_for, tz)}) was skipped{said}."
            )
        if last.missed_count:
            count = last.missed_count
            missed = f"{count} occurrence{'s were' if count != 1 else ' was'} missed"
            lines.append(
                f"{missed} (worker down or automation paused); none of them ran."
                if last.status == "skipped"
                else f"{missed} (worker down or automation paused); the latest ran late, once."
            )
    # the last run's failure is said even when it counts toward no pause (a run by hand)
    last_failed = last is not None and last.status == "failed"
    if failed and (about_failure or auto.consecutive_failures or last_failed or not lines):
        run = failed[0]
        cause = ERROR_WORDS.get(run.error_code or "")
        # a stored message is a sentence of its own: its full stop would double the answer's
        detail = f": {run.error_message.rstrip().rstrip('.')}" if run.error_message else ""
        attempts = f"{run.attempt} attempt{'s' if run.attempt != 1 else ''}"
        because = f" because {cause}{detail}" if cause else detail
        by_hand = {"manual": " (run by hand)", "test": " (a test run)"}.get(run.triggered_by, "")
        lines.append(
            f"Run #{run.id}{by_hand} on {_when(run.scheduled_for, tz)} failed after {attempts}"
            f"{because}. Retry it once the cause is fixed."
        )
    elif about_failure and not failed:
        lines.append("None of its recent runs failed.")
    if last is not None and last.status in ("completed", "partial") and not about_failure:
        lines.append(
            f"It last ran {_when(last.started_at or last.scheduled_for, tz)} ({last.status})."
        )
    if last is None and auto.enabled and auto.trigger_type != "event" and not lines:
        lines.append(f"It has not run yet; its first run is {_when(auto.next_run_at, tz)}.")
    return " ".join(lines) or "Everything looks normal."
