"""Building a Worker for this deployment: the tick, its channels and its trigger hooks.
Every entry point (CLI tick/worker/serve, the tool set's test runs, the HTTP tick endpoint)
builds workers here, so a feature area wires itself in one place."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from models.settings import Settings, TriggerSettings
from models.settings_integrations import AnthropicSettings
from skills.llm.runner import LlmSkillRunner as ClaudeRunner
from skills.registry import SkillRegistry
from worker.delivery.base import ChatLayout
from worker.delivery.channels import ChannelRegistry
from worker.run.ats_syncs import AtsSyncs
from worker.run.executor import LlmSkillRunner
from worker.tick.tick import Worker
from worker.triggers.polling import Poller
from worker.triggers.processor import InboxProcessor


def build_worker(
    engine: Engine,
    settings: Settings,
    *,
    registry: SkillRegistry | None = None,
    slack_layout: ChatLayout | None = None,
) -> Worker:
    """The deployment's worker; Slack messages laid out by `slack_layout` (the Slack app's,
    handed over by the assistant; plain text without it)."""
    worker = Worker(
        engine,
        settings,
        registry=registry,
        channels=ChannelRegistry(engine, settings, slack_layout=slack_layout),
        llm=llm_runner(settings.anthropic),
    )
    add_trigger_hooks(worker, settings.triggers)
    # connected ATS mirrors are synced beside the tick, each under its lease
    worker.before_claim.append(AtsSyncs(engine, settings.core, worker.worker_id))
    return worker


def finish_background(worker: Worker) -> None:
    """Wait for what a tick started beside itself (an ATS sync): a one-shot tick's process
    would otherwise end it halfway."""
    for hook in worker.before_claim:
        if isinstance(hook, AtsSyncs):
            hook.join()


def llm_runner(settings: AnthropicSettings) -> LlmSkillRunner | None:
    """Claude for LLM and hybrid skills when an API key is set; else None (hybrid skills run
    deterministically, llm-only skills fail with a clear message)."""
    return ClaudeRunner(settings) if settings.api_key else None


def add_trigger_hooks(worker: Worker, settings: TriggerSettings) -> None:
    """Before each claim: poll what is due, then process received events, so the runs they
    queue are claimed by the same tick."""
    worker.before_claim.append(Poller(worker.engine, settings))
    worker.before_claim.append(
        InboxProcessor(worker.engine, settings, worker.worker_id, worker.registry)
    )
