"""Retention: full outputs live for their TTL (product.md, Privacy), history and processed ATS
events for settings.run_retention_days."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models import records
from models.events_store import prune_inbox
from models.settings import Settings


def prune(engine: Engine, settings: Settings, now: datetime) -> records.PruneReport:
    report = records.prune(engine, now=now, retention_days=settings.run_retention_days)
    prune_inbox(engine, before=now - timedelta(days=settings.run_retention_days))
    return report
