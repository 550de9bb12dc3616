"""What a batch of finished runs sets off besides their rows: the retries it queues, the
automations it releases or pauses after failures (audited), the notices to owners."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from models.store.audit import add_rows
from models.store.bulk import BulkWriter
from models.store.run_queue import automations, runs
from models.tables import table_of
from models.tables.audit import AuditEntry
from models.tables.runs import Notice

if TYPE_CHECKING:
    from models.store.completions import RunCompletion

notices_t = table_of(Notice)


def queue_retries(conn: Connection, completions: Sequence[RunCompletion], *, now: datetime) -> int:
    retry_rows = [
        {
            "org_id": c.run.org_id,
            "automation_id": c.run.automation_id,
            "triggered_by": c.run.triggered_by,
            "requested_by": c.run.requested_by,
            "scheduled_for": c.run.scheduled_for,
            "attempt": c.run.attempt + 1,
            "status": "pending",
            "not_before": c.retry_at,
            "trigger_data": c.run.trigger_data,
            "created_at": now,
            "output_summary": {},
            "metrics": {},
            "missed_count": 0,
            "retry_count": c.run.attempt,
        }
        for c in completions
        if c.retry_at is not None
    ]
    if retry_rows:
        conn.execute(insert(runs), retry_rows)
    return len(retry_rows)


def release_idle(conn: Connection, completions: Sequence[RunCompletion]) -> None:
    """An idle check only ends the automation's running state; its last run stays."""
    if not completions:
        return
    BulkWriter(conn).executemany(
        "UPDATE automations SET"
        " status = CASE WHEN status = 'running' AND NOT EXISTS (SELECT 1 FROM automation_runs r"
        " WHERE r.automation_id = automations.id AND r.status = 'running') THEN 'idle'"
        " ELSE status END"
        " WHERE id = ?",
        [(c.run.automation_id,) for c in completions],
    )


def pause_failing(
    conn: Connection, completions: Sequence[RunCompletion], *, now: datetime, pause_after: int
) -> list[int]:
    failed_ids = {c.run.automation_id for c in completions if c.outcome == "failed"}
    if not failed_ids:
        return []
    a = automations
    pausing = conn.execute(
        select(a.c.id, a.c.org_id, a.c.owner_id).where(
            a.c.id.in_(failed_ids),
            a.c.enabled.is_(True),
            a.c.consecutive_failures >= pause_after,
        )
    ).all()
    to_pause = [row.id for row in pausing]
    if to_pause:
        conn.execute(
            update(a)
            .where(a.c.id.in_(to_pause))
            .values(
                enabled=False,
                status="failed",
                paused_reason=f"paused after {pause_after} failed runs in a row",
                updated_at=now,
            )
        )
        add_rows(conn, (_system_pause(row, now, pause_after) for row in pausing))
    return to_pause


def _system_pause(row: Any, now: datetime, failures: int) -> AuditEntry:
    return AuditEntry(
        org_id=row.org_id,
        actor_user_id=None,
        action="pause",
        automation_id=row.id,
        owner_user_id=row.owner_id,
        at=now,
        changes={"enabled": {"old": True, "new": False}, "failed_in_a_row": failures},
    )


def write_notices(
    conn: Connection, completions: Sequence[RunCompletion], *, now: datetime, paused: set[int]
) -> None:
    rows = []
    noticed: Counter[int] = Counter()
    for c in completions:
        if not c.notice:
            continue
        kind = "paused" if c.run.automation_id in paused else c.notice_kind
        noticed[c.run.automation_id] += 1
        rows.append(
            {
                "org_id": c.run.org_id,
                "automation_id": c.run.automation_id,
                "kind": kind,
                "text": c.notice[:1000],
                "created_at": now,
                "sent_at": None,
            }
        )
    if rows:
        conn.execute(insert(notices_t), rows)
