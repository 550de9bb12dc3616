"""Retention: full outputs live for their TTL (product.md, Privacy), history for
settings.run_retention_days."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from models import records
from models.settings import Settings


def prune(engine: Engine, settings: Settings, now: datetime) -> records.PruneReport:
    return records.prune(engine, now=now, retention_days=settings.run_retention_days)
