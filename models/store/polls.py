"""Store API for polling ("virtual webhooks") and the demo ATS's own events.

A poll's events and its new snapshot are written in one transaction: a poll that fails
anywhere stores nothing, so the next one diffs against the same snapshot and finds the same
changes (nothing lost, nothing doubled). Demo changes record their event in the same
transaction as the change, with the dedupe key a poll of the demo ATS would give it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.engine import read_only
from models.errors import InvalidInput, NotFound
from models.store.events import connections, demo_connection_id, insert_event
from models.tables import table_of
from models.tables.demo_ats import AtsActivity, AtsApplication, AtsCandidate, AtsJob, AtsStage
from models.tables.events import AtsConnection, PollSnapshot

snapshots = table_of(PollSnapshot)
applications = table_of(AtsApplication)
STATUS_EVENTS = {
    "hired": "candidate.hired",
    "rejected": "candidate.rejected",
    "withdrawn": "candidate.withdrawn",
}
STAGE_STATUS = {"Hired": "hired", "Rejected": "rejected"}


def stage_change_key(application_id: Any, stage: str, changed_at: datetime | str) -> str:
    at = changed_at.isoformat() if isinstance(changed_at, datetime) else changed_at
    return f"application:{application_id}:stage:{stage}:{at}"


def status_key(application_id: Any, status: str, changed_at: datetime | str) -> str:
    at = changed_at.isoformat() if isinstance(changed_at, datetime) else changed_at
    return f"application:{application_id}:{status}:{at}"


@dataclass(frozen=True, slots=True)
class PollEvent:
    dedupe_key: str
    provider_type: str
    event_type: str
    data: dict[str, Any]


def claim_due_polls(engine: Engine, *, now: datetime, limit: int = 50) -> list[AtsConnection]:
    """Connections due for a poll; their next poll moves one interval on (the claim)."""
    c = connections
    with engine.begin() as conn:
        stmt = (
            select(c.c.id, c.c.poll_interval_minutes)
            .where(
                c.c.enabled.is_(True),
                c.c.poll_interval_minutes.is_not(None),
                c.c.next_poll_at <= now,
            )
            .order_by(c.c.next_poll_at)
            .limit(limit)
        )
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        due = conn.execute(stmt).all()
        for row in due:
            conn.execute(
                update(c)
                .where(c.c.id == row.id)
                .values(next_poll_at=now + timedelta(minutes=row.poll_interval_minutes))
            )
    if not due:
        return []
    with Session(read_only(engine), expire_on_commit=False) as s:
        return list(
            s.scalars(
                select(AtsConnection)
                .where(col(AtsConnection.id).in_([row.id for row in due]))
                .order_by(col(AtsConnection.id))
            )
        )


def load_snapshot(engine: Engine, connection_id: int) -> dict[str, Any] | None:
    with read_only(engine).connect() as conn:
        row = conn.execute(
            select(snapshots.c.data).where(snapshots.c.connection_id == connection_id)
        ).first()
    return dict(row.data) if row is not None else None


def commit_poll(
    engine: Engine,
    connection: AtsConnection,
    snapshot: dict[str, Any],
    events: list[PollEvent],
    now: datetime,
) -> int:
    """Store the poll's events and advance the snapshot, atomically. Returns events stored
    (a change the demo ATS already reported is not stored twice)."""
    stored = 0
    with engine.begin() as conn:
        for event in events:
            stored += (
                insert_event(
                    conn,
                    org_id=connection.org_id,
                    connection_id=connection.id or 0,
                    provider=connection.provider,
                    provider_type=event.provider_type,
                    event_type=event.event_type,
                    data=event.data,
                    dedupe_key=event.dedupe_key,
                    now=now,
                )
                is not None
            )
        updated = conn.execute(
            update(snapshots)
            .where(snapshots.c.connection_id == connection.id)
            .values(data=snapshot, taken_at=now)
        )
        if not updated.rowcount:
            conn.execute(
                insert(snapshots),
                {"connection_id": connection.id, "data": snapshot, "taken_at": now},
            )
        conn.execute(
            update(connections)
            .where(connections.c.id == connection.id)
            .values(last_polled_at=now, last_poll_error=None)
        )
    return stored


def poll_failed(engine: Engine, connection_id: int, *, error: str, retry_at: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(connections)
            .where(connections.c.id == connection_id)
            .values(last_poll_error=error[:500], next_poll_at=retry_at)
        )


# --- the demo ATS ----------------------------------------------------------------------------


def demo_snapshot(engine: Engine, org_id: int) -> dict[str, Any]:
    """The demo ATS as a poll sees it: ids, stages, statuses, jobs (no names)."""
    with Session(read_only(engine)) as s:
        candidates = {
            str(cid): {"owner_id": str(owner) if owner else None}
            for cid, owner in s.execute(
                select(col(AtsCandidate.id), col(AtsCandidate.owner_id)).where(
                    col(AtsCandidate.org_id) == org_id
                )
            )
        }
        rows = s.execute(
            select(
                col(AtsApplication.id),
                col(AtsApplication.candidate_id),
                col(AtsApplication.job_id),
                col(AtsApplication.stage),
                col(AtsApplication.status),
                col(AtsApplication.stage_changed_at),
                col(AtsJob.title),
                col(AtsJob.department),
            )
            .join(AtsJob, col(AtsJob.id) == AtsApplication.job_id)
            .where(col(AtsApplication.org_id) == org_id)
        )
        apps = {
            str(r.id): {
                "candidate_id": str(r.candidate_id),
                "job_id": str(r.job_id),
                "job": r.title,
                "department": r.department,
                "stage": r.stage,
                "status": r.status,
                "stage_changed_at": r.stage_changed_at.isoformat(),
                "owner_id": candidates.get(str(r.candidate_id), {}).get("owner_id"),
            }
            for r in rows
        }
    return {"candidates": candidates, "applications": apps}


def _latest_application_id(engine: Engine, org_id: int, candidate_id: int) -> int:
    """The demo candidate's latest application in the organisation; NotFound without one."""
    with Session(read_only(engine)) as s:
        application_id = s.scalar(
            select(col(AtsApplication.id))
            .join(AtsCandidate, col(AtsCandidate.id) == AtsApplication.candidate_id)
            .where(
                col(AtsApplication.candidate_id) == candidate_id,
                col(AtsCandidate.org_id) == org_id,
            )
            .order_by(col(AtsApplication.applied_at).desc(), col(AtsApplication.id).desc())
        )
    if application_id is None:
        raise NotFound(f"No candidate {candidate_id} with an application in this organisation.")
    return application_id


