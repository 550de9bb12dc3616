"""Triggers (issue 4): ATS webhooks and polls become canonical events in the inbox; the tick
processes the inbox (matching, relative schedules, runaway protection) and runs what matched.
"""

from __future__ import annotations

from worker.tick.tick import Worker
from worker.triggers.config import TriggerSettings
from worker.triggers.polling import Poller
from worker.triggers.processor import InboxProcessor


def add_trigger_hooks(worker: Worker, settings: TriggerSettings | None = None) -> None:
    """Before each claim: poll what is due, then process received events, so the runs they
    queue are claimed by the same tick."""
    settings = settings or TriggerSettings()
    worker.before_claim.append(Poller(worker.engine, settings))
    worker.before_claim.append(InboxProcessor(worker.engine, settings, worker.worker_id))


__all__ = ["InboxProcessor", "Poller", "TriggerSettings", "add_trigger_hooks"]
