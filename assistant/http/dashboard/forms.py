"""The automation form as the dashboard posts it: fields to a create spec or to the changes of
an edit (only what differs), and a stored automation back to fields."""

import json
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from assistant.http.api_edge import AutomationCreate
from models.errors import InvalidInput
from models.tables.automations import Automation

FILTER_KEYS = ("from_stage", "to_stage", "job", "department")


# the form's labels of the fields a check names
FIELD_LABELS = {
    "name": "Name",
    "poll_interval_minutes": "Check every (minutes)",
    "to": "To",
    "timezone": "Time zone",
    "description": "Description",
    "cron": "Schedule",
}


def _invalid(exc: ValidationError) -> InvalidInput:
    """The first problem, named by the field's label and said in words."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
    limit = first.get("ctx") or {}
    said = {
        "missing": "is needed",
        "string_too_short": "cannot be empty"
        if limit.get("min_length") == 1
        else f"needs at least {limit.get('min_length')} characters",
        "string_too_long": f"takes at most {limit.get('max_length')} characters",
        "greater_than_equal": f"must be at least {limit.get('ge')}",
        "less_than_equal": f"must be at most {limit.get('le')}",
        "int_parsing": "must be a whole number",
    }.get(first["type"])
    if said is None:
        return InvalidInput(f"{label}: {first['msg']}")
    return InvalidInput(f"{label} {said}.")


def _params(text: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"Params take one key=value a line; got '{line.strip()[:80]}'.")
        params[key.strip()] = _param_value(value.strip())
    return params


def _param_value(value: str) -> Any:
    """A value as typed; a list or an object (a workflow's actions) in JSON, as the form
    shows it. Text that only looks like JSON ("[urgent] call back") stays text: the skill's
    own check says what a list param needs."""
    if value.startswith(("[", "{")):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(parsed, list | dict):
            return parsed
    return value


def _param_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)


def _recipients(text: str) -> list[str]:
    return [r for r in re.split(r"[,\s]+", text) if r] or ["me"]


def _trigger_fields(form: dict[str, str], trigger_type: str) -> dict[str, Any]:
    if trigger_type == "cron":
        cron = form.get("cron", "").strip()
        if not cron:
            raise InvalidInput("Give a schedule as a cron expression, e.g. 0 9 * * MON.")
        return {"cron": cron}
    if trigger_type == "event":
        return {
            "event_type": form.get("event_type") or None,
            "event_filter": {k: form[k].strip() for k in FILTER_KEYS if form.get(k, "").strip()},
        }
    if trigger_type == "poll":
        minutes = form.get("poll_interval_minutes", "").strip()
        if not minutes.isdigit():
            raise InvalidInput("Give the poll interval in whole minutes, e.g. 15.")
        return {"poll_interval_minutes": int(minutes)}
    raise InvalidInput(f"Unknown trigger type '{trigger_type}'. Use cron, event or poll.")


def spec_from_form(form: dict[str, str]) -> AutomationCreate:
    trigger_type = form.get("trigger_type", "cron")
    data: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "description": form.get("description", ""),
        "skill": form.get("skill", ""),
        "params": _params(form.get("params", "")),
        "trigger_type": trigger_type,
        "timezone": form.get("timezone", "").strip() or None,
        "output_channel": form.get("output_channel", "email"),
        "to": _recipients(form.get("to", "")),
        "misfire_policy": form.get("misfire_policy", "latest"),
        "overlap_policy": form.get("overlap_policy", "skip"),
        # a checkbox: sent only when ticked (and shown for a schedule alone)
        "skip_holidays": trigger_type == "cron" and form.get("skip_holidays") == "yes",
        "origin": {"channel": "email", "via": "dashboard"},
        **_trigger_fields(form, trigger_type),
    }
    try:
        return AutomationCreate.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from None


def changes_from_form(form: dict[str, str], current: Automation) -> dict[str, Any]:
    """Only what differs from the stored automation, so an untouched field never changes."""
    spec = spec_from_form({**form, "trigger_type": current.trigger_type})
    now: dict[str, Any] = {
        "name": current.name,
        "description": current.description,
        "skill": current.skill,
        "params": {
            k: v if isinstance(v, list | dict) else str(v) for k, v in current.params.items()
        },
        "cron": current.cron_expression,
        "timezone": current.timezone,
        "to": current.output_config.get("to") or ["me"],
        "output_channel": current.output_channel,
        "misfire_policy": current.misfire_policy,
        "overlap_policy": current.overlap_policy,
        "skip_holidays": current.skip_holidays,
        "event_type": current.event_type,
        "event_filter": current.event_filter,
        "poll_interval_minutes": current.poll_interval_minutes,
    }
    wanted = spec.model_dump()
    if current.trigger_type != "cron" or (current.cron_expression is None and not form.get("cron")):
        now.pop("cron")
    if wanted.get("timezone") is None:
        now.pop("timezone")
    if current.trigger_type != "event":
        now.pop("event_type"), now.pop("event_filter")
    if current.trigger_type != "cron":
        now.pop("skip_holidays")
    if current.trigger_type != "poll":
        now.pop("poll_interval_minutes")
    return {k: wanted[k] for k, v in now.items() if wanted[k] != v}


def form_values(auto: Automation) -> dict[str, str]:
    return {
        "name": auto.name,
        "description": auto.description,
        "skill": auto.skill,
        "params": "\n".join(f"{k}={_param_text(v)}" for k, v in auto.params.items()),
        "trigger_type": auto.trigger_type,
        "cron": auto.cron_expression or "",
        "timezone": auto.timezone,
        "to": ", ".join(auto.output_config.get("to") or ["me"]),
        "output_channel": auto.output_channel,
        "misfire_policy": auto.misfire_policy,
        "overlap_policy": auto.overlap_policy,
        "skip_holidays": "yes" if auto.skip_holidays else "",
        "event_type": auto.event_type or "",
        "poll_interval_minutes": str(auto.poll_interval_minutes or ""),
        **{k: str(auto.event_filter.get(k, "")) for k in FILTER_KEYS},
    }


def pause_end(day: str, zone: str) -> datetime:
    """A pause's end from the form's date (YYYY-MM-DD): the start of that day in the viewer's
    zone, as chat reads "until Monday"."""
    try:
        chosen = date.fromisoformat(day.strip())
    except ValueError:
        raise InvalidInput(
            f"Give the day the pause ends as a date, e.g. 2026-12-24; got '{day.strip()[:40]}'."
        ) from None
    return datetime.combine(chosen, time(0), tzinfo=ZoneInfo(zone))