def move_demo_candidate(
    engine: Engine,
    *,
    org_id: int,
    candidate_id: int,
    stage: str,
    now: datetime,
    chain_depth: int = 0,
) -> list[int]:
    """Move a demo candidate's latest application to `stage` and record the canonical events
    (candidate.stage_changed, and candidate.hired / candidate.rejected for closing stages), in
    one transaction. Returns the event ids; the caller wakes the worker."""
    application_id = _latest_application_id(engine, org_id, candidate_id)
    moved = move_demo_application(
        engine,
        org_id=org_id,
        application_id=application_id,
        stage=stage,
        now=now,
        chain_depth=chain_depth,
    )
    if moved is None:
        raise InvalidInput(
            f"Candidate {candidate_id} is already in {_stage_named(engine, org_id, stage)}."
        )
    return moved


def _stage_named(engine: Engine, org_id: int, stage: str) -> str:
    """The organisation's spelling of `stage` (matched regardless of case)."""
    with Session(read_only(engine)) as s:
        stages = list(
            s.scalars(
                select(col(AtsStage.name))
                .where(col(AtsStage.org_id) == org_id)
                .order_by(col(AtsStage.position))
            )
        )
    wanted = next((name for name in stages if name.casefold() == stage.casefold()), None)
    if wanted is None:
        raise InvalidInput(f"No stage '{stage}'. Stages: {', '.join(stages)}.")
    return wanted


