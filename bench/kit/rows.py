"""Rows written straight into the tables (SQLAlchemy Core executemany) where a benchmark needs
thousands of automations or a million runs: the store API writes one at a time. Each holds every
column a stored row has, as the store would write them."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def cron_automation_row(
    *,
    org_id: int | None,
    owner_id: int | None,
    name: str,
    cron: str,
    next_run_at: datetime,
    created_at: datetime,
    timezone: str = "UTC",
    **more: Any,
) -> dict[str, Any]:
    """An enabled, idle cron automation of the noop skill sending to its owner by noop."""
    return {
        "org_id": org_id,
        "owner_id": owner_id,
        "name": name,
        "description": "",
        "skill": "noop",
        "params": {},
        "trigger_type": "cron",
        "cron_expression": cron,
        "timezone": timezone,
        "event_filter": {},
        "output_channel": "noop",
        "output_config": {"to": ["me"]},
        "enabled": True,
        "status": "idle",
        "consecutive_failures": 0,
        "misfire_policy": "latest",
        "overlap_policy": "skip",
        "next_run_at": next_run_at,
        "origin": {},
        "created_at": created_at,
        "updated_at": created_at,
        **more,
    }


def completed_run_row(org_id: int | None, automation_id: int, at: datetime) -> dict[str, Any]:
    """A scheduled run of `automation_id` due, started and completed at `at`."""
    return {
        "org_id": org_id,
        "automation_id": automation_id,
        "triggered_by": "schedule",
        "scheduled_for": at,
        "attempt": 1,
        "status": "completed",
        "not_before": at,
        "trigger_data": {},
        "started_at": at,
        "completed_at": at,
        "duration_ms": 12,
        "lag_ms": 40,
        "missed_count": 0,
        "output_summary": {"candidates": 3},
        "retry_count": 0,
        "chain_depth": 0,
        "llm_input_tokens": 0,
        "llm_output_tokens": 0,
        "llm_cache_read_tokens": 0,
        "llm_cache_write_tokens": 0,
        "metrics": {},
        "created_at": at,
    }
