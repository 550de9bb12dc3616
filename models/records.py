"""Store API for organisations, users, automations and run history (the assistant's tool set
and the worker's executor call these; nothing outside models/ opens a session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.errors import InvalidInput, NotFound
from models.tables import (
    Automation,
    AutomationRun,
    Delivery,
    Notice,
    Organization,
    RunAction,
    RunTarget,
    User,
)


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


# --- organisations and users ---------------------------------------------------------------


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
        return org


def get_org(engine: Engine, org_id: int) -> Organization:
    with _session(engine) as s:
        org = s.get(Organization, org_id)
        if org is None:
            raise NotFound(f"No organisation with id {org_id}.")
        return org


def find_org(engine: Engine, slug: str) -> Organization:
    with _session(engine) as s:
        org = s.exec(select(Organization).where(Organization.slug == slug)).first()
        if org is None:
            raise NotFound(f"No organisation '{slug}'. Create one, or run `skilltick demo seed`.")
        return org


def set_org_plan(engine: Engine, org_id: int, plan: str) -> Organization:
    with _session(engine) as s:
        org = s.get(Organization, org_id)
        if org is None:
            raise NotFound(f"No organisation with id {org_id}.")
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
        return user


def get_user(engine: Engine, user_id: int) -> User:
    with _session(engine) as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"No user with id {user_id}.")
        return user


def find_user(engine: Engine, org_id: int, email: str) -> User:
    with _session(engine) as s:
        user = s.exec(
            select(User).where(User.org_id == org_id, func.lower(User.email) == email.lower())
        ).first()
        if user is None:
            raise NotFound(f"No user '{email}' in this organisation.")
        return user


def first_admin(engine: Engine, org_id: int) -> User:
    with _session(engine) as s:
        user = s.exec(
            select(User).where(User.org_id == org_id, User.role == "admin").order_by(col(User.id))
        ).first()
        if user is None:
            raise NotFound("This organisation has no admin.")
        return user


def list_users(engine: Engine, org_id: int) -> list[User]:
    with _session(engine) as s:
        return list(s.exec(select(User).where(User.org_id == org_id).order_by(col(User.id))))


# --- automations ---------------------------------------------------------------------------


def add_automation(engine: Engine, automation: Automation) -> Automation:
    with _session(engine) as s:
        s.add(automation)
        s.commit()
        return automation


def get_automation(engine: Engine, org_id: int, automation_id: int) -> Automation:
    """The automation, if it belongs to `org_id` (another organisation's is simply not found)."""
    with _session(engine) as s:
        auto = s.get(Automation, automation_id)
        if auto is None or auto.org_id != org_id:
            raise NotFound(f"No automation #{automation_id} in your organisation.")
        return auto


def list_automations(
    engine: Engine, org_id: int, *, owner_id: int | None = None
) -> list[Automation]:
    with _session(engine) as s:
        stmt = select(Automation).where(Automation.org_id == org_id)
        if owner_id is not None:
            stmt = stmt.where(Automation.owner_id == owner_id)
        return list(s.exec(stmt.order_by(col(Automation.id))))


def count_active(engine: Engine, org_id: int, *, excluding: int | None = None) -> int:
    with _session(engine) as s:
        stmt = select(func.count()).select_from(Automation).where(
            Automation.org_id == org_id, col(Automation.enabled).is_(True)
        )
        if excluding is not None:
            stmt = stmt.where(Automation.id != excluding)
        return int(s.exec(stmt).one())


def save_automation(engine: Engine, automation: Automation, changes: dict[str, Any]) -> Automation:
    """Apply `changes` to a stored automation (fields validated by the caller)."""
    with _session(engine) as s:
        stored = s.get(Automation, automation.id)
        if stored is None or stored.org_id != automation.org_id:
            raise NotFound(f"No automation #{automation.id} in your organisation.")
        for key, value in changes.items():
            setattr(stored, key, value)
        s.add(stored)
        s.commit()
        return stored


def delete_automation(engine: Engine, org_id: int, automation_id: int) -> None:
    """Delete an automation with its history (delivery rows keep their keys, not the run)."""
    with _session(engine) as s:
        auto = s.get(Automation, automation_id)
        if auto is None or auto.org_id != org_id:
            raise NotFound(f"No automation #{automation_id} in your organisation.")
        _delete_history(s, automation_id)
        s.exec(delete(Notice).where(col(Notice.automation_id) == automation_id))  # type: ignore[call-overload]
        s.delete(auto)
        s.commit()


def clear_history(engine: Engine, org_id: int, automation_id: int) -> int:
    """Delete an automation's finished runs; queued and running ones stay. Returns the count."""
    get_automation(engine, org_id, automation_id)
    with _session(engine) as s:
        count = _delete_history(s, automation_id, finished_only=True)
        s.commit()
        return count


def _delete_history(s: Session, automation_id: int, *, finished_only: bool = False) -> int:
    stmt = select(AutomationRun.id).where(AutomationRun.automation_id == automation_id)
    if finished_only:
        stmt = stmt.where(col(AutomationRun.status).notin_(("pending", "running")))
    run_ids = list(s.exec(stmt))
    for start in range(0, len(run_ids), 500):
        chunk = run_ids[start : start + 500]
        s.exec(update(Delivery).where(col(Delivery.run_id).in_(chunk)).values(run_id=None))  # type: ignore[call-overload]
        s.exec(delete(RunTarget).where(col(RunTarget.run_id).in_(chunk)))  # type: ignore[call-overload]
        s.exec(delete(RunAction).where(col(RunAction.run_id).in_(chunk)))  # type: ignore[call-overload]
        s.exec(delete(AutomationRun).where(col(AutomationRun.id).in_(chunk)))  # type: ignore[call-overload]
    return len(run_ids)


# --- run history ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunDetail:
    run: AutomationRun
    targets: list[RunTarget]
    actions: list[RunAction]


def list_runs(
    engine: Engine,
    org_id: int,
    *,
    automation_id: int | None = None,
    automation_ids: list[int] | None = None,
    limit: int = 20,
    before_id: int | None = None,
) -> list[AutomationRun]:
    """Newest first; `before_id` is the cursor (the last id of the previous page)."""
    with _session(engine) as s:
        stmt = select(AutomationRun).where(AutomationRun.org_id == org_id)
        if automation_id is not None:
            stmt = stmt.where(AutomationRun.automation_id == automation_id)
        if automation_ids is not None:
            stmt = stmt.where(col(AutomationRun.automation_id).in_(automation_ids))
        if before_id is not None:
            stmt = stmt.where(col(AutomationRun.id) < before_id)
        return list(s.exec(stmt.order_by(col(AutomationRun.id).desc()).limit(limit)))


def get_run(engine: Engine, org_id: int, run_id: int) -> RunDetail:
    with _session(engine) as s:
        run = s.get(AutomationRun, run_id)
        if run is None or run.org_id != org_id:
            raise NotFound(f"No run #{run_id} in your organisation.")
        targets = list(
            s.exec(select(RunTarget).where(RunTarget.run_id == run_id).order_by(col(RunTarget.id)))
        )
        actions = list(
            s.exec(
                select(RunAction)
                .where(RunAction.run_id == run_id)
                .order_by(col(RunAction.position), col(RunAction.id))
            )
        )
        return RunDetail(run=run, targets=targets, actions=actions)


def last_success_at(engine: Engine, automation_id: int) -> datetime | None:
    """When the automation last completed a real (non-test) run, for "since the last report"."""
    with _session(engine) as s:
        return s.exec(
            select(func.max(AutomationRun.completed_at)).where(
                AutomationRun.automation_id == automation_id,
                col(AutomationRun.status).in_(("completed", "partial")),
                AutomationRun.triggered_by != "test",
            )
        ).one()


def frozen_targets(engine: Engine, automation_id: int, scheduled_for: datetime) -> list[RunTarget]:
    """Targets already resolved for this occurrence by an earlier attempt (frozen, seed 001)."""
    with _session(engine) as s:
        first = s.exec(
            select(AutomationRun.id)
            .where(
                AutomationRun.automation_id == automation_id,
                AutomationRun.scheduled_for == scheduled_for,
            )
            .order_by(col(AutomationRun.attempt))
        ).first()
        if first is None:
            return []
        return list(s.exec(select(RunTarget).where(RunTarget.run_id == first)))


# --- what the worker loads per batch -------------------------------------------------------


def load_run_inputs(
    engine: Engine, automation_ids: list[int]
) -> dict[int, tuple[Automation, User, Organization]]:
    """Automations with their owners and organisations, in a few queries for a whole batch."""
    result: dict[int, tuple[Automation, User, Organization]] = {}
    with _session(engine) as s:
        autos: list[Automation] = []
        unique = sorted(set(automation_ids))
        for start in range(0, len(unique), 900):
            chunk = unique[start : start + 900]
            autos.extend(s.exec(select(Automation).where(col(Automation.id).in_(chunk))))
        owner_ids = sorted({a.owner_id for a in autos})
        org_ids = sorted({a.org_id for a in autos})
        owners = {u.id: u for u in s.exec(select(User).where(col(User.id).in_(owner_ids)))}
        orgs = {
            o.id: o for o in s.exec(select(Organization).where(col(Organization.id).in_(org_ids)))
        }
        for auto in autos:
            result[auto.id or 0] = (auto, owners[auto.owner_id], orgs[auto.org_id])
    return result


def runs_started_since(engine: Engine, org_ids: list[int], since: datetime) -> dict[int, int]:
    """Runs each organisation started since `since` (the per-organisation rate limit)."""
    with _session(engine) as s:
        rows = s.exec(
            select(AutomationRun.org_id, func.count())
            .where(
                col(AutomationRun.org_id).in_(org_ids),
                col(AutomationRun.started_at) >= since,
                AutomationRun.triggered_by != "test",
            )
            .group_by(col(AutomationRun.org_id))
        ).all()
        return {org_id: int(n) for org_id, n in rows}


# --- owner notices -------------------------------------------------------------------------


def unsent_notices(engine: Engine) -> dict[int, list[Notice]]:
    """Unsent notices grouped by automation, oldest first."""
    with _session(engine) as s:
        grouped: dict[int, list[Notice]] = {}
        for notice in s.exec(
            select(Notice).where(col(Notice.sent_at).is_(None)).order_by(col(Notice.id))
        ):
            grouped.setdefault(notice.automation_id, []).append(notice)
        return grouped


def mark_notices_sent(
    engine: Engine, automation_id: int, notice_ids: list[int], now: datetime
) -> None:
    with _session(engine) as s:
        s.exec(update(Notice).where(col(Notice.id).in_(notice_ids)).values(sent_at=now))  # type: ignore[call-overload]
        s.exec(
            update(Automation)  # type: ignore[call-overload]
            .where(col(Automation.id) == automation_id)
            .values(last_failure_notice_at=now)
        )
        s.commit()


# --- retention -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PruneReport:
    outputs_cleared: int
    runs_deleted: int
    outbox_deleted: int


def prune(engine: Engine, *, now: datetime, retention_days: int) -> PruneReport:
    """Delete full outputs past their TTL, and finished runs (with their rows) and outbox mail
    older than the retention period. Queued and running runs are never touched."""
    from models.tables import OutboxMessage  # local: only the pruner needs it

    cutoff = now - timedelta(days=retention_days)
    with _session(engine) as s:
        cleared = s.exec(
            update(AutomationRun)  # type: ignore[call-overload]
            .where(
                col(AutomationRun.output_expires_at).is_not(None),
                col(AutomationRun.output_expires_at) <= now,
            )
            .values(output=None, output_expires_at=None)
        ).rowcount
        old = list(
            s.exec(
                select(AutomationRun.id).where(
                    col(AutomationRun.created_at) < cutoff,
                    col(AutomationRun.status).notin_(("pending", "running")),
                )
            )
        )
        for start in range(0, len(old), 500):
            chunk = old[start : start + 500]
            s.exec(update(Delivery).where(col(Delivery.run_id).in_(chunk)).values(run_id=None))  # type: ignore[call-overload]
            s.exec(delete(RunTarget).where(col(RunTarget.run_id).in_(chunk)))  # type: ignore[call-overload]
            s.exec(delete(RunAction).where(col(RunAction.run_id).in_(chunk)))  # type: ignore[call-overload]
            s.exec(delete(AutomationRun).where(col(AutomationRun.id).in_(chunk)))  # type: ignore[call-overload]
        outbox = s.exec(
            delete(OutboxMessage).where(col(OutboxMessage.created_at) < cutoff)  # type: ignore[call-overload]
        ).rowcount
        s.exec(delete(Delivery).where(col(Delivery.created_at) < cutoff))  # type: ignore[call-overload]
        s.commit()
        return PruneReport(int(cleared or 0), len(old), int(outbox or 0))


def record_beat(engine: Engine, worker_id: str, now: datetime, summary: dict[str, Any]) -> None:
    from models.tables import WorkerBeat

    with _session(engine) as s:
        beat = s.get(WorkerBeat, worker_id) or WorkerBeat(worker_id=worker_id, last_tick_at=now)
        beat.last_tick_at = now
        beat.last_tick_summary = summary
        s.add(beat)
        s.commit()
