"""The kinds of automation a listing names: "my reminders", "which reports do I have?", "my
alerts", "my workflows". A reminder and a workflow are their skills; an alert waits for an
event or polls for one; a report is any other scheduled automation."""

from __future__ import annotations

import re
from typing import Protocol


class Kinded(Protocol):
    """An automation as stored or as viewed: what its kind is read from."""

    @property
    def skill(self) -> str: ...
    @property
    def trigger_type(self) -> str: ...


KINDS = ("reminders", "alerts", "reports", "workflows")
_KIND = re.compile(r"\b(reminder|alert|report|workflow)s?\b")


def kind_in(low: str) -> str | None:
    """The kind a listing's words name ("reminders"), or None for automations of any kind."""
    found = {m.group(1) + "s" for m in _KIND.finditer(low)}
    return found.pop() if len(found) == 1 else None


def of_kind(view: Kinded, kind: str) -> bool:
    if view.skill in ("reminder", "workflow"):
        return kind == view.skill + "s"
    alert = view.trigger_type in ("event", "poll") or "alert" in view.skill
    return kind == ("alerts" if alert else "reports")
