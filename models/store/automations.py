"""Store API for automations: add, get, list, count, save changes, delete with their history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.errors import NotFound
from models.store.audit import add_entry
from models.tables.audit import AuditEntry
from models.tables.automations import Automation
from models.tables.conversations import AutomationDraft, SlackThread
from models.tables.deliveries import Delivery
from models.tables.orgs import User
from models.tables.runs import AutomationRun, Notice, RunAction, RunTarget


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def add_automation(
    engine: Engine, automation: Automation, *, audit: AuditEntry | None = None
) -> Automation:
    """Store a new automation, with its audit entry (which gets its id) in one transaction."""
    with _session(engine) as s:
        s.add(automation)
        if audit is not None:
            s.flush()
            audit.automation_id = automation.id
            add_entry(s, audit)
        s.commit()
        return automation


def get_automation(engine: Engine, org_id: int, automation_id: int) -> Automation:
    """The automation, if it belongs to `org_id` (another organisation's is simply not found)."""
    with _session(read_only(engine)) as s:
        auto = s.get(Automation, automation_id)
        if auto is None or auto.org_id != org_id:
            raise NotFound(f"No automation #{automation_id} in your organisation.")
        return auto


def get_automation_and_owner(
    engine: Engine, org_id: int, automation_id: int
) -> tuple[Automation, str]:
    """The automation (as get_automation) and its owner's email, in one statement."""
    with _session(read_only(engine)) as s:
        found = s.exec(
            select(Automation, User.email)
            .join(User, col(User.id) == Automation.owner_id)
            .where(Automation.id == automation_id)
        ).first()
        if found is None or found[0].org_id != org_id:
            raise NotFound(f"No automation #{automation_id} in your organisation.")
        return found[0], found[1]


def list_automations(
    engine: Engine, org_id: int, *, owner_id: int | None = None, system: bool | None = False
) -> list[Automation]:
    """The organisation's automations: people's (default), its system jobs (`system=True`),
    or both (`system=None`)."""
    with _session(read_only(engine)) as s:
        stmt = select(Automation).where(Automation.org_id == org_id)
        if system is not None:
            stmt = stmt.where(col(Automation.system).is_(system))
        if owner_id is not None:
            stmt = stmt.where(Automation.owner_id == owner_id)
        return list(s.exec(stmt.order_by(col(Automation.id))))


def list_automations_and_owners(
    engine: Engine, org_id: int, *, owner_id: int | None = None, system: bool | None = False
) -> list[tuple[Automation, str]]:
    """As list_automations, each with its owner's email, in one statement."""
    with _session(read_only(engine)) as s:
        stmt = (
            select(Automation, User.email)
            .join(User, col(User.id) == Automation.owner_id)
            .where(Automation.org_id == org_id)
        )
        if system is not None:
            stmt = stmt.where(col(Automation.system).is_(system))
        if owner_id is not None:
            stmt = stmt.where(Automation.owner_id == owner_id)
        return [(auto, email) for auto, email in s.exec(stmt.order_by(col(Automation.id)))]


def count_active(engine: Engine, org_id: int, *, excluding: int | None = None) -> int:
    with _session(read_only(engine)) as s:
        stmt = (
            select(func.count())
            .select_from(Automation)
            .where(
                Automation.org_id == org_id,
                col(Automation.enabled).is_(True),
                # the organisation's fixed jobs are not the plan's to count
                col(Automation.system).is_(False),
            )
        )
        if excluding is not None:
            stmt = stmt.where(Automation.id != excluding)
        return int(s.exec(stmt).one())


def save_automation(
    engine: Engine,
    automation: Automation,
    changes: dict[str, Any],
    *,
    audit: AuditEntry | None = None,
) -> Automation:
    """Apply `changes` to a stored automation (fields validated by the caller); returns it as
    stored now. One statement: the row is changed and read back together (and `audit` written
    in the same transaction)."""
    with _session(engine) as s:
        stored = s.scalars(
            update(Automation)
            .where(col(Automation.id) == automation.id, col(Automation.org_id) == automation.org_id)
            .values(**changes)
            .returning(Automation)
        ).first()
        if stored is None:
            raise NotFound(f"No automation #{automation.id} in your organisation.")
        add_entry(s, audit)
        s.commit()
        return stored


def delete_automation(
    engine: Engine, org_id: int, automation_id: int, *, audit: AuditEntry | None = None
) -> None:
    """Delete an automation with its history (delivery rows keep their keys, not the run).
    Drafts and Slack threads it was set up from stay, detached, in the same transaction: a
    draft is marked "deleted" so confirming it again says so instead of waiting forever."""
    with _session(engine) as s:
        auto = s.get(Automation, automation_id)
        if auto is None or auto.org_id != org_id:
            raise NotFound(f"No automation #{automation_id} in your organisation.")
        _delete_history(s, automation_id)
        s.exec(delete(Notice).where(col(Notice.automation_id) == automation_id))
        s.exec(
            update(AutomationDraft)
            .where(col(AutomationDraft.automation_id) == automation_id)
            .values(automation_id=None, status="deleted")
        )
        s.exec(
            update(SlackThread)
            .where(col(SlackThread.automation_id) == automation_id)
            .values(automation_id=None)
        )
        s.delete(auto)
        add_entry(s, audit)
        s.commit()


def clear_history(
    engine: Engine, org_id: int, automation_id: int, *, audit: AuditEntry | None = None
) -> int:
    """Delete an automation's finished runs; queued and running ones stay. Returns the count.
    `audit` (given the count) is written in the same transaction."""
    get_automation(engine, org_id, automation_id)
    with _session(engine) as s:
        count = _delete_history(s, automation_id, finished_only=True)
        if audit is not None:
            audit.changes = {**(audit.changes or {}), "runs_removed": count}
            s.add(audit)
        s.commit()
        return count


def _delete_history(s: Session, automation_id: int, *, finished_only: bool = False) -> int:
    stmt = select(AutomationRun.id).where(AutomationRun.automation_id == automation_id)
    if finished_only:
        stmt = stmt.where(col(AutomationRun.status).notin_(("pending", "running")))
    run_ids = list(s.exec(stmt))
    for start in range(0, len(run_ids), 500):
        chunk = run_ids[start : start + 500]
        s.exec(update(Delivery).where(col(Delivery.run_id).in_(chunk)).values(run_id=None))
        s.exec(delete(RunTarget).where(col(RunTarget.run_id).in_(chunk)))
        s.exec(delete(RunAction).where(col(RunAction.run_id).in_(chunk)))
        s.exec(delete(AutomationRun).where(col(AutomationRun.id).in_(chunk)))
    return len(run_ids)
