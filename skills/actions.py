"""Workflow actions: send_email, update_field, create_task.

An automation's `actions` param is a list of action definitions, checked when it is created
(`parse_action_specs`); at run time a skill turns them into `PlannedAction`s for the triggering
candidate, and the executor runs them in order (worker.run.actions), each with its own run_actions
row: the run is `partial` when some fail.

Definitions (JSON/YAML):
  {"type": "send_email", "to": "candidate" | "owner" | "hiring_manager" | "<address>",
   "subject": "...", "body": "..."}                       # subject/body: templates, see below
  {"type": "update_field", "entity": "application" | "candidate", "field": "priority",
   "value": "high"}
  {"type": "create_task", "title": "...", "due_in_days": 2, "assignee": "owner"}

Templates see `candidate.first_name`, `candidate.name`, `job.title`, `stage`, `sender.name`,
rendered in a sandbox (automation owners write them; they must not reach Python internals) with
a time, output and memory budget (skills.sandbox).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from models.addresses import is_email_address
from models.errors import InvalidInput
from skills.ats.records import UPDATABLE_FIELDS
from skills.sandbox import default_sandbox

ACTION_TYPES = ("send_email", "update_field", "create_task")
RECIPIENT_ROLES = ("candidate", "owner", "hiring_manager")
MAX_ACTIONS = 20

_SANDBOX = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@dataclass
class PlannedAction:
    """One action to run. `detail` is what run history keeps: ids, field names, roles."""

    action_type: str
    detail: dict[str, Any]
    # send_email
    to_email: str | None = None
    to_name: str = ""
    subject: str = ""
    text: str = ""
    # update_field
    entity: str | None = None
    entity_id: int | None = None
    field_name: str | None = None
    value: str | None = None
    # create_task
    title: str = ""
    due_at: datetime | None = None
    owner_id: int | None = None
    candidate_id: int | None = None
    application_id: int | None = None
    # an idempotency key of the action itself (sequence steps); default: occurrence + position
    key: str | None = None
    # for after_actions callbacks (enrolment id, step position); not stored
    tag: dict[str, Any] = field(default_factory=dict)
    # the recipient's time zone when the email goes to a candidate (quiet hours apply)
    quiet_tz: str | None = None
    # set when planning already failed (missing data): the executor records it as failed
    error: str | None = None


@dataclass
class ActionResult:
    action: PlannedAction
    status: str  # completed | failed | skipped
    error: str | None = None
    skipped_reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def parse_action_specs(skill: str, name: str, value: Any) -> list[dict[str, Any]]:
    """Check a list of action definitions; InvalidInput names the action and field at fault.
    A text value is read as JSON (a form's field is text), and broken JSON is said as such,
    with where it breaks."""
    if isinstance(value, str) and value.lstrip().startswith(("[", "{")):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            # a value on one line (a form's key=value line) has no line number worth saying
            line = f"line {exc.lineno}, " if "\n" in value.rstrip() else ""
            raise InvalidInput(
                f"Parameter '{name}' for skill {skill} is not valid JSON: {exc.msg} at "
                f"{line}column {exc.colno} of its value"
            ) from None
    if not isinstance(value, list) or not value:
        raise InvalidInput(
            f"Parameter '{name}' for skill {skill} must be a non-empty list of "
            "actions (send_email, update_field, create_task)"
        )
    if len(value) > MAX_ACTIONS:
        raise InvalidInput(f"At most {MAX_ACTIONS} actions per workflow, got {len(value)}")
    return [_check_action(i, item) for i, item in enumerate(value, start=1)]


def _check_action(number: int, item: Any) -> dict[str, Any]:
    def refuse(problem: str) -> InvalidInput:
        return InvalidInput(f"Action {number}: {problem}")

    if not isinstance(item, dict):
        raise refuse("must be a mapping with a 'type'")
    kind = item.get("type")
    if kind not in ACTION_TYPES:
        raise refuse("'type' must be one of " + ", ".join(ACTION_TYPES))
    known = {
        "send_email": {"type", "to", "subject", "body"},
        "update_field": {"type", "entity", "field", "value"},
        "create_task": {"type", "title", "due_in_days", "assignee"},
    }[kind]
    unknown = sorted(set(item) - known)
    if unknown:
        raise refuse(f"unknown field '{unknown[0]}' for {kind}; known: " + ", ".join(sorted(known)))
    if kind == "send_email":
        to = item.get("to") or "candidate"
        if not isinstance(to, str) or (to not in RECIPIENT_ROLES and not is_email_address(to)):
            raise refuse("'to' must be candidate, owner, hiring_manager or an email address")
        for key in ("subject", "body"):
            _check_template(refuse, key, item.get(key))
        return {"type": kind, "to": to, "subject": item["subject"], "body": item["body"]}
    if kind == "update_field":
        entity = item.get("entity") or "application"
        fields = UPDATABLE_FIELDS.get(entity)
        if fields is None:
            raise refuse("'entity' must be application or candidate")
        if item.get("field") not in fields:
            raise refuse(f"'field' of a {entity} must be one of " + ", ".join(fields))
        choices = fields[item["field"]]
        value = item.get("value")
        if not isinstance(value, str) or not value or (choices and value not in choices):
            allowed = ", ".join(choices) if choices else "a non-empty text"
            raise refuse(f"'value' for {item['field']} must be {allowed}")
        return {"type": kind, "entity": entity, "field": item["field"], "value": value}
    _check_template(refuse, "title", item.get("title"))
    days = item.get("due_in_days", 1)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
        raise refuse("'due_in_days' must be a whole number of days from 0 to 365")
    assignee = item.get("assignee") or "owner"
    if assignee not in ("owner", "candidate_owner"):
        raise refuse("'assignee' must be owner or candidate_owner")
    return {"type": kind, "title": item["title"], "due_in_days": days, "assignee": assignee}


def _check_template(refuse: Any, key: str, text: Any) -> None:
    if not isinstance(text, str) or not text.strip():
        raise refuse(f"'{key}' is required")
    try:
        _SANDBOX.parse(text)
    except TemplateError as exc:
        raise refuse(f"'{key}' is not a valid template: {exc}") from exc


def render_text(template: str, context: dict[str, Any], where: str) -> str:
    """Render an owner-written template in the sandbox, within its budget; SkillError names
    `where` and what went wrong."""
    return default_sandbox().render(template, context, where)
