"""Polling ("virtual webhooks") for an ATS without webhooks: every N minutes take a snapshot
through a PollSource, diff it against the last one, and store the same canonical events a
webhook would have given. The first poll only sets the baseline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.engine import Engine

from models.settings import TriggerSettings
from models.store.polls import (
    STATUS_EVENTS,
    PollEvent,
    claim_due_polls,
    commit_poll,
    demo_snapshot,
    load_snapshot,
    poll_failed,
    stage_change_key,
    status_key,
)
from models.tables.events import AtsConnection
from worker.triggers.canonical import clean

log = logging.getLogger(__name__)

Snapshot = dict[str, Any]  # {"candidates": {id: {...}}, "applications": {id: {...}}}


class PollSource(Protocol):
    """One organisation's ATS, as a poll sees it: ids, stages, statuses, jobs, no names.
    Applications carry candidate_id, job_id, job, department, stage, status (active | hired |
    rejected | withdrawn), stage_changed_at (ISO) and owner_id."""

    def snapshot(self) -> Snapshot: ...


class DemoPollSource:
    def __init__(self, engine: Engine, connection: AtsConnection) -> None:
        self.engine, self.org_id = engine, connection.org_id

    def snapshot(self) -> Snapshot:
        return demo_snapshot(self.engine, self.org_id)


SourceFactory = Callable[[Engine, AtsConnection], PollSource]
SOURCES: dict[str, SourceFactory] = {"demo": DemoPollSource}


def _app_data(app_id: str, app: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return clean({"application_id": app_id, **app, **extra})


def diff(old: Snapshot, new: Snapshot) -> list[PollEvent]:
    """The canonical events that turn `old` into `new`: candidates and applications added,
    stage and status changes, applications removed (reported as candidate.withdrawn with
    reason removed_from_ats)."""
    events: list[PollEvent] = []
    old_cands, new_cands = old.get("candidates", {}), new.get("candidates", {})
    old_apps, new_apps = old.get("applications", {}), new.get("applications", {})
    for cid in sorted(set(new_cands) - set(old_cands), key=_order):
        events.append(
            PollEvent(
                f"candidate:{cid}:created",
                "poll.candidate_added",
                "candidate.created",
                clean({"candidate_id": cid, **new_cands[cid]}),
            )
        )
    for aid in sorted(new_apps, key=_order):
        app = new_apps[aid]
        before = old_apps.get(aid)
        if before is None:
            events.append(
                PollEvent(
                    f"application:{aid}:created",
                    "poll.application_added",
                    "application.created",
                    _app_data(aid, app),
                )
            )
            continue
        changed_at = app.get("stage_changed_at") or ""
        if before.get("stage") != app.get("stage"):
            events.append(
                PollEvent(
                    stage_change_key(aid, app.get("stage", ""), changed_at),
                    "poll.stage_changed",
                    "candidate.stage_changed",
                    _app_data(aid, app, from_stage=before.get("stage"), to_stage=app.get("stage")),
                )
            )
        status = app.get("status")
        if status != before.get("status") and status in STATUS_EVENTS:
            events.append(
                PollEvent(
                    status_key(aid, status, changed_at),
                    f"poll.{status}",
                    STATUS_EVENTS[status],
                    _app_data(aid, app),
                )
            )
    for aid in sorted(set(old_apps) - set(new_apps), key=_order):
        events.append(
            PollEvent(
                f"application:{aid}:removed",
                "poll.application_removed",
                "candidate.withdrawn",
                _app_data(aid, old_apps[aid], reason="removed_from_ats"),
            )
        )
    return events


def _order(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (0, key)


@dataclass
class PollReport:
    polled: int = 0
    events: int = 0
    failed: list[int] = field(default_factory=list)


class Poller:
    """Callable as a before_claim hook: polls every connection that is due."""

    def __init__(
        self,
        engine: Engine,
        settings: TriggerSettings,
        sources: dict[str, SourceFactory] | None = None,
    ) -> None:
        self.engine, self.settings = engine, settings
        self.sources = sources if sources is not None else SOURCES

    def __call__(self, now: datetime) -> PollReport:
        report = PollReport()
        for connection in claim_due_polls(self.engine, now=now):
            factory = self.sources.get(connection.provider)
            if factory is None:
                poll_failed(
                    self.engine,
                    connection.id or 0,
                    retry_at=now + timedelta(hours=1),
                    error=f"Polling is not available for {connection.provider}.",
                )
                continue
            try:
                snapshot = factory(self.engine, connection).snapshot()
                previous = load_snapshot(self.engine, connection.id or 0)
                events = [] if previous is None else diff(previous, snapshot)
                report.events += commit_poll(self.engine, connection, snapshot, events, now)
                report.polled += 1
            except Exception as exc:  # nothing was stored: the retry diffs the same snapshot
                log.warning("poll of connection %s failed", connection.id, exc_info=True)
                poll_failed(
                    self.engine,
                    connection.id or 0,
                    error=f"The poll failed: {type(exc).__name__}",
                    retry_at=now + timedelta(seconds=self.settings.poll_retry_seconds),
                )
                report.failed.append(connection.id or 0)
        return report
