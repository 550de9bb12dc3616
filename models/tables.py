"""The automation store's tables (SQLModel).

Conventions: integer ids; datetimes are aware UTC (see models.clock); JSON columns hold ids,
counts, stage and job names, never candidate PII (product.md, Privacy).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Enumerations are plain strings in the database (portable, readable in psql/sqlite3).
ROLES = ("admin", "member")
PLANS = ("free", "pro", "enterprise")
TRIGGER_TYPES = ("cron", "event", "poll")
OUTPUT_CHANNELS = ("email", "slack", "webhook", "in_app", "noop")
AUTOMATION_STATUSES = ("idle", "running", "paused", "failed")
MISFIRE_POLICIES = ("latest", "skip", "catch_up")
OVERLAP_POLICIES = ("skip", "buffer_one", "allow")
TRIGGERED_BY = ("schedule", "event", "poll", "manual", "test")
RUN_STATUSES = ("pending", "running", "completed", "partial", "failed", "skipped")
FINISHED_RUN_STATUSES = ("completed", "partial", "failed", "skipped")


class Organization(SQLModel, table=True):
    __tablename__ = "organizations"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=200)
    plan: str = Field(default="free", max_length=20)
    timezone: str = Field(default="UTC", max_length=64)
    # organisation-level configuration (working hours, Slack team, ...): small JSON, no PII
    settings: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    created_at: datetime


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("org_id", "email", name="uq_users_org_email"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    email: str = Field(max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = Field(default="member", max_length=20)
    slack_user_id: str | None = Field(default=None, max_length=64, index=True)
    timezone: str | None = Field(default=None, max_length=64)
    created_at: datetime


class Automation(SQLModel, table=True):
    """The RFC's `automations` table plus worker state (status, failures, lease, policies)."""

    __tablename__ = "automations"
    __table_args__ = (
        # the tick's scan: enabled cron/poll automations by due time
        Index("ix_automations_due", "enabled", "next_run_at"),
        Index("ix_automations_event", "org_id", "trigger_type", "event_type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    owner_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    skill: str = Field(max_length=100)
    params: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )

    trigger_type: str = Field(default="cron", max_length=10)
    # schedule: exactly one of cron_expression / rrule / run_once_at for cron triggers
    cron_expression: str | None = Field(default=None, max_length=120)
    rrule: str | None = Field(default=None, max_length=300)
    run_once_at: datetime | None = None
    schedule_anchor: datetime | None = None
    timezone: str = Field(default="UTC", max_length=64)
    event_type: str | None = Field(default=None, max_length=80)
    event_filter: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    poll_interval_minutes: int | None = None

    output_channel: str = Field(default="email", max_length=20)
    output_config: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )

    enabled: bool = Field(default=True)
    status: str = Field(default="idle", max_length=10)
    paused_reason: str | None = Field(default=None, max_length=300)
    paused_until: datetime | None = None
    consecutive_failures: int = Field(default=0)
    misfire_policy: str = Field(default="latest", max_length=10)
    overlap_policy: str = Field(default="skip", max_length=12)
    output_ttl_hours: int | None = None  # None: the deployment default

    next_run_at: datetime | None = None
    last_run_at: datetime | None = None
    last_run_status: str | None = Field(default=None, max_length=10)
    last_success_at: datetime | None = None
    # who last materialised an occurrence; the claim itself is row-locked / atomic
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_expires_at: datetime | None = None
    last_failure_notice_at: datetime | None = None

    # where it was set up, so failure notices go back there (Slack thread, email, ...)
    origin: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    created_at: datetime
    updated_at: datetime


class AutomationRun(SQLModel, table=True):
    """One execution attempt of one occurrence; also the work queue the tick claims from."""

    __tablename__ = "automation_runs"
    __table_args__ = (
        # an occurrence attempt exists once, whatever number of workers tick (product.md)
        UniqueConstraint("automation_id", "scheduled_for", "attempt", name="uq_runs_occurrence"),
        Index("ix_runs_claim", "status", "not_before"),
        Index("ix_runs_automation_status", "automation_id", "status"),
        # an automation's history page, newest first, deep in the cursor
        Index("ix_runs_automation_id", "automation_id", "id"),
        Index("ix_runs_lease", "status", "lease_expires_at"),
        Index("ix_runs_org_created", "org_id", "created_at"),
        Index("ix_runs_output_expiry", "output_expires_at"),
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
    event_id: int | None = Field(default=None, index=True)
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
    """One action of a run (seed 003): render, deliver, send_email, update_field, create_task."""

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


class Delivery(SQLModel, table=True):
    """One send, keyed by occurrence, channel and recipient, so retries and rescues never resend
    what was delivered; a row left `sending` means the outcome is unknown."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("occurrence_key", "channel", "recipient_key", name="uq_deliveries_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    run_id: int | None = Field(default=None, foreign_key="automation_runs.id", index=True)
    occurrence_key: str = Field(max_length=120)
    channel: str = Field(max_length=20)
    # a hash of the address: the address itself is PII
    recipient_key: str = Field(max_length=64)
    message_id: str = Field(max_length=200)
    status: str = Field(default="sending", max_length=10)  # sending | sent | failed
    attempts: int = Field(default=0)
    resent_after_unknown: bool = Field(default=False)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime
    sent_at: datetime | None = None


class OutboxMessage(SQLModel, table=True):
    """Mail kept locally when no SMTP server is configured; the dashboard and CLI show it."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int | None = Field(default=None, foreign_key="organizations.id", index=True)
    message_id: str = Field(max_length=200, index=True)
    to_addr: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    raw: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime


class Notice(SQLModel, table=True):
    """A message for an automation's owner (failure, paused); sent at most hourly per automation,
    the rest gathered into a digest."""

    __tablename__ = "notices"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    automation_id: int = Field(foreign_key="automations.id", index=True)
    kind: str = Field(max_length=20)  # failed | paused
    text: str = Field(max_length=1000)
    created_at: datetime
    sent_at: datetime | None = None


class RunCounter(SQLModel, table=True):
    """Runs per organisation and month: the plan's logged-run quota and the runs beyond it,
    which still fire but keep no history row (seed 003)."""

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
