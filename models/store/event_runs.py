"""Store API for the runs events start: which automations listen for an event (through the
ix_automations_event index), queueing their runs idempotently, recording refused runs as
skipped (the one-off runs of relative schedules: models.store.relative_schedules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, literal_column, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from models.engine import read_only
from models.store.run_queue import queue_run
from models.tables import table_of
from models.tables.automations import Automation
from models.tables.events import RelativeOccurrence
from models.tables.runs import AutomationRun

runs = table_of(AutomationRun)
automations = table_of(Automation)
occurrences = table_of(RelativeOccurrence)

_SLOT_TRIES = 20


@dataclass(frozen=True, slots=True)
class Listener:
    id: int
    owner_id: int
    event_filter: dict[str, Any]
    skill: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    name: str = ""


def listeners(engine: Engine, org_id: int, event_type: str) -> list[Listener]:
    """Enabled event automations of the organisation waiting for `event_type`."""
    a = automations
    with read_only(engine).connect() as conn:
        rows = conn.execute(
            select(a.c.id, a.c.owner_id, a.c.event_filter, a.c.skill, a.c.params, a.c.name)
            .where(
                a.c.org_id == org_id,
                a.c.trigger_type == "event",
                a.c.event_type == event_type,
                a.c.enabled.is_(True),
            )
            .order_by(a.c.id)
        ).all()
    return [
        Listener(r.id, r.owner_id, r.event_filter or {}, r.skill, r.params or {}, r.name)
        for r in rows
    ]


def event_runs_since(engine: Engine, org_id: int, since: datetime) -> int:
    """Event runs (started or refused) the organisation got since `since`: the rate limit."""
    with read_only(engine).connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(runs)
                .where(
                    runs.c.org_id == org_id,
                    runs.c.created_at >= since,
                    # written into the SQL: the index on event runs is partial on this value
                    runs.c.triggered_by == literal_column("'event'"),
                )
            ).scalar_one()
        )


def automations_with_runs_by_event(engine: Engine, event_ids: list[int]) -> dict[int, set[int]]:
    """The automations each event already has a run for (a reprocessed event adds none), for
    a batch of events in one query."""
    found: dict[int, set[int]] = {event_id: set() for event_id in event_ids}
    if not event_ids:
        return found
    with read_only(engine).connect() as conn:
        for event_id, automation_id in conn.execute(
            select(runs.c.event_id, runs.c.automation_id).where(runs.c.event_id.in_(event_ids))
        ):
            found[event_id].add(automation_id)
    return found


def in_free_slot(write: Callable[[datetime], int], when: datetime) -> int:
    """An occurrence is (automation, scheduled_for): two events at the same instant for the
    same automation get instants a microsecond apart rather than colliding."""
    for _ in range(_SLOT_TRIES):
        try:
            return write(when)
        except IntegrityError:
            when += timedelta(microseconds=1)
    raise RuntimeError("no free occurrence slot")  # pragma: no cover - 20 collisions in a row


def queue_event_run(
    engine: Engine,
    *,
    automation_id: int,
    org_id: int,
    event_id: int,
    chain_depth: int,
    trigger_data: dict[str, Any],
    scheduled_for: datetime,
    now: datetime,
) -> int:
    """Queue an event run through the core's run queue (the next tick claims it)."""
    return in_free_slot(
        lambda when: queue_run(
            engine,
            automation_id=automation_id,
            org_id=org_id,
            triggered_by="event",
            now=now,
            scheduled_for=when,
            not_before=max(when, now),
            trigger_data=trigger_data,
            event_id=event_id,
            chain_depth=chain_depth,
        ),
        scheduled_for,
    )


#: the automation_id of a once-claim held for the whole organisation (no automation has id 0);
#: a second row under the automation that holds it says which one sent it
ORG_WIDE = 0


@dataclass(frozen=True, slots=True)
class OnceQueued:
    """What queueing a once-only run did: the run queued, or the automation whose run already
    holds the subject (None when its holder is gone)."""

    run_id: int | None
    held_by: int | None = None
    held_by_name: str = ""


