"""Building a Worker for this deployment: the tick, its channels and its trigger hooks.
Every entry point (CLI tick/worker/serve, the tool set's test runs, the HTTP tick endpoint)
builds workers here, so a feature area wires itself in one place."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from models.settings import Settings
from skills import SkillRegistry
from worker.tick import Worker
from worker.triggers import add_trigger_hooks


def build_worker(
    engine: Engine, settings: Settings, *, registry: SkillRegistry | None = None
) -> Worker:
    worker = Worker(engine, settings, registry=registry)
    add_trigger_hooks(worker)
    return worker
