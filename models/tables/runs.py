"""Tables of run history: one row per run (AutomationRun), its per-target and per-action rows,
the monthly counter of runs beyond the plan's quota, owner notices and worker heartbeats.

Conventions: integer ids; datetimes are aware UTC (models.clock); JSON columns hold ids,
counts, stage and job names, never PII.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

TRIGGERED_BY = ("schedule", "event", "poll", "manual", "test")


RUN_STATUSES = ("pending", "running", "completed", "partial", "failed", "skipped")


FINISHED_RUN_STATUSES = ("completed", "partial", "failed", "skipped")


def _partial(name: str, columns: tuple[str, ...], where: str) -> Index:
    """An index over the rows matching `where` only, on both databases."""
    return Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where))


class AutomationRun(SQLModel, table=True):
    """One execution attempt of one occurrence; also the work queue the tick claims from."""

    __tablename__ = "automation_runs"
    # Every index here is paid by each run insert and status change (a tick writes one row per
    # occurrence), so only indexes a query needs are kept, partial where their rows are few.
    __table_args__ = (
        # an occurrence attempt exists once, whatever number of workers tick; also
        # serves the lookups of one occurrence's attempts (frozen targets, deferrals)
        UniqueConstraint("automation_id", "scheduled_for", "attempt", name="uq_runs_occurrence"),
        # runs of an automation, newest first: history pages deep in the cursor, last success,
        # deleting an automation's history
        Index("ix_runs_automation_id", "automation_id", "id"),
        # claiming queued runs in due order, the worker's next wake-up, the queued count
        _partial("ix_runs_pending", ("not_before", "id"), "status = 'pending'"),
        # runs being executed: "does this automation have a run going" when a run completes,
        # expired leases to rescue, the stuck-lease count
        _partial("ix_runs_running", ("automation_id", "lease_expires_at"), "status = 'running'"),
        # the per-organisation runs-per-minute limit (runs started since a minute ago)
        _partial("ix_runs_org_started", ("org_id", "started_at"), "started_at IS NOT NULL"),
        # event runs of an organisation since an instant (runaway protection for events)
        _partial("ix_runs_org_event_created", ("org_id", "created_at"), "triggered_by = 'event'"),
        # the runs an inbox event started (reprocessing, the events list)
        _partial("ix_runs_event", ("event_id",), "event_id IS NOT NULL"),
        # outputs whose retention ran out (the pruner)
        _partial("ix_runs_output_expiry", ("output_expires_at",), "output_expires_at IS NOT NULL"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    automation_id: int = Field(foreign_key="automations.id")
    triggered_by: str = Field(max_length=10)
    requested_by: int | None = Field(default=None, foreign_key="users.id")
    scheduled_for: datetime
    attempt: int = Field(default=1)
    status: str = Field(default="pending", max_length=10)
    not_before: datetime
    trigger_data: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )

    started_at: datetime | None = None
    completed_at: datetime | None = None
    duration_ms: int | None = None
    lag_ms: int | None = None
    missed_count: int = Field(default=0)

    output_summary: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    output_hash: str | None = Field(default=None, max_length=64)
    # full rendered output, kept for debugging until output_expires_at (then pruned)
    output: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    output_expires_at: datetime | None = None
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, max_length=500)
    skipped_reason: str | None = Field(default=None, max_length=60)
    retry_count: int = Field(default=0)
    # event runs: the inbox event that started them and how deep in a chain of runs they are
    event_id: int | None = None
    chain_depth: int = Field(default=0)
    # LLM usage, as numbers (tokens in/out, prompt-cache reads/writes)
    llm_input_tokens: int = Field(default=0)
    llm_output_tokens: int = Field(default=0)
    llm_cache_read_tokens: int = Field(default=0)
    llm_cache_write_tokens: int = Field(default=0)
    metrics: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )

    lease_owner: str | None = Field(default=None, max_length=100)
    lease_expires_at: datetime | None = None
    created_at: datetime


class RunTarget(SQLModel, table=True):
    """A target of one run (candidate, recipient), resolved once per occurrence and frozen."""

    __tablename__ = "run_targets"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="automation_runs.id", index=True)
    target_type: str = Field(max_length=30)  # candidate | recipient | application ...
    target_ref: str = Field(max_length=120)  # an id, never a name or an address
    status: str = Field(default="pending", max_length=10)
    error: str | None = Field(default=None, max_length=500)
    skipped_reason: str | None = Field(default=None, max_length=60)
    detail: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )


class RunAction(SQLModel, table=True):
    """One action of a run: render, deliver, send_email, update_field, create_task."""

    __tablename__ = "run_actions"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="automation_runs.id", index=True)
    position: int = Field(default=0)
    action_type: str = Field(max_length=40)
    status: str = Field(default="pending", max_length=10)
    error: str | None = Field(default=None, max_length=500)
    skipped_reason: str | None = Field(default=None, max_length=60)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    detail: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )


class Notice(SQLModel, table=True):
    """A message for an automation's owner (failure, paused, resumed); sent at most hourly per automation,
    the rest gathered into a digest."""

    __tablename__ = "notices"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    automation_id: int = Field(foreign_key="automations.id", index=True)
    kind: str = Field(max_length=20)  # failed | paused | resumed | skipped
    text: str = Field(max_length=1000)
    created_at: datetime
    sent_at: datetime | None = None


class RunCounter(SQLModel, table=True):
    """Runs per organisation and month: the plan's logged-run quota and the runs beyond it,
    which still fire but keep no history row."""

    __tablename__ = "run_counters"
    __table_args__ = (UniqueConstraint("org_id", "month", name="uq_run_counters_month"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    month: str = Field(max_length=7)  # YYYY-MM
    logged: int = Field(default=0)
    unlogged: int = Field(default=0)


class WorkerBeat(SQLModel, table=True):
    """Last tick of each worker, for /status and `skilltick status`."""

    __tablename__ = "worker_beats"

    worker_id: str = Field(primary_key=True, max_length=100)
    last_tick_at: datetime
    last_tick_summary: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )


class StoreProbe(SQLModel, table=True):
    """One row rewritten by each health check: a committed write proves the database takes
    writes (a rolled-back one never reaches SQLite's file)."""

    __tablename__ = "store_probes"

    id: int = Field(primary_key=True)
    checked_at: datetime
