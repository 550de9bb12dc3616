"""Processing the event inbox, as a tick hook (Worker.before_claim): each received event runs
its reactions, creates or moves relative occurrences, and queues a run for every automation
that listens for it and passes its filter; the same tick then claims those runs.

At-least-once: an event is leased, processed, then marked processed. A worker that dies in
between leaves it `received` (lease expired) and the next tick processes it again; runs are
created once per (event, automation), so nothing doubles.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from models.settings import TriggerSettings
from models.store.event_runs import (
    Listener,
    automations_with_runs_by_event,
    event_runs_since,
    listeners,
    queue_event_run,
    queue_event_run_once,
    record_skipped_event_run,
)
from models.store.events import Finished, InboxEvent, claim_received, finish_events
from skills.builtin import default_registry
from skills.registry import SkillRegistry
from worker.triggers.matching import matches, offset_minutes, relative_to, trigger_data
from worker.triggers.reactions import ReactionEvent, react
from worker.triggers.relative import handle_interview

log = logging.getLogger(__name__)


@dataclass
class InboxReport:
    events: int = 0
    runs_queued: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


class RateWindow:
    """Event runs per organisation in the last minute: read once per batch, then counted."""

    def __init__(self, engine: Engine, limit: int, now: datetime) -> None:
        self.engine, self.limit, self.now = engine, limit, now
        self.counts: dict[int, int] = {}

    def admit(self, org_id: int) -> bool:
        if org_id not in self.counts:
            self.counts[org_id] = event_runs_since(
                self.engine, org_id, self.now - timedelta(minutes=1)
            )
        if self.counts[org_id] >= self.limit:
            return False
        self.counts[org_id] += 1
        return True


class BatchReads:
    """What the events of one claimed batch read, read once for the batch: the automations
    listening for each (organisation, event type), and the automations each event already
    started a run for (a reprocessed event starts none again)."""

    def __init__(self, engine: Engine, batch: list[InboxEvent]) -> None:
        self.engine = engine
        self._listeners: dict[tuple[int, str], list[Listener]] = {}
        self.started = automations_with_runs_by_event(engine, [e.id for e in batch])

    def listeners(self, org_id: int, event_type: str) -> list[Listener]:
        key = (org_id, event_type)
        if key not in self._listeners:
            self._listeners[key] = listeners(self.engine, org_id, event_type)
        return self._listeners[key]


#: why a run an event would start is not: the candidate had that note for that application
ALREADY_SENT = "already_sent"


def once_key(registry: SkillRegistry, listener: Listener, data: dict[str, Any]) -> str | None:
    """What an automation whose skill sends once per application is about to send, for the
    whole organisation ("candidate-note:rejection:application:12"), None for other skills: an
    ATS that reports a rejection twice, or two rejection-note automations, send one note."""
    if listener.skill not in registry:
        return None
    spec = registry.get(listener.skill).spec
    if spec.once_per is None:
        return None
    # a kind left unsaid is the skill's default: the same note as one that names it
    declared = spec.params.get("kind")
    kind = listener.params.get("kind", declared.default if declared is not None else None)
    sends = f"{listener.skill}:{kind}" if kind is not None else listener.skill
    if data.get("application_id") is not None:
        return f"{sends}:application:{data['application_id']}"
    if data.get("candidate_id") is not None:  # an ATS that names no application: per job
        job = data.get("job_id") or data.get("job")
        return f"{sends}:candidate:{data['candidate_id']}:job:{job}"
    return None


class InboxProcessor:
    """Callable as a before_claim hook: processes every received event, in batches; the events
    of a batch are marked processed together once the batch is done (an event processed twice
    after a crash starts no run twice)."""

    def __init__(
        self,
        engine: Engine,
        settings: TriggerSettings,
        worker_id: str,
        registry: SkillRegistry | None = None,
    ) -> None:
        self.engine, self.settings, self.worker_id = engine, settings, worker_id
        # the worker's own skills: what runs once per application is theirs to say
        self.registry = registry if registry is not None else default_registry()

    def __call__(self, now: datetime) -> InboxReport:
        report = InboxReport()
        rate = RateWindow(self.engine, self.settings.event_runs_per_minute, now)
        while True:
            batch = claim_received(
                self.engine,
                now=now,
                worker_id=self.worker_id,
                lease_seconds=self.settings.inbox_lease_seconds,
                limit=self.settings.inbox_batch,
            )
            reads = BatchReads(self.engine, batch)
            finished: list[Finished] = []
            for event in batch:
                try:
                    finished.append(self.process(event, now, rate, report, reads))
                except Exception:  # left leased: the lease expires and a later tick retries
                    log.exception("processing event %s failed", event.id)
            finish_events(self.engine, finished, now=now)
            report.events += len(batch)
            if len(batch) < self.settings.inbox_batch:
                return report

    def process(
        self,
        event: InboxEvent,
        now: datetime,
        rate: RateWindow,
        report: InboxReport,
        reads: BatchReads,
    ) -> Finished:
        errors = react(
            self.engine,
            ReactionEvent(
                event.id,
                event.org_id,
                event.event_type,
                event.data,
                event.chain_depth,
                event.provider,
            ),
            now,
        )
        queued = 0
        if event.event_type.startswith("interview."):
            queued += handle_interview(
                self.engine, event, now, admit=lambda: self._admit(event, rate, report)
            )
        done = reads.started.get(event.id, set())
        for listener in reads.listeners(event.org_id, event.event_type):
            anchor = relative_to(listener.event_filter)
            if listener.id in done or anchor not in (None, "event"):
                continue  # already started, or hangs off an interview (handled above)
            if not matches(listener.event_filter, event.data, owner_id=listener.owner_id):
                continue
            when = event.received_at
            if anchor == "event":
                when += timedelta(minutes=offset_minutes(listener.event_filter))
            queued += self._start(event, listener, when, now, rate, report)
        report.runs_queued += queued
        return Finished(event.id, queued, "; ".join(errors) or None)

    def _admit(self, event: InboxEvent, rate: RateWindow, report: InboxReport) -> str | None:
        """Why the event may not start a run, or None."""
        if event.chain_depth >= self.settings.max_chain_depth:
            return "chain_depth_exceeded"
        if not rate.admit(event.org_id):
            return "event_rate_limited"
        return None

    def _start(
        self,
        event: InboxEvent,
        listener: Listener,
        when: datetime,
        now: datetime,
        rate: RateWindow,
        report: InboxReport,
    ) -> int:
        data = trigger_data(event)
        refused = self._admit(event, rate, report)
        common: dict[str, Any] = {
            "automation_id": listener.id,
            "org_id": event.org_id,
            "event_id": event.id,
            "chain_depth": event.chain_depth,
            "trigger_data": data,
            "scheduled_for": when,
            "now": now,
        }
        if refused:
            record_skipped_event_run(self.engine, reason=refused, **common)
            report.skipped[refused] += 1
            return 0
        key = once_key(self.registry, listener, event.data)
        if key is None:
            queue_event_run(self.engine, **common)
            return 1
        queued = queue_event_run_once(self.engine, once_key=key, **common)
        if queued.run_id is None:
            record_skipped_event_run(
                self.engine,
                reason=ALREADY_SENT,
                summary=sent_by(queued.held_by, queued.held_by_name),
                **common,
            )
            report.skipped[ALREADY_SENT] += 1
            return 0
        return 1


def sent_by(automation_id: int | None, name: str) -> dict[str, Any]:
    """What a run skipped as already sent keeps: which automation sent the note (ids and the
    automation's own name, never the candidate's)."""
    if automation_id is None:
        return {}
    return {"sent_by": {"automation_id": automation_id, "name": name}}
