"""Store API for an organisation's membership: listing organisations, roles, removing a user
(what they owned goes to the admin removing them, paused), and invitations by e-mail link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from models.clock import utc
from models.engine import read_only
from models.errors import InvalidInput, NotFound
from models.store.access import hash_secret, revoke_made_for_others
from models.store.audit import add_entry
from models.tables.access import ApiToken, DashboardSession, Invitation
from models.tables.audit import AuditEntry
from models.tables.automations import Automation
from models.tables.orgs import Organization, User

INVITE_PREFIX = "inv_"


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def list_orgs(engine: Engine) -> list[tuple[Organization, int]]:
    """Every organisation with its number of users, oldest first."""
    with _session(read_only(engine)) as s:
        counts = dict(s.exec(select(User.org_id, func.count()).group_by(col(User.org_id))).all())
        orgs = s.exec(select(Organization).order_by(col(Organization.id))).all()
        return [(o, int(counts.get(o.id or 0, 0))) for o in orgs]


def _admins(s: Session, org_id: int) -> int:
    return int(
        s.exec(
            select(func.count()).where(col(User.org_id) == org_id, col(User.role) == "admin")
        ).one()
    )


def _member(s: Session, org_id: int, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None or user.org_id != org_id:
        raise NotFound(f"No user #{user_id} in your organisation.")
    return user


@dataclass(frozen=True, slots=True)
class RoleSet:
    user: User
    #: tokens the user had made for colleagues, revoked as they lost admin
    tokens_revoked: int = 0


def set_role(
    engine: Engine,
    org_id: int,
    user_id: int,
    role: str,
    *,
    now: datetime,
    audit: AuditEntry | None = None,
) -> RoleSet:
    """Change a user's role (with `audit`, which gets the old and new role, in one
    transaction); the organisation always keeps one admin. An admin made member loses the
    tokens they made for colleagues: they may have kept a copy."""
    with _session(engine) as s:
        user = _member(s, org_id, user_id)
        demoted = user.role == "admin" and role != "admin"
        if demoted and _admins(s, org_id) <= 1:
            raise InvalidInput(
                f"{user.email} is the organisation's only admin; make someone else admin first."
            )
        if audit is not None and user.role != role:
            audit.changes = {"user_id": user_id, "role": {"old": user.role, "new": role}}
            add_entry(s, audit)
        revoked = 0
        if demoted:
            actor = audit.actor_user_id if audit is not None else None
            revoked = revoke_made_for_others(
                s, org_id, user_id, now, actor_id=actor, why="its maker is no longer an admin"
            )
        user.role = role
        s.add(user)
        s.commit()
        return RoleSet(user, revoked)


@dataclass(frozen=True, slots=True)
class Removal:
    email: str
    automations_moved: int
    #: tokens the user had made for colleagues, revoked as they left
    tokens_revoked: int = 0


def remove_user(
    engine: Engine,
    org_id: int,
    user_id: int,
    *,
    heir_id: int,
    now: datetime,
    audit: AuditEntry | None = None,
) -> Removal:
    """Remove a user in one transaction: their automations go to `heir_id`, paused (nobody
    gets their mail by surprise); their tokens, sessions and personal records go; other
    records that named them keep no name."""
    with _session(engine) as s:
        user = _member(s, org_id, user_id)
        if user.role == "admin" and _admins(s, org_id) <= 1:
            raise InvalidInput(f"{user.email} is the organisation's only admin; they stay.")
        if heir_id == user_id:
            raise InvalidInput("You cannot remove yourself; ask another admin.")
        _route_notices_to_the_heir(s, user_id)
        # the organisation's system jobs change hands as they are: pausing them would stop
        # every enrolment's steps
        s.exec(
            update(Automation)
            .where(col(Automation.owner_id) == user_id, col(Automation.system).is_(True))
            .values(owner_id=heir_id, updated_at=now)
        )
        revoked = revoke_made_for_others(
            s,
            org_id,
            user_id,
            now,
            actor_id=audit.actor_user_id if audit is not None else None,
            why="its maker was removed",
        )
        moved = s.exec(
            update(Automation)
            .where(col(Automation.owner_id) == user_id)
            .values(
                owner_id=heir_id,
                enabled=False,
                status="paused",
                paused_until=None,
                paused_reason=f"paused: its owner {user.email} was removed",
                updated_at=now,
            )
        ).rowcount
        tokens = select(ApiToken.id).where(col(ApiToken.user_id) == user_id)
        s.execute(
            delete(DashboardSession).where(
                (col(DashboardSession.user_id) == user_id)
                | col(DashboardSession.token_id).in_(tokens)
            )
        )
        _forget(s, user_id)
        s.delete(user)
        if audit is not None:
            audit.changes = {
                "user_id": user_id,
                "automations_moved": int(moved or 0),
                "heir_id": heir_id,
            }
            add_entry(s, audit)
        s.commit()
        return Removal(user.email, int(moved or 0), revoked)


#: where an automation set up in Slack sends its owner's notices: the setter's DM or thread
SLACK_ORIGIN = ("slack_channel", "thread_ts", "slack_user")


def _route_notices_to_the_heir(s: Session, user_id: int) -> None:
    """Automations the leaving user set up in Slack stop sending their notices (failures,
    pauses) to that user's DM or thread: they go to the heir by e-mail."""
    for auto in s.exec(select(Automation).where(col(Automation.owner_id) == user_id)):
        origin = dict(auto.origin or {})
        if origin.get("channel") != "slack":
            continue
        kept = {k: v for k, v in origin.items() if k not in SLACK_ORIGIN}
        auto.origin = {**kept, "channel": "email"}
        s.add(auto)
    s.flush()