def move_demo_application(
    engine: Engine,
    *,
    org_id: int,
    application_id: int,
    stage: str,
    now: datetime,
    chain_depth: int = 0,
) -> list[int] | None:
    """Move one demo application to `stage` with its activity and canonical events, in one
    transaction (a `demo move`, or a workflow's update_field, whose events carry the chain
    depth so chains of automations stop at the limit). None: it was in that stage already."""
    wanted = _stage_named(engine, org_id, stage)
    with Session(engine) as s:
        app = s.execute(
            select(
                col(AtsApplication.id),
                col(AtsApplication.candidate_id),
                col(AtsApplication.stage),
                col(AtsApplication.job_id),
                col(AtsCandidate.owner_id),
                col(AtsJob.title),
                col(AtsJob.department),
            )
            .join(AtsCandidate, col(AtsCandidate.id) == AtsApplication.candidate_id)
            .join(AtsJob, col(AtsJob.id) == AtsApplication.job_id)
            .where(col(AtsApplication.id) == application_id, col(AtsApplication.org_id) == org_id)
        ).first()
    if app is None:
        raise NotFound(f"No application {application_id} in this organisation.")
    if app.stage == wanted:
        return None
    candidate_id = app.candidate_id
    status = STAGE_STATUS.get(wanted, "active")
    data = {
        "candidate_id": str(candidate_id),
        "application_id": str(app.id),
        "job_id": str(app.job_id),
        "job": app.title,
        "department": app.department,
        "owner_id": str(app.owner_id) if app.owner_id else None,
        "from_stage": app.stage,
        "to_stage": wanted,
        "occurred_at": now.isoformat(),
    }
    data = {k: v for k, v in data.items() if v}
    ids: list[int | None] = []
    with engine.begin() as conn:
        conn.execute(
            update(applications)
            .where(applications.c.id == app.id)
            .values(stage=wanted, status=status, stage_changed_at=now)
        )
        conn.execute(
            insert(table_of(AtsActivity)),
            {
                "org_id": org_id,
                "candidate_id": candidate_id,
                "application_id": app.id,
                "kind": "stage_change",
                "from_stage": app.stage,
                "to_stage": wanted,
                "occurred_at": now,
            },
        )
        connection_id = demo_connection_id(conn, org_id, now)
        record = partial(
            insert_event,
            conn,
            org_id=org_id,
            connection_id=connection_id,
            provider="demo",
            now=now,
            chain_depth=chain_depth,
        )
        ids.append(
            record(
                provider_type="candidate.stage_changed",
                event_type="candidate.stage_changed",
                data=data,
                dedupe_key=stage_change_key(app.id, wanted, now),
            )
        )
        if status in STATUS_EVENTS:
            ids.append(
                record(
                    provider_type=STATUS_EVENTS[status],
                    event_type=STATUS_EVENTS[status],
                    data=data,
                    dedupe_key=status_key(app.id, status, now),
                )
            )
    return [i for i in ids if i is not None]


def record_demo_reply(engine: Engine, *, org_id: int, candidate_id: int, now: datetime) -> int:
    """A demo candidate replied: the activity and a canonical candidate.replied event (which
    stops their sequence enrolments), in one transaction. Returns the event id."""
    application_id = _latest_application_id(engine, org_id, candidate_id)
    data = {
        "candidate_id": str(candidate_id),
        "application_id": str(application_id),
        "occurred_at": now.isoformat(),
    }
    with engine.begin() as conn:
        conn.execute(
            insert(table_of(AtsActivity)),
            {
                "org_id": org_id,
                "candidate_id": candidate_id,
                "application_id": application_id,
                "kind": "reply",
                "occurred_at": now,
            },
        )
        event_id = insert_event(
            conn,
            org_id=org_id,
            connection_id=demo_connection_id(conn, org_id, now),
            provider="demo",
            provider_type="candidate.replied",
            event_type="candidate.replied",
            data=data,
            dedupe_key=f"candidate:{candidate_id}:replied:{now.isoformat()}",
            now=now,
        )
    if event_id is None:
        raise InvalidInput(f"Candidate {candidate_id}'s reply at that instant is recorded already.")
    return event_id
