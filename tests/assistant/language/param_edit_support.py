"""What the tests of changes said in words share: an automation of any built-in skill, with
its params at their defaults, and an interview briefing hung off each interview's start."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.tables.automations import Automation
from skills.builtin import default_registry

NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
SPECS = default_registry().specs()
TITLES = ["Backend Engineer", "Data Engineer", "Designer", "Engineering Manager"]
# minutes in a unit of time; a week of business days is 5 of them
MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}


def automation(skill: str, **fields: Any) -> Automation:
    spec = SPECS[skill]
    base: dict[str, Any] = {
        "id": 1,
        "org_id": 1,
        "owner_id": 1,
        "name": "Morning check",
        "skill": skill,
        "trigger_type": "cron",
        "cron_expression": "0 9 * * 1-5",
        "timezone": "Europe/London",
        "params": {n: p.default for n, p in spec.params.items() if p.default is not None},
        "output_channel": "email",
        "output_config": {"to": ["me"]},
    }
    return Automation(**{**base, **fields})


def briefing(skill: str = "interview-briefing") -> Automation:
    return automation(
        skill,
        trigger_type="event",
        cron_expression=None,
        event_type="interview.scheduled",
        event_filter={"relative_to": "interview.starts_at", "offset_minutes": -30},
    )
