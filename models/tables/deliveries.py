"""What was sent: one delivery row per (occurrence, channel, recipient), the local outbox that
holds mail when no SMTP server is configured, and the in-app inbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


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


class InboxMessage(SQLModel, table=True):
    """The in-app channel: a message for one user, read in the dashboard, CLI or chat."""

    __tablename__ = "inbox_messages"
    __table_args__ = (
        # the delivery's Message-ID: a resend after an unknown outcome stores nothing twice
        UniqueConstraint("message_key", name="uq_inbox_messages_key"),
        Index("ix_inbox_messages_user", "org_id", "user_id", "read_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    user_id: int = Field(foreign_key="users.id")
    message_key: str = Field(max_length=200)
    subject: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    read_at: datetime | None = None
