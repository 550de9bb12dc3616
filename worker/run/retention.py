"""Retention: full outputs live for their TTL, history and processed ATS
events for settings.run_retention_days, the audit log for settings.audit_retention_days."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models.settings import CoreSettings
from models.store.audit import prune_audit
from models.store.conversations import prune_drafts, prune_slack_events, prune_states
from models.store.events import prune_inbox
from models.store.retention import PruneReport
from models.store.retention import prune as prune_history


def prune(engine: Engine, settings: CoreSettings, now: datetime) -> PruneReport:
    report = prune_history(engine, now=now, retention_days=settings.run_retention_days)
    prune_inbox(engine, before=now - timedelta(days=settings.run_retention_days))
    prune_drafts(engine, now)
    prune_slack_events(engine, before=now - timedelta(days=1))
    prune_states(engine, now)
    prune_audit(engine, before=now - timedelta(days=settings.audit_retention_days))
    return report
