"""What the dashboard says instead of the codes programs read: what an automation does and
where its output goes (the chat's own wording), how a run started, and the choices of the
form. The codes stay in form values, URLs and the API."""

from __future__ import annotations

import re
from typing import Any

from assistant.conversation.words import output_of
from assistant.language.action_words import action_words
from assistant.tools.views import AutomationView
from skills.param_words import SpecsBySkill, action_in_words

TRIGGER_TYPE_WORDS = {
    "cron": "On a schedule",
    "event": "When something happens",
    "poll": "Check regularly",
}
CHANNEL_WORDS = {
    "email": "Email",
    "slack": "Slack message",
    "webhook": "Webhook (an HTTP POST to a URL)",
    "in_app": "In-app notification (your dashboard Inbox)",
}
MISFIRE_WORDS = {
    "latest": "Run the latest missed time once, late",
    "skip": "Skip the missed times",
    "catch_up": "Run each missed time (at most 10)",
}
OVERLAP_WORDS = {
    "skip": "Skip the new run",
    "buffer_one": "Run it once the previous run ends",
    "allow": "Run both at once",
}
TRIGGERED_BY_WORDS = {
    "schedule": "on schedule",
    "event": "by an event",
    "poll": "by a regular check",
    "manual": "run now",
    "test": "test (sent to nobody)",
}


def does(view: AutomationView, specs: SpecsBySkill, reader: str) -> str:
    """What it does, as its read-back says it, without the skill's code; a workflow as "a
    workflow of 2 steps: email you “…”, then a task for …" (see workflow_steps)."""
    steps = workflow_steps(view, reader)
    if steps:
        count = f"{len(steps)} step{'' if len(steps) == 1 else 's'}"
        said = [s[:1].lower() + s[1:] for s in steps]
        return f"a workflow of {count}: " + ", then ".join(said)
    line = action_words(
        view.skill, view.params, specs=specs, scheduled=view.trigger_type != "event"
    ).replace(f" ({view.skill})", "")
    if reader.lower() == view.owner_email.lower():
        return line
    # "you" in the read-back is its owner: another reader (an admin) reads whose it is; words
    # quoted from the request (a reminder's text) stay as written
    parts = re.split(r"(“[^”]*”)", line)
    return "".join(
        p if p.startswith("“") else _YOU.sub(lambda m: _whose(m, view.owner_email), p)
        for p in parts
    )


_YOU = re.compile(r"\b(your|you)\b", re.I)


def _whose(found: re.Match[str], owner: str) -> str:
    return f"{owner}'s" if found.group(1).lower() == "your" else owner


def workflow_steps(view: AutomationView, reader: str) -> list[str]:
    """A workflow's actions, one sentence each as the read-back says them ("Email the
    candidate “Welcome, the candidate's first name”"); "you" is its owner, so another reader
    reads the owner's address. Empty for other skills."""
    actions = view.params.get("actions") if view.skill == "workflow" else None
    if not isinstance(actions, list):
        return []
    said = [action_in_words(a) for a in actions if isinstance(a, dict)]
    if reader.lower() != view.owner_email.lower():
        owner = view.owner_email
        said = [
            s.replace("email you “", f"email {owner} “", 1).replace(
                "a task for you “", f"a task for {owner} “", 1
            )
            for s in said
        ]
    return [s[:1].upper() + s[1:] for s in said]


def sends(view: AutomationView, reader: str) -> str:
    """Where its output goes, for `reader`: "email to you", or its owner's address; a job
    without output of its own (a sequence's steps send their own emails) says so."""
    if view.output_channel == "noop":
        return "no message of its own"
    return output_of(view, reader)


def said(code: str | None, table: dict[str, str]) -> str:
    """A code in words by `table`; an unknown code with its underscores as spaces."""
    if not code:
        return ""
    return table.get(code, code.replace("_", " "))


def _value_words(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value_words(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list | tuple):
        return ", ".join(_value_words(v) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _scope_words(scope: Any, whose: str | None) -> str | None:
    """A report's scope by whose candidates it covered; None for the viewer's own (the default
    they would not think to ask about)."""
    if scope == "mine":
        return f"{whose}'s candidates" if whose else None
    if scope == "organization":
        return "the whole organisation's candidates"
    return _value_words(scope)


def summary_words(summary: dict[str, Any], whose: str | None = None) -> str:
    """A run's PII-free summary, its keys said with spaces: "active: 16; by stage: Applied 1,
    Screen 7". Record ids are left to the run's records list; `whose`: the automation's
    owner when the viewer is someone else, so "scope: mine" says whose it meant."""
    said_parts: list[str] = []
    for k, v in summary.items():
        if k.endswith(("_id", "_ids")):
            continue
        value = _scope_words(v, whose) if k == "scope" else _value_words(v)
        if value is not None:
            said_parts.append(f"{k.replace('_', ' ')}: {value}")
    return "; ".join(said_parts)
