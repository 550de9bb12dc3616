"""Store API for organisations and their users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.errors import InvalidInput, NotFound
from models.store.system_jobs import ensure_system_jobs
from models.tables.audit import AuditEntry
from models.tables.orgs import Organization, User


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def create_org(
    engine: Engine,
    *,
    slug: str,
    name: str,
    now: datetime,
    plan: str = "free",
    timezone: str = "UTC",
) -> Organization:
    with _session(engine) as s:
        if s.exec(select(Organization).where(Organization.slug == slug)).first():
            raise InvalidInput(f"An organisation '{slug}' exists already.")
        org = Organization(slug=slug, name=name, plan=plan, timezone=timezone, created_at=now)
        s.add(org)
        s.commit()
    # the fixed jobs belong to the first admin: created here when one exists, else with them
    ensure_system_jobs(engine, now, org_id=org.id)
    return org


def get_org(engine: Engine, org_id: int) -> Organization:
    with _session(read_only(engine)) as s:
        org = s.get(Organization, org_id)
        if org is None:
            raise NotFound(f"No organisation with id {org_id}.")
        return org


def find_org(engine: Engine, slug: str) -> Organization:
    with _session(read_only(engine)) as s:
        org = s.exec(select(Organization).where(Organization.slug == slug)).first()
        if org is None:
            raise NotFound(
                f"No organisation '{slug}'. Create one (`skilltick orgs create {slug} --admin "
                "EMAIL`), or run `skilltick demo seed`."
            )
        return org


def set_org_plan(
    engine: Engine, org_id: int, plan: str, *, audit: AuditEntry | None = None
) -> Organization:
    """Set the plan; `audit` (given the old and new plan) is written with it when it changes."""
    with _session(engine) as s:
        org = s.get(Organization, org_id)
        if org is None:
            raise NotFound(f"No organisation with id {org_id}.")
        if audit is not None and org.plan != plan:
            audit.changes = {"plan": {"old": org.plan, "new": plan}}
            s.add(audit)
        org.plan = plan
        s.add(org)
        s.commit()
        return org


def create_user(
    engine: Engine,
    *,
    org_id: int,
    email: str,
    now: datetime,
    name: str = "",
    role: str = "member",
    timezone: str | None = None,
    slack_user_id: str | None = None,
) -> User:
    with _session(engine) as s:
        user = User(
            org_id=org_id,
            email=email,
            name=name,
            role=role,
            timezone=timezone,
            slack_user_id=slack_user_id,
            created_at=now,
        )
        s.add(user)
        s.commit()
    if role == "admin":
        ensure_system_jobs(engine, now, org_id=org_id)
    return user


def get_user(engine: Engine, user_id: int) -> User:
    with _session(read_only(engine)) as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"No user with id {user_id}.")
        return user


def find_user(engine: Engine, org_id: int, email: str) -> User:
    with _session(read_only(engine)) as s:
        user = s.exec(
            select(User).where(User.org_id == org_id, func.lower(User.email) == email.lower())
        ).first()
        if user is None:
            raise NotFound(f"No user '{email}' in this organisation.")
        return user


def first_admin(engine: Engine, org_id: int) -> User:
    with _session(read_only(engine)) as s:
        user = s.exec(
            select(User).where(User.org_id == org_id, User.role == "admin").order_by(col(User.id))
        ).first()
        if user is None:
            raise NotFound("This organisation has no admin.")
        return user


def list_users(engine: Engine, org_id: int) -> list[User]:
    with _session(read_only(engine)) as s:
        return list(s.exec(select(User).where(User.org_id == org_id).order_by(col(User.id))))


def set_operator(
    engine: Engine, user_id: int, operator: bool, *, audit: AuditEntry | None = None
) -> User:
    """Make a user an operator of the service, or no longer one: as stored now. `audit`
    (given the old and new value) is written with it when it changes."""
    with _session(engine) as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"No user with id {user_id}.")
        if audit is not None and user.operator != operator:
            audit.changes = {
                "user_id": user_id,
                "operator": {"old": user.operator, "new": operator},
            }
            s.add(audit)
        user.operator = operator
        s.add(user)
        s.commit()
        return user


def list_operators(engine: Engine) -> list[tuple[User, str]]:
    """Every operator with their organisation's slug, in the order they were added as users."""
    with _session(read_only(engine)) as s:
        rows = s.exec(
            select(User, Organization.slug)
            .join(Organization, col(Organization.id) == col(User.org_id))
            .where(col(User.operator))
            .order_by(col(User.id))
        )
        return [(user, slug) for user, slug in rows]
