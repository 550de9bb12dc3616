"""Relative schedules: "30 minutes before each interview", "2 days after the interview".

An automation listening for interview.scheduled with event_filter
{"relative_to": "interview.starts_at", "offset_minutes": -30} gets one pending run per
interview at starts_at + offset. interview.rescheduled moves that run (or creates it, if the
scheduling was never seen); interview.cancelled records it as skipped (interview_cancelled).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models.clock import parse_instant
from models.store.event_runs import listeners, record_skipped_event_run
from models.store.events import InboxEvent
from models.store.relative_schedules import cancel_relative, schedule_relative
from worker.triggers.matching import matches, offset_minutes, relative_to, trigger_data

ANCHOR = "interview.starts_at"


def subject_of(event: InboxEvent) -> str | None:
    interview = event.data.get("interview_id")
    return f"interview:{interview}" if interview else None


def handle_interview(
    engine: Engine, event: InboxEvent, now: datetime, admit: Callable[[], str | None]
) -> int:
    """Create, move or cancel the relative occurrences of this interview; returns the number
    of runs newly queued. `admit` says why a new run is refused (rate, chain depth), if so."""
    subject = subject_of(event)
    if subject is None:
        return 0
    if event.event_type == "interview.cancelled":
        cancel_relative(engine, org_id=event.org_id, subject_ref=subject, now=now)
        return 0
    if event.event_type not in ("interview.scheduled", "interview.rescheduled"):
        return 0
    try:
        starts_at = parse_instant(str(event.data.get("starts_at") or ""))
    except ValueError:
        return 0  # an interview without a time has nothing to hang a schedule on
    queued = 0
    for listener in listeners(engine, event.org_id, "interview.scheduled"):
        if relative_to(listener.event_filter) != ANCHOR:
            continue
        if not matches(listener.event_filter, event.data, owner_id=listener.owner_id):
            continue
        fires_at = starts_at + timedelta(minutes=offset_minutes(listener.event_filter))
        data = trigger_data(event)
        refused = admit()
        if refused:
            record_skipped_event_run(
                engine,
                automation_id=listener.id,
                org_id=event.org_id,
                event_id=event.id,
                chain_depth=event.chain_depth,
                trigger_data=data,
                now=now,
                reason=refused,
                scheduled_for=fires_at,
            )
            continue
        run_id = schedule_relative(
            engine,
            org_id=event.org_id,
            automation_id=listener.id,
            subject_ref=subject,
            event_id=event.id,
            fires_at=fires_at,
            chain_depth=event.chain_depth,
            trigger_data=data,
            now=now,
        )
        queued += run_id is not None
    return queued