def queue_event_run_once(engine: Engine, *, once_key: str, **run: Any) -> OnceQueued:
    """Queue an event run unless the organisation already has one for `once_key` (one note of
    a kind per application, however many automations send it and however often the ATS reports
    its event); OnceQueued(None, held_by=...) when it has.

    The key is claimed first, in one transaction, as two relative occurrences: one for the
    organisation (unique per key) and one under the claiming automation (who holds it); then
    the run is queued. Two workers with two copies of the event, or two automations of the
    same kind, queue one run between them. A claim left without its run by a crash is taken up
    again by the same automation for the same event only."""
    automation_id: int = run["automation_id"]
    key = f"org:{run['org_id']}:{once_key}"
    claim = {
        "org_id": run["org_id"],
        "subject_ref": key,
        "run_id": None,
        "fires_at": run["scheduled_for"],
        "status": "scheduled",
        "event_id": run["event_id"],
        "created_at": run["now"],
        "updated_at": run["now"],
    }
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(occurrences),
                [{**claim, "automation_id": ORG_WIDE}, {**claim, "automation_id": automation_id}],
            )
    except IntegrityError:
        held = _once_holder(engine, key)
        if held is None:
            return OnceQueued(None)
        taken_up = (held.run_id, held.event_id, held.holder[0]) == (
            None,
            run["event_id"],
            automation_id,
        )
        if not taken_up:
            return OnceQueued(None, *held.holder)
    run_id = queue_event_run(engine, **run)
    with engine.begin() as conn:
        conn.execute(
            update(occurrences)
            .where(
                occurrences.c.automation_id.in_([ORG_WIDE, automation_id]),
                occurrences.c.subject_ref == key,
            )
            .values(run_id=run_id)
        )
    return OnceQueued(run_id)


@dataclass(frozen=True, slots=True)
class _Held:
    run_id: int | None
    event_id: int | None
    holder: tuple[int | None, str]


def _once_holder(engine: Engine, key: str) -> _Held | None:
    """Who holds a once-claim: its run and event, and the automation (id, name) that claimed it."""
    o, a = occurrences.c, automations.c
    with read_only(engine).connect() as conn:
        rows = conn.execute(
            select(o.automation_id, o.run_id, o.event_id, a.name)
            .select_from(occurrences.outerjoin(automations, a.id == o.automation_id))
            .where(o.subject_ref == key)
        ).all()
    if not rows:
        return None
    claimed = [r for r in rows if r.automation_id != ORG_WIDE]
    holder: tuple[int | None, str] = (
        (claimed[0].automation_id, claimed[0].name or "") if claimed else (None, "")
    )
    return _Held(rows[0].run_id, rows[0].event_id, holder)


def record_skipped_event_run(
    engine: Engine,
    *,
    automation_id: int,
    org_id: int,
    event_id: int,
    chain_depth: int,
    trigger_data: dict[str, Any],
    scheduled_for: datetime,
    reason: str,
    now: datetime,
    summary: dict[str, Any] | None = None,
) -> int:
    """A run the event would have started, refused (rate limit, chain depth, already sent):
    history says so; `summary` (ids only) says more where the reason has more to say."""

    def write(when: datetime) -> int:
        with engine.begin() as conn:
            return int(
                conn.execute(
                    insert(runs).returning(runs.c.id),
                    {
                        "org_id": org_id,
                        "automation_id": automation_id,
                        "triggered_by": "event",
                        "scheduled_for": when,
                        "attempt": 1,
                        "status": "skipped",
                        "not_before": when,
                        "trigger_data": trigger_data,
                        "skipped_reason": reason,
                        "completed_at": now,
                        "event_id": event_id,
                        "chain_depth": chain_depth,
                        "created_at": now,
                        "output_summary": summary or {},
                        "metrics": {},
                        "missed_count": 0,
                        "retry_count": 0,
                    },
                ).scalar_one()
            )

    return in_free_slot(write, scheduled_for)
