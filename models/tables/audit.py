"""The audit log: one row per change someone (or the service itself) made to an organisation's
automations (runs, tests and cleared history included), tokens, users, invitations, plan,
holidays, sequence enrolments, ATS and Slack connections. Store functions live in models.store.audit.

A row names what changed by field, with old and new values for schedule, state and channel
fields only: never message text, candidate data or recipients' addresses. No foreign key points
at automations or users: the log outlives a deleted automation or a removed user.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

#: what an entry records (the verbs the tool set and the worker use)
AUDIT_ACTIONS = (
    "create",
    "edit",
    "undo",
    "pause",
    "resume",
    "delete",
    "run_now",
    "retry",
    "recipients",
    "token_create",
    "token_revoke",
    "user_add",
    "user_role",
    "user_remove",
    "invite",
    "invite_revoke",
    "invite_accept",
    "test",
    "preview",
    "history_clear",
    "plan",
    "org_create",
    "operator",
    "ats_connect",
    "ats_disconnect",
    "slack_install",
    "slack_uninstall",
    "holiday_add",
    "holiday_remove",
    "enrol",
    "unenrol",
)


class AuditEntry(SQLModel, table=True):
    """Who did what to which automation (or token, user, invitation), and when. A null
    `actor_user_id` is the service itself ("system"): the worker pausing an automation after
    failed runs, or a pause that ended resuming it."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_org_id_id", "org_id", "id"),
        Index("ix_audit_entries_automation_id", "automation_id"),
        Index("ix_audit_entries_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    actor_user_id: int | None = None
    action: str = Field(max_length=20)
    automation_id: int | None = None
    # the automation's owner when the change was made: a member reads the entries of their own
    # automations, deleted ones included
    owner_user_id: int | None = Field(default=None, index=True)
    at: datetime
    # field name -> {"old": ..., "new": ...}, or a short note ("count", "role", "token id")
    changes: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