def _forget(s: Session, user_id: int) -> None:
    """Every other reference to the user, whatever table holds it: a nullable one is cleared,
    a required one's row (the user's own token, message, conversation, draft) is deleted, after
    what points at that row lets go of it. Tables are visited dependents first."""
    tables = SQLModel.metadata.sorted_tables
    for table in reversed(tables):
        if table.name in ("automations", "users"):
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != "users":
                continue
            column = fk.parent
            if column.nullable:
                s.execute(update(table).where(column == user_id).values({column.name: None}))
                continue
            doomed = select(*table.primary_key.columns).where(column == user_id)
            for other in tables:
                for ref in other.foreign_keys:
                    if ref.column.table is not table or other is table:
                        continue
                    if ref.parent.nullable:
                        s.execute(
                            update(other)
                            .where(ref.parent.in_(doomed))
                            .values({ref.parent.name: None})
                        )
                    else:
                        s.execute(delete(other).where(ref.parent.in_(doomed)))
            s.execute(delete(table).where(column == user_id))


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    """An invitation as created: `secret` goes in the e-mailed link and is never stored."""

    invitation: Invitation
    secret: str


def create_invitation(
    engine: Engine,
    *,
    org_id: int,
    email: str,
    name: str,
    role: str,
    invited_by: int | None,
    now: datetime,
    expires_at: datetime,
    audit: AuditEntry | None = None,
) -> IssuedInvitation:
    with _session(engine) as s:
        taken = s.exec(
            select(User).where(col(User.org_id) == org_id, func.lower(User.email) == email.lower())
        ).first()
        if taken is not None:
            raise InvalidInput(f"{email} is a user of this organisation already.")
        secret = INVITE_PREFIX + secrets.token_urlsafe(32)
        row = Invitation(
            org_id=org_id,
            email=email,
            name=name,
            role=role,
            token_hash=hash_secret(secret),
            invited_by=invited_by,
            created_at=now,
            expires_at=expires_at,
        )
        s.add(row)
        if audit is not None:
            s.flush()
            audit.changes = {"invitation_id": row.id, "role": role}
            add_entry(s, audit)
        s.commit()
        return IssuedInvitation(row, secret)


def list_invitations(engine: Engine, org_id: int, now: datetime) -> list[Invitation]:
    """Invitations still waiting: not accepted, revoked or expired."""
    with _session(read_only(engine)) as s:
        rows = s.exec(
            select(Invitation)
            .where(
                col(Invitation.org_id) == org_id,
                col(Invitation.accepted_at).is_(None),
                col(Invitation.revoked_at).is_(None),
            )
            .order_by(col(Invitation.id))
        ).all()
        return [r for r in rows if utc(r.expires_at) > now]


def revoke_invitation(
    engine: Engine,
    org_id: int,
    invitation_id: int,
    now: datetime,
    *,
    audit: AuditEntry | None = None,
) -> None:
    with _session(engine) as s:
        row = s.get(Invitation, invitation_id)
        if row is None or row.org_id != org_id or row.accepted_at or row.revoked_at:
            raise NotFound(f"No open invitation #{invitation_id} in your organisation.")
        row.revoked_at = now
        s.add(row)
        add_entry(s, audit)
        s.commit()


def pending_invitation(engine: Engine, secret: str, now: datetime) -> Invitation:
    """The invitation a link carries, if it can still be accepted."""
    with _session(read_only(engine)) as s:
        return _open(s, secret, now)


def _open(s: Session, secret: str, now: datetime) -> Invitation:
    row = s.exec(select(Invitation).where(Invitation.token_hash == hash_secret(secret))).first()
    if row is None or row.revoked_at is not None:
        raise NotFound("This invitation link is not valid; ask an admin for a new one.")
    if row.accepted_at is not None:
        raise InvalidInput("This invitation was used already; sign in with your login link.")
    if utc(row.expires_at) <= now:
        raise InvalidInput("This invitation has expired; ask an admin for a new one.")
    return row


def accept_invitation(engine: Engine, secret: str, now: datetime) -> User:
    """Use the invitation once: it becomes a membership (or finds the user it names, if an
    admin added them meanwhile), in the same transaction that marks it used."""
    with _session(engine) as s:
        row = _open(s, secret, now)
        taken = s.exec(
            update(Invitation)
            .where(col(Invitation.id) == row.id, col(Invitation.accepted_at).is_(None))
            .values(accepted_at=now)
        ).rowcount
        if not taken:  # accepted by a concurrent request between the read and this write
            raise InvalidInput("This invitation was used already; sign in with your login link.")
        user = s.exec(
            select(User).where(
                col(User.org_id) == row.org_id, func.lower(User.email) == row.email.lower()
            )
        ).first()
        if user is None:
            user = User(
                org_id=row.org_id, email=row.email, name=row.name, role=row.role, created_at=now
            )
            s.add(user)
        s.flush()
        # the new user joined: the entry is theirs
        add_entry(
            s,
            AuditEntry(
                org_id=row.org_id,
                actor_user_id=user.id,
                action="invite_accept",
                at=now,
                changes={"invitation_id": row.id, "role": user.role},
            ),
        )
        s.commit()
        s.refresh(user)
        return user
