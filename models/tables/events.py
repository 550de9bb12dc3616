"""Tables for triggers: ATS connections, the raw event inbox, poll snapshots and
relative occurrences. Store functions live in models.store.events and models.store.polls.

No foreign keys point at automations or runs: the core deletes those without knowing these
tables, and a dangling id here is harmless (the run or automation is simply gone).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

PROVIDERS = ("greenhouse", "lever", "ashby", "workable", "generic", "demo")
INBOX_STATUSES = ("received", "processed", "rejected", "duplicate", "unmatched")
OCCURRENCE_STATUSES = ("scheduled", "cancelled")


class AtsConnection(SQLModel, table=True):
    """One organisation's link to one ATS: its webhook URL key and signing secret, and, for an
    ATS without webhooks, how often to poll it. The secret is never logged nor returned."""

    __tablename__ = "ats_connections"
    __table_args__ = (Index("ix_ats_connections_poll", "next_poll_at"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    provider: str = Field(max_length=20)
    name: str = Field(default="", max_length=100)
    # the URL segment of /webhooks/ats/{provider}/{key}: random, so URLs are not enumerable
    key: str = Field(max_length=40, unique=True, index=True)
    secret: str = Field(default="", max_length=500)
    enabled: bool = Field(default=True)
    poll_interval_minutes: int | None = None
    next_poll_at: datetime | None = None
    last_polled_at: datetime | None = None
    last_poll_error: str | None = Field(default=None, max_length=500)
    created_at: datetime


class EventInbox(SQLModel, table=True):
    """Every webhook delivery, poll-diff change and demo change, written before it is
    acknowledged; the tick processes `received` rows (at-least-once). `data` is the canonical
    event without PII; `raw_body` holds the delivery as sent until it is processed."""

    __tablename__ = "event_inbox"
    __table_args__ = (
        # a provider's event id (or a hash of the body) is accepted once per connection
        UniqueConstraint("connection_id", "dedupe_key", name="uq_event_inbox_dedupe"),
        Index("ix_event_inbox_status", "status", "id"),
        Index("ix_event_inbox_org", "org_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    connection_id: int = Field(foreign_key="ats_connections.id")
    provider: str = Field(max_length=20)
    provider_type: str = Field(default="", max_length=80)
    event_type: str | None = Field(default=None, max_length=60)
    # NULL on duplicate and rejected rows, so they never collide with the original
    dedupe_key: str | None = Field(default=None, max_length=200)
    status: str = Field(default="received", max_length=12)
    raw_body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    body_sha256: str = Field(default="", max_length=64)
    data: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    chain_depth: int = Field(default=0)
    runs_started: int = Field(default=0)
    error: str | None = Field(default=None, max_length=500)
    duplicate_of: int | None = None
    received_at: datetime
    processed_at: datetime | None = None
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_expires_at: datetime | None = None


class PollSnapshot(SQLModel, table=True):
    """The last state seen by polling one connection (ids and stages only), to diff against."""

    __tablename__ = "poll_snapshots"

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="ats_connections.id", unique=True)
    data: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    taken_at: datetime


class RelativeOccurrence(SQLModel, table=True):
    """A one-off run hung off an event ("30 minutes before each interview"): moved when the
    interview moves, cancelled when it is cancelled."""

    __tablename__ = "relative_occurrences"
    __table_args__ = (
        UniqueConstraint("automation_id", "subject_ref", name="uq_relative_occurrence"),
        Index("ix_relative_occurrences_subject", "org_id", "subject_ref"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    automation_id: int
    subject_ref: str = Field(max_length=120)  # e.g. "interview:123"
    run_id: int | None = None
    fires_at: datetime
    status: str = Field(default="scheduled", max_length=12)
    event_id: int | None = None
    created_at: datetime
    updated_at: datetime
