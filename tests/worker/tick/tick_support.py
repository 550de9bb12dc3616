"""Helpers the tick tests share: instants written as text, an automation's runs in occurrence
order, and a Worker with channels registered by name."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.settings import Settings, load_settings
from models.store.automations import get_automation
from models.store.run_history import list_runs
from models.tables.automations import Automation
from models.tables.runs import AutomationRun
from worker.delivery.channels import ChannelRegistry
from worker.tick.tick import Worker


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hm(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%H:%M")


def runs_of(engine: Engine, auto: Automation) -> list[AutomationRun]:
    """All runs of one automation, oldest occurrence (then attempt) first."""
    found = list_runs(engine, auto.org_id, automation_id=auto.id, limit=1000)
    return sorted(found, key=lambda r: (r.scheduled_for, r.attempt, r.id or 0))


def reload(engine: Engine, auto: Automation) -> Automation:
    return get_automation(engine, auto.org_id, auto.id or 0)


def new_worker(engine: Engine, settings: Settings | None = None, **channels: Any) -> Worker:
    settings = settings or load_settings()
    registry = ChannelRegistry(engine, settings)
    for name, channel in channels.items():
        registry.register(name, channel)
    return Worker(engine, settings, channels=registry)
