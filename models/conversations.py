"""Tables and store functions of the assistant (issue 5): drafts awaiting confirmation (so a
Slack button or an MCP call can confirm later), Slack workspaces installed, and the Slack
threads where automations were set up."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from models.errors import InvalidInput, NotFound
from models.tables import User

DRAFT_STATUSES = ("pending", "confirmed", "cancelled")
DRAFT_TTL = timedelta(days=1)


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
    """Where in Slack a draft was proposed (and its automation set up)."""

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


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def add_draft(engine: Engine, *, org_id: int, user_id: int, request: str,
              draft: dict[str, Any], origin: dict[str, Any], now: datetime) -> AutomationDraft:
    row = AutomationDraft(org_id=org_id, user_id=user_id, request=request, draft=draft,
                          origin=origin, created_at=now, expires_at=now + DRAFT_TTL)
    with _session(engine) as s:
        s.add(row)
        s.commit()
        return row


def get_draft(engine: Engine, org_id: int, draft_id: int) -> AutomationDraft:
    with _session(engine) as s:
        row = s.get(AutomationDraft, draft_id)
        if row is None or row.org_id != org_id:
            raise NotFound(f"No draft #{draft_id} in your organisation.")
        return row


def claim_draft(engine: Engine, org_id: int, draft_id: int, now: datetime) -> AutomationDraft:
    """Mark a pending draft confirmed (row-locked, so two clicks create one automation);
    returns it as it was before, or raises if it cannot be confirmed."""
    with _session(engine) as s:
        row = s.exec(select(AutomationDraft).where(AutomationDraft.id == draft_id)
                     .with_for_update()).first()
        if row is None or row.org_id != org_id:
            raise NotFound(f"No draft #{draft_id} in your organisation.")
        if row.status == "cancelled":
            raise InvalidInput(f"Draft #{draft_id} was cancelled; ask again to start over.")
        if row.status == "pending" and row.expires_at <= now:
            raise InvalidInput(f"Draft #{draft_id} expired; ask again to get a fresh one.")
        before = row.model_copy()
        if row.status == "pending":
            row.status = "confirmed"
            s.add(row)
            s.commit()
        return before


def finish_draft(engine: Engine, draft_id: int, *, status: str,
                 automation_id: int | None = None) -> None:
    with _session(engine) as s:
        row = s.get(AutomationDraft, draft_id)
        if row is None:
            return
        row.status = status
        row.automation_id = automation_id if automation_id is not None else row.automation_id
        s.add(row)
        s.commit()


def prune_drafts(engine: Engine, now: datetime) -> int:
    """Forget expired drafts that were never confirmed."""
    with _session(engine) as s:
        rows = list(s.exec(select(AutomationDraft).where(
            col(AutomationDraft.expires_at) <= now, AutomationDraft.status != "confirmed")))
        for row in rows:
            for thread in s.exec(select(SlackThread).where(SlackThread.draft_id == row.id)):
                thread.draft_id = None
                s.add(thread)
            s.delete(row)
        s.commit()
        return len(rows)


def add_slack_thread(engine: Engine, *, org_id: int, draft_id: int | None, channel_id: str,
                     thread_ts: str, slack_user_id: str, now: datetime) -> SlackThread:
    row = SlackThread(org_id=org_id, draft_id=draft_id, channel_id=channel_id,
                      thread_ts=thread_ts, slack_user_id=slack_user_id, created_at=now)
    with _session(engine) as s:
        s.add(row)
        s.commit()
        return row


def find_installation(engine: Engine, team_id: str) -> SlackInstallation | None:
    with _session(engine) as s:
        return s.exec(select(SlackInstallation).where(SlackInstallation.team_id == team_id)).first()


def save_installation(engine: Engine, *, org_id: int, team_id: str, bot_user_id: str | None,
                      bot_token: str | None, now: datetime) -> SlackInstallation:
    with _session(engine) as s:
        row = s.exec(select(SlackInstallation).where(
            SlackInstallation.team_id == team_id)).first()
        row = row or SlackInstallation(org_id=org_id, team_id=team_id, installed_at=now)
        row.org_id, row.bot_user_id, row.bot_token = org_id, bot_user_id, bot_token
        s.add(row)
        s.commit()
        return row


def user_for_slack(engine: Engine, org_id: int, slack_user_id: str, email: str | None) -> User:
    """The organisation's user linked to a Slack user; linked on first sight by profile email."""
    with _session(engine) as s:
        user = s.exec(select(User).where(User.org_id == org_id,
                                         User.slack_user_id == slack_user_id)).first()
        if user is not None:
            return user
        if email:
            user = s.exec(select(User).where(User.org_id == org_id,
                                             col(User.email) == email.lower())).first()
        if user is None:
            raise NotFound("Your Slack account is not linked to a skilltick user of this "
                           "organisation; ask an admin to add your email.")
        user.slack_user_id = slack_user_id
        s.add(user)
        s.commit()
        return user
