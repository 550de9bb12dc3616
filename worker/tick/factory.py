"""Building a Worker for this deployment: the tick, its channels and its trigger hooks.
Every entry point (CLI tick/worker/serve, the tool set's test runs, the HTTP tick endpoint)
builds workers here, so a feature area wires itself in one place."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from models.settings import Settings
from skills.config import SkillsConfig
from skills.llm.runner import LlmSkillRunner as ClaudeRunner
from skills.registry import SkillRegistry
from worker.run.executor import LlmSkillRunner
from worker.tick.tick import Worker
from worker.triggers.config import TriggerSettings
from worker.triggers.polling import Poller
from worker.triggers.processor import InboxProcessor


def build_worker(
    engine: Engine, settings: Settings, *, registry: SkillRegistry | None = None
) -> Worker:
    worker = Worker(engine, settings, registry=registry, llm=llm_runner())
    add_trigger_hooks(worker)
    return worker


def llm_runner() -> LlmSkillRunner | None:
    """Claude for LLM and hybrid skills when ANTHROPIC_API_KEY is set; else None (hybrid skills
    run deterministically, llm-only skills fail with a clear message)."""
    config = SkillsConfig()
    return ClaudeRunner(config) if config.anthropic_api_key else None


def add_trigger_hooks(worker: Worker, settings: TriggerSettings | None = None) -> None:
    """Before each claim: poll what is due, then process received events, so the runs they
    queue are claimed by the same tick."""
    settings = settings or TriggerSettings()
    worker.before_claim.append(Poller(worker.engine, settings))
    worker.before_claim.append(InboxProcessor(worker.engine, settings, worker.worker_id))
