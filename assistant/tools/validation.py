"""Checks every automation write passes, whichever interface it came from (CLI, REST,
dashboard, Slack, MCP): text lengths and NUL characters, which PostgreSQL would refuse with a
driver error, and in-app recipients who must be users of the organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from models.errors import InvalidInput
from models.limits import NAME_MAX, TEXT_MAX, check_text
from models.store.orgs import list_users
from models.tables.automations import Automation


def check_automation_texts(auto: Automation) -> None:
    check_text(auto.name, "The name", NAME_MAX)
    if not auto.name.strip():
        raise InvalidInput("Give the automation a name.")
    check_text(auto.description or "", "The description", TEXT_MAX)
    check_text(auto.timezone or "", "The time zone", NAME_MAX)
    if not (auto.timezone or "").strip():
        raise InvalidInput("The time zone is empty: give an IANA zone such as Europe/London.")
    for key, value in _texts(auto.params):
        check_text(value, f"Parameter '{key}'", TEXT_MAX)
    for entry in _texts(auto.output_config.get("to") or []):
        check_text(entry[1], "A recipient", NAME_MAX)
    if auto.event_type is not None:
        check_text(auto.event_type, "The event type", NAME_MAX)
    for key, value in _texts(auto.event_filter or {}):
        check_text(value, f"Event filter '{key}'", NAME_MAX)


def check_given_timezone(value: str | None) -> None:
    """None means "the requester's zone"; an empty string is a mistake, not a default."""
    if value is not None and not value.strip():
        raise InvalidInput(
            "The time zone is empty: give an IANA zone such as Europe/London, or leave it out "
            "for your own."
        )


def check_in_app_recipients(engine: Engine, auto: Automation) -> None:
    """In-app messages can only reach users of the automation's organisation."""
    emails = {u.email.lower() for u in list_users(engine, auto.org_id)}
    for entry in auto.output_config.get("to") or []:
        name = str(entry).strip().lower()
        if "@" in name and name not in emails:
            raise InvalidInput(
                f"'{entry}' is not a user of your organisation; in-app messages go to its users."
            )


def _texts(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every string inside a JSON-like value, with the top-level key it sits under."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, key or str(k))]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v, key)]
    return []
