"""Tables of conversations: drafts awaiting confirmation, Slack workspace installations, Slack
events already taken in, and the state of each ongoing conversation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

DRAFT_STATUSES = ("pending", "confirmed", "cancelled", "deleted")


class AutomationDraft(SQLModel, table=True):
    """What was understood from a request, waiting for the requester to confirm it."""

    __tablename__ = "automation_drafts"
    __table_args__ = (Index("ix_automation_drafts_org_user", "org_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    user_id: int = Field(foreign_key="users.id")
    # the request as typed: shown back when editing; expires with the draft
    request: str = Field(sa_column=Column(Text, nullable=False))
    # the draft in the JSON shape of `skilltick understand --json`
    draft: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    origin: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    status: str = Field(default="pending", max_length=10)
    automation_id: int | None = Field(default=None, foreign_key="automations.id")
    created_at: datetime
    expires_at: datetime


class SlackInstallation(SQLModel, table=True):
    """A Slack workspace connected to an organisation."""

    __tablename__ = "slack_installations"
    __table_args__ = (UniqueConstraint("team_id", name="uq_slack_installations_team"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    team_id: str = Field(max_length=32)
    bot_user_id: str | None = Field(default=None, max_length=32)
    bot_token: str | None = Field(default=None, max_length=255)
    installed_at: datetime


class SlackThread(SQLModel, table=True):
    """Where in Slack a draft was proposed, as earlier versions recorded it. Nothing writes it
    any more: the conversation state under the thread's key is the one record of a thread the
    bot is talking in, and a draft's origin says where it was proposed. Rows left from before
    are detached when their draft or automation goes."""

    __tablename__ = "slack_threads"
    __table_args__ = (Index("ix_slack_threads_channel_ts", "channel_id", "thread_ts"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    draft_id: int | None = Field(default=None, foreign_key="automation_drafts.id")
    automation_id: int | None = Field(default=None, foreign_key="automations.id")
    channel_id: str = Field(max_length=32)
    thread_ts: str = Field(max_length=32)
    slack_user_id: str = Field(max_length=32)
    created_at: datetime


class SlackEventSeen(SQLModel, table=True):
    """An Events API delivery already taken in, by Slack's `event_id`: a retry of it (same id,
    X-Slack-Retry-Num set) is acknowledged and not processed again. Kept a day."""

    __tablename__ = "slack_events_seen"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(index=True)


class ConversationState(SQLModel, table=True):
    """What one person's conversation in one place (a Slack thread, an MCP session, a dashboard
    or terminal session) remembers between messages: the pending question or confirmation, the
    draft it belongs to, the automation last spoken about, the candidates of a choice."""

    __tablename__ = "conversation_states"
    __table_args__ = (
        UniqueConstraint("org_id", "user_id", "conv_key", name="uq_conversation_states_key"),
        Index("ix_conversation_states_expires_at", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    user_id: int = Field(foreign_key="users.id")
    conv_key: str = Field(max_length=200)
    state: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    updated_at: datetime
    expires_at: datetime
