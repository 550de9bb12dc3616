"""Store API for API tokens and dashboard sessions: issue, list, revoke, and find the user a
secret belongs to. Only hashes are stored; a leaked database gives no usable secret.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import delete, or_, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.errors import NotFound
from models.store.audit import add_entry
from models.store.single_writer import write_later
from models.tables import table_of
from models.tables.access import ApiToken, DashboardSession
from models.tables.audit import AuditEntry
from models.tables.orgs import User

TOKEN_PREFIX = "stk_"


SESSION_DAYS = 14


# last_used_at is only rewritten when older than this, so reads do not turn into writes
_LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as created: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def create_token(
    engine: Engine,
    *,
    user: User,
    name: str,
    now: datetime,
    expires_at: datetime | None = None,
    audit: AuditEntry | None = None,
    made_by: int | None = None,
) -> IssuedToken:
    """A new token for `user` made by user `made_by` (with `audit`, which gets the token's
    id, in one transaction)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        org_id=user.org_id,
        user_id=user.id or 0,
        name=name,
        token_hash=hash_secret(secret),
        token_hint=secret[:10],
        created_at=now,
        expires_at=expires_at,
        created_by=made_by,
    )
    with _session(engine) as s:
        s.add(row)
        if audit is not None:
            s.flush()
            audit.changes = {**audit.changes, "token_id": row.id}
            add_entry(s, audit)
        s.commit()
    return IssuedToken(row, secret)


def list_tokens(engine: Engine, org_id: int, *, user_id: int | None = None) -> list[ApiToken]:
    with _session(read_only(engine)) as s:
        stmt = select(ApiToken).where(ApiToken.org_id == org_id, col(ApiToken.revoked_at).is_(None))
        if user_id is not None:
            stmt = stmt.where(ApiToken.user_id == user_id)
        return list(s.exec(stmt.order_by(col(ApiToken.id))))


def get_token(engine: Engine, org_id: int, token_id: int) -> ApiToken:
    with _session(read_only(engine)) as s:
        row = s.get(ApiToken, token_id)
        if row is None or row.org_id != org_id or row.revoked_at is not None:
            raise NotFound(f"No API token #{token_id} in your organisation.")
        return row


def revoke_token(
    engine: Engine, org_id: int, token_id: int, now: datetime, *, audit: AuditEntry | None = None
) -> None:
    """Revoke the token and end every dashboard session opened with it, in one transaction."""
    with _session(engine) as s:
        row = s.get(ApiToken, token_id)
        if row is None or row.org_id != org_id or row.revoked_at is not None:
            raise NotFound(f"No API token #{token_id} in your organisation.")
        row.revoked_at = now
        s.add(row)
        s.execute(delete(DashboardSession).where(col(DashboardSession.token_id) == token_id))
        add_entry(s, audit)
        s.commit()


def revoke_made_for_others(
    s: Session, org_id: int, maker_id: int, now: datetime, *, actor_id: int | None, why: str
) -> int:
    """In the caller's transaction, revoke every token `maker_id` made for someone else (the
    maker may have kept a copy) and end the sessions opened with them, each with a
    token_revoke entry of `actor_id` saying `why`; returns how many."""
    rows = s.exec(
        select(ApiToken).where(
            col(ApiToken.org_id) == org_id,
            col(ApiToken.created_by) == maker_id,
            col(ApiToken.user_id) != maker_id,
            col(ApiToken.revoked_at).is_(None),
        )
    ).all()
    for row in rows:
        row.revoked_at = now
        s.add(row)
        changes = {"token_id": row.id, "user_id": row.user_id, "made_by": maker_id, "why": why}
        add_entry(
            s,
            AuditEntry(
                org_id=org_id,
                actor_user_id=actor_id,
                action="token_revoke",
                at=now,
                changes=changes,
            ),
        )
    ids = [row.id for row in rows]
    if ids:
        s.execute(delete(DashboardSession).where(col(DashboardSession.token_id).in_(ids)))
    s.flush()  # written before the caller's statements read or clear the makers
    return len(rows)


def _usable(row: ApiToken | None, now: datetime) -> bool:
    return (
        row is not None
        and row.revoked_at is None
        and (row.expires_at is None or _aware(row.expires_at) > now)
    )


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored instant is UTC
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def user_for_token(
    engine: Engine, secret: str, now: datetime, *, record_use: bool = True
) -> User | None:
    """The user a presented token belongs to, or None (unknown, revoked or expired).
    `record_use=False` only reads (status and metrics scrapes). The token's last use is
    written apart from the read (models.store.single_writer.write_later): on SQLite the
    request does not wait for the write lock for it, and a use not yet written when the
    process stops is written on the token's next use."""
    with _session(read_only(engine)) as s:
        row = s.exec(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))).first()
        if row is None or not _usable(row, now):
            return None
        user = s.get(User, row.user_id)
    last = row.last_used_at
    if record_use and (last is None or now - _aware(last) >= _LAST_USED_GRANULARITY):
        write_later(engine, partial(_record_use, token_id=row.id or 0, now=now))
    return user


def _record_use(conn: Connection, *, token_id: int, now: datetime) -> None:
    tokens = table_of(ApiToken)
    conn.execute(
        update(tokens)
        .where(
            tokens.c.id == token_id,
            or_(tokens.c.last_used_at.is_(None), tokens.c.last_used_at < now),
        )
        .values(last_used_at=now)
    )


def token_for_secret(engine: Engine, secret: str) -> ApiToken | None:
    with _session(read_only(engine)) as s:
        return s.exec(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))).first()


def start_session(
    engine: Engine, *, user: User, now: datetime, token: ApiToken | None = None
) -> str:
    """A new dashboard session for `user`, opened with `token` (a login link): it ends when
    the token is revoked or expires, and never outlives it. Returns the cookie's secret."""
    secret = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=SESSION_DAYS)
    if token is not None and token.expires_at is not None:
        expires_at = min(expires_at, _aware(token.expires_at))
    with _session(engine) as s:
        s.add(
            DashboardSession(
                session_hash=hash_secret(secret),
                org_id=user.org_id,
                user_id=user.id or 0,
                created_at=now,
                expires_at=expires_at,
                token_id=token.id if token is not None else None,
            )
        )
        s.commit()
    return secret


def user_for_session(engine: Engine, secret: str, now: datetime) -> User | None:
    with _session(read_only(engine)) as s:
        row = s.exec(
            select(DashboardSession).where(DashboardSession.session_hash == hash_secret(secret))
        ).first()
        if row is None or _aware(row.expires_at) <= now:
            return None
        if row.token_id is not None and not _usable(s.get(ApiToken, row.token_id), now):
            return None
        return s.get(User, row.user_id)


def end_session(engine: Engine, secret: str) -> None:
    with _session(engine) as s:
        row = s.exec(
            select(DashboardSession).where(DashboardSession.session_hash == hash_secret(secret))
        ).first()
        if row is not None:
            s.delete(row)
            s.commit()
