"""Organisations (with their plan) and their users (admin or member)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint, false
from sqlmodel import Field, SQLModel

# Enumerations are plain strings in the database (portable, readable in psql/sqlite3).
ROLES = ("admin", "member")


PLANS = ("free", "pro", "enterprise")


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
    # runs the service: reads the whole service's figures (/status, /metrics), whatever their
    # organisation; set only on the host (`skilltick operators add`), never by an admin
    operator: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime
