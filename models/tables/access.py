"""API tokens and dashboard sessions. Only a SHA-256 hash of a token or session id is stored."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class ApiToken(SQLModel, table=True):
    """A user's bearer token for the REST API (and the dashboard's login link)."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    # the first characters, so a person can tell their tokens apart in a listing
    token_hint: str = Field(max_length=16)
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # None: until revoked
    # who made it: an admin may make one for a colleague, and keep a copy; it is revoked when
    # its maker loses admin or leaves (None: made before makers were kept, or by the host)
    created_by: int | None = Field(default=None, foreign_key="users.id")


class DashboardSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random id, the table its hash."""

    __tablename__ = "dashboard_sessions"

    id: int | None = Field(default=None, primary_key=True)
    session_hash: str = Field(max_length=64, unique=True, index=True)
    org_id: int = Field(foreign_key="organizations.id")
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime
    expires_at: datetime
    # the token the session was opened with: revoking or expiring it ends the session
    token_id: int | None = Field(default=None, foreign_key="api_tokens.id", index=True)


class Invitation(SQLModel, table=True):
    """An e-mailed link that makes its recipient a user of the organisation: used once, before
    it expires. The link carries a random secret; the table keeps its hash."""

    __tablename__ = "invitations"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    email: str = Field(max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = Field(default="member", max_length=20)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    invited_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None
