"""Read-side queries of the service: paged listings for the dashboard and the REST API,
the /status figures and the /metrics families. Reads only; the worker's tables are written by
the worker's own store functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.tables.automations import Automation
from models.tables.deliveries import Delivery, OutboxMessage
from models.tables.orgs import User
from models.tables.runs import FINISHED_RUN_STATUSES, AutomationRun, WorkerBeat

#: upper bounds of the lag histogram, in seconds (the last bucket is +Inf)
LAG_BUCKETS_SECONDS = (0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def automations_page(
    engine: Engine,
    org_id: int,
    *,
    owner_id: int | None,
    after_id: int | None,
    limit: int,
    system: bool = False,
    name_has: str | None = None,
) -> list[Automation]:
    """Automations by id, `limit` of them after `after_id` (the cursor): an index range scan,
    so page 200 costs what page 1 costs. People's automations, or (`system`) the system jobs;
    `name_has`: only those whose name holds it, in any case."""
    with _session(read_only(engine)) as s:
        stmt = select(Automation).where(
            Automation.org_id == org_id, col(Automation.system).is_(system)
        )
        if name_has:
            stmt = stmt.where(
                func.lower(col(Automation.name)).contains(name_has.lower(), autoescape=True)
            )
        if owner_id is not None:
            stmt = stmt.where(Automation.owner_id == owner_id)
        if after_id is not None:
            stmt = stmt.where(col(Automation.id) > after_id)
        return list(s.exec(stmt.order_by(col(Automation.id)).limit(limit)))


def owner_emails(engine: Engine, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    with _session(read_only(engine)) as s:
        rows = s.exec(select(User.id, User.email).where(col(User.id).in_(sorted(user_ids))))
        return {int(uid or 0): email for uid, email in rows}


def automation_counts_by_owner(engine: Engine, org_id: int) -> dict[int, dict[str, int]]:
    """Per owner: how many automations are active, paused and failed (the admin view)."""
    with _session(read_only(engine)) as s:
        rows = s.exec(
            select(Automation.owner_id, Automation.enabled, Automation.status, func.count())
            .where(Automation.org_id == org_id, col(Automation.system).is_(False))
            .group_by(col(Automation.owner_id), col(Automation.enabled), col(Automation.status))
        ).all()
    counts: dict[int, dict[str, int]] = {}
    for owner_id, enabled, status, n in rows:
        entry = counts.setdefault(owner_id, {"active": 0, "paused": 0, "failed": 0})
        key = "failed" if status == "failed" else "active" if enabled else "paused"
        entry[key] += int(n)
    return counts


def outbox_page(
    engine: Engine, org_id: int, *, to_addr: str | None, before_id: int | None, limit: int
) -> list[OutboxMessage]:
    """The organisation's local outbox, newest first; `to_addr` narrows it to one recipient."""
    with _session(read_only(engine)) as s:
        stmt = select(OutboxMessage).where(OutboxMessage.org_id == org_id)
        if to_addr is not None:
            stmt = stmt.where(func.lower(OutboxMessage.to_addr) == to_addr.lower())
        if before_id is not None:
            stmt = stmt.where(col(OutboxMessage.id) < before_id)
        return list(s.exec(stmt.order_by(col(OutboxMessage.id).desc()).limit(limit)))


# --- /status -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceFigures:
    last_tick_at: datetime | None
    workers_seen: int
    due_occurrences: int
    due_queued_runs: int
    recent_lag_ms: list[int]
    failures_by_skill: dict[str, tuple[int, int]]  # skill -> (failed, finished)


def service_figures(
    engine: Engine, *, now: datetime, window: timedelta, org_id: int | None = None
) -> ServiceFigures:
    """The worker's figures; with `org_id`, failures by skill count that organisation's runs
    only (the rest is the worker's own health)."""
    since = now - window
    in_org = [] if org_id is None else [col(Automation.org_id) == org_id]
    with _session(read_only(engine)) as s:
        last_tick, workers = s.exec(
            select(func.max(WorkerBeat.last_tick_at), func.count()).select_from(WorkerBeat)
        ).one()
        due = s.exec(
            select(func.count())
            .select_from(Automation)
            .where(
                col(Automation.enabled).is_(True),
                col(Automation.next_run_at).is_not(None),
                col(Automation.next_run_at) <= now,
                col(Automation.trigger_type).in_(("cron", "poll")),
            )
        ).one()
        queued = s.exec(
            select(func.count())
            .select_from(AutomationRun)
            .where(AutomationRun.status == "pending", col(AutomationRun.not_before) <= now)
        ).one()
        lags = s.exec(
            select(AutomationRun.lag_ms)
            .where(col(AutomationRun.lag_ms).is_not(None), col(AutomationRun.started_at) >= since)
            .order_by(col(AutomationRun.id).desc())
            .limit(1000)
        ).all()
        rows = s.exec(
            select(
                Automation.skill,
                func.sum(case((col(AutomationRun.status) == "failed", 1), else_=0)),
                func.count(),
            )
            .join(Automation, col(Automation.id) == col(AutomationRun.automation_id))
            .where(
                col(AutomationRun.completed_at) >= since,
                col(AutomationRun.status).in_(FINISHED_RUN_STATUSES),
                AutomationRun.triggered_by != "test",
                *in_org,
            )
            .group_by(col(Automation.skill))
        ).all()
    last = last_tick
    if isinstance(last, str):  # SQLite's max() returns the stored text, not the column type
        last = datetime.fromisoformat(last)
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return ServiceFigures(
        last_tick_at=last,
        workers_seen=int(workers or 0),
        due_occurrences=int(due),
        due_queued_runs=int(queued),
        recent_lag_ms=sorted(int(v) for v in lags if v is not None),
        failures_by_skill={skill: (int(failed or 0), int(n)) for skill, failed, n in rows},
    )


# --- /metrics ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetricFigures:
    runs_by_status: dict[tuple[str, str], int]  # (status, triggered_by) -> count
    lag_bucket_counts: list[int]  # cumulative, one per LAG_BUCKETS_SECONDS, then +Inf
    lag_sum_seconds: float
    deliveries: dict[tuple[str, str], int]  # (channel, status) -> count


def metric_figures(engine: Engine) -> MetricFigures:
    with _session(read_only(engine)) as s:
        by_status = s.exec(
            select(AutomationRun.status, AutomationRun.triggered_by, func.count()).group_by(
                col(AutomationRun.status), col(AutomationRun.triggered_by)
            )
        ).all()
        lag = col(AutomationRun.lag_ms)
        bucket_columns = [
            func.sum(case((lag <= int(b * 1000), 1), else_=0)) for b in LAG_BUCKETS_SECONDS
        ]
        lag_row = (
            s.connection()
            .execute(sa_select(*bucket_columns, func.count(lag), func.coalesce(func.sum(lag), 0)))
            .one()
        )
        deliveries = s.exec(
            select(Delivery.channel, Delivery.status, func.count()).group_by(
                col(Delivery.channel), col(Delivery.status)
            )
        ).all()
    values = [int(v or 0) for v in lag_row]
    return MetricFigures(
        runs_by_status={(st, by): int(n) for st, by, n in by_status},
        lag_bucket_counts=values[: len(LAG_BUCKETS_SECONDS) + 1],
        lag_sum_seconds=values[-1] / 1000.0,
        deliveries={(ch, st): int(n) for ch, st, n in deliveries},
    )
