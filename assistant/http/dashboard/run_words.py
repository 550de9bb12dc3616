"""A run's actions and targets in the words a recruiter reads on the run page: what ran, what
was delivered where (counts and channels, never an address), why a step failed and what to do
about it. The rows keep only ids, roles and counts (they are PII-free); the codes stay in the
API's JSON."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from assistant.language.draft import event_words
from assistant.language.why import SKIP_WORDS
from assistant.language.words import SKILL_LABELS
from assistant.tools.views import ActionView, RunView, TargetView
from models.skip_list import asked_words

STATUS_WORDS = {
    "completed": "done",
    "partial": "partly done",
    "failed": "failed",
    "skipped": "skipped",
    "pending": "waiting",
    "running": "running",
}
# why a step did nothing, beyond the run-level reasons the chat's "why" knows
STEP_SKIP_WORDS = {
    **SKIP_WORDS,
    "test_run": "a test sends nothing",
    "already_delivered": "it was delivered before (a resend after an unknown outcome)",
    "duplicate_recipient": "that recipient was named twice",
    "already_set": "the field had that value already",
    "already_created": "the task existed already",
}
# who a workflow's email goes to
ROLE_WORDS = {
    "candidate": "the candidate",
    "owner": "the automation's owner",
    "hiring_manager": "the job's hiring manager",
    "candidate_owner": "the candidate's owner",
}
# what to do when a step of this kind failed
ADVICE = {
    "deliver": "Check the recipients and how the output is sent (Edit), then retry the run.",
    "send_email": "Check the recipient has an email address in the ATS, then retry the run.",
    "update_field": "Check the record still exists in the ATS, then retry the run.",
    "create_task": "Check the candidate still has an owner in the ATS, then retry the run.",
    "render": "Check the automation's settings (Edit), then retry the run.",
}
DELIVERY_WORDS = {
    "email": "email",
    "slack": "Slack",
    "webhook": "webhook",
    "in_app": "in-app notification (Inbox)",
}
TARGET_WORDS = {"candidate": ("candidate", "candidates"), "recipient": ("recipient", "recipients")}


@dataclass(frozen=True)
class Step:
    """One action row, said: what it did, how it went, and on failure why and what to do."""

    what: str
    status: str
    outcome: str
    why: str = ""
    todo: str = ""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _skill_words(skill: str) -> str:
    label = SKILL_LABELS.get(skill, skill.replace("-", " "))
    return label.replace(f" ({skill})", "")


def _delivery(detail: dict[str, Any]) -> str:
    channel = DELIVERY_WORDS.get(str(detail.get("channel", "")))
    if channel is None:
        return "Sending the output"
    if "until" in detail:
        return f"Sending by {channel}, once the recipient's working hours start"
    sent, skipped, failed = (int(detail.get(k) or 0) for k in ("sent", "skipped", "failed"))
    said = f"Sent by {channel} to {_plural(sent, 'recipient', 'recipients')}"
    extra = [f"{n} {word}" for n, word in ((skipped, "skipped"), (failed, "failed")) if n]
    if detail.get("resent_after_unknown"):
        extra.append(f"{detail['resent_after_unknown']} sent again after an unclear answer")
    return said + (f" ({', '.join(extra)})" if extra else "")


def _what(action: ActionView) -> str:
    detail = action.detail
    kind = action.action_type
    candidate = f" (candidate #{detail['candidate_id']})" if "candidate_id" in detail else ""
    if kind == "render" and detail.get("skill") == "workflow":
        return "Read the event and planned the workflow's steps"
    if kind == "render":
        mode = " (written by Claude)" if detail.get("mode") == "llm" else ""
        return f"Prepared {_skill_words(str(detail.get('skill', '')))}{mode}"
    if kind == "deliver":
        return _delivery(detail)
    if kind == "send_email":
        to = str(detail.get("to") or "candidate")
        step = f", sequence step {detail['step']}" if "step" in detail else ""
        return f"Emailed {ROLE_WORDS.get(to, 'an address')}{candidate}{step}"
    if kind == "update_field":
        entity = str(detail.get("entity") or "record")
        field = str(detail.get("field") or "a field").replace("_", " ")
        return f"Set the {entity}'s {field}{candidate}"
    if kind == "create_task":
        due = detail.get("due_in_days")
        when = "" if due is None else f", due in {_plural(int(due), 'day', 'days')}"
        return f"Created a follow-up task{candidate}{when}"
    return kind.replace("_", " ").capitalize() + candidate


def step_of(action: ActionView) -> Step:
    why = action.error or skip_words(action.skipped_reason)
    todo = ADVICE.get(action.action_type, "Retry the run once the cause is fixed.")
    return Step(
        what=_what(action),
        status=action.status,
        outcome=STATUS_WORDS.get(action.status, action.status.replace("_", " ")),
        why=why,
        todo=todo if action.status in ("failed", "partial") else "",
    )


def steps_of(run: RunView) -> list[Step]:
    return [step_of(a) for a in sorted(run.actions, key=lambda a: a.position)]


def targets_in_words(targets: list[TargetView]) -> list[str]:
    """One line a kind of target: "4 candidates: #11, #1, #33 and #25 — all done"; the
    recipients by count only (their rows hold a hash, not an address)."""
    lines: list[str] = []
    kinds = list(dict.fromkeys(t.target_type for t in targets))
    for kind in kinds:
        rows = [t for t in targets if t.target_type == kind]
        one, many = TARGET_WORDS.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
        said = _plural(len(rows), one, many)
        if kind != "recipient":
            refs = [f"#{t.target_ref}" for t in rows[:12]]
            more = f" and {len(rows) - 12} more" if len(rows) > 12 else ""
            said += ": " + ", ".join(refs) + more
        states = Counter(STATUS_WORDS.get(t.status, t.status) for t in rows)
        if len(states) == 1:
            (state,) = states
            said += f" — {'all ' if len(rows) > 1 else ''}{state}"
        else:
            said += " — " + ", ".join(f"{n} {state}" for state, n in states.items())
        lines.append(said)
    return lines


def target_problems(targets: list[TargetView]) -> list[str]:
    """Why targets failed or were skipped, each reason once with how many it concerns."""
    reasons: Counter[str] = Counter()
    for t in targets:
        if t.error:
            reasons[t.error] += 1
        elif t.skipped_reason:
            reasons[skip_words(t.skipped_reason)] += 1
    return [f"{reason} ({n})" if n > 1 else reason for reason, n in reasons.items()]


def skip_words(reason: str | None) -> str:
    """Why a run or a step was skipped, in words."""
    if not reason:
        return ""
    return asked_words(reason) or STEP_SKIP_WORDS.get(reason, reason.replace("_", " "))


# an event named by its code in a test's note: "(#12, candidate.stage_changed)"
_EVENT_CODE = re.compile(r"\(#(\d+), ([a-z_]+\.[a-z_]+)\)")


def note_words(note: str | None) -> str:
    """A test run's note with its event said: "(#12: a candidate changes stage)"."""

    def said(found: re.Match[str]) -> str:
        words = event_words(found.group(2), {})
        return f"(#{found.group(1)}: {words.removeprefix('When ')})"

    return _EVENT_CODE.sub(said, note or "")


def took(duration_ms: int | None) -> str:
    """A run's duration as people say it: "36 ms", "2.4 s", "3 min 5 s"."""
    if duration_ms is None:
        return "—"
    if duration_ms < 1000:
        return f"{duration_ms} ms"
    seconds = duration_ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
