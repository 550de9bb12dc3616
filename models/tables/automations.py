"""The automation: owner, skill and params, trigger (cron | event | poll), output, state
(enabled, paused, failure count) and the next instant it is due.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, false, text
from sqlmodel import Field, SQLModel

TRIGGER_TYPES = ("cron", "event", "poll")


OUTPUT_CHANNELS = ("email", "slack", "webhook", "in_app", "noop")


AUTOMATION_STATUSES = ("idle", "running", "paused", "failed")


MISFIRE_POLICIES = ("latest", "skip", "catch_up")


OVERLAP_POLICIES = ("skip", "buffer_one", "allow")


class Automation(SQLModel, table=True):
    """The RFC's `automations` table plus worker state (status, failures, lease, policies)."""

    __tablename__ = "automations"
    __table_args__ = (
        # the tick's scan: enabled cron/poll automations by due time
        Index("ix_automations_due", "enabled", "next_run_at"),
        Index("ix_automations_event", "org_id", "trigger_type", "event_type"),
        # the tick's look for pauses that have ended
        Index("ix_automations_paused_until", "paused_until"),
        # the upkeep's look for skips passed: the few rows that have any
        Index(
            "ix_automations_skipping",
            "id",
            postgresql_where=text("skips IS NOT NULL"),
            sqlite_where=text("skips IS NOT NULL"),
        ),
        {"sqlite_autoincrement": True},
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
    # one of the organisation's fixed jobs (models.store.system_jobs): admins run and change it,
    # nobody deletes it, and it never counts against the plan's active-automation limit
    system: bool = Field(default=False, sa_column_kwargs={"server_default": false()})

    next_run_at: datetime | None = None
    # the occurrences it skips, when asked for (models.skip_list): NULL when none
    skips: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # its occurrences on the organisation's holidays (models.store.calendars) are skipped
    skip_holidays: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
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
