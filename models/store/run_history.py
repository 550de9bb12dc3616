"""Reading run history: runs of an automation or organisation (cursor-paginated), one run with
its per-target and per-action rows, frozen targets and instants of an occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.errors import NotFound
from models.store.run_details import INLINE_DELIVERY, INLINE_RENDER
from models.tables.runs import AutomationRun, RunAction, RunCounter, RunTarget


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


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
    with _session(read_only(engine)) as s:
        stmt = select(AutomationRun).where(AutomationRun.org_id == org_id)
        if automation_id is not None:
            stmt = stmt.where(AutomationRun.automation_id == automation_id)
        if automation_ids is not None:
            stmt = stmt.where(col(AutomationRun.automation_id).in_(automation_ids))
        if before_id is not None:
            stmt = stmt.where(col(AutomationRun.id) < before_id)
        found = list(s.exec(stmt.order_by(col(AutomationRun.id).desc()).limit(limit)))
    for run in found:
        _inline_rows(run)
    return found


def get_run(engine: Engine, org_id: int, run_id: int) -> RunDetail:
    with _session(read_only(engine)) as s:
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
    inline_targets, inline_actions = _inline_rows(run)
    actions = sorted(inline_actions + actions, key=lambda a: a.position)
    return RunDetail(run=run, targets=targets + inline_targets, actions=actions)


def _inline_rows(run: AutomationRun) -> tuple[list[RunTarget], list[RunAction]]:
    """The detail rows recorded inline in the run row (models.store.completions: the render
    step, the delivery step and its recipients), as the rows they stand for; the run's metrics
    are left without them. Call once the session is closed: the run is not written back."""
    metrics = run.metrics or {}
    if INLINE_RENDER not in metrics and INLINE_DELIVERY not in metrics:
        return [], []
    run.metrics = {k: v for k, v in metrics.items() if k not in (INLINE_RENDER, INLINE_DELIVERY)}
    run_id, at = run.id or 0, run.completed_at
    actions: list[RunAction] = []
    if INLINE_RENDER in metrics:
        actions.append(
            RunAction(
                run_id=run_id,
                position=0,
                action_type="render",
                status="completed",
                started_at=at,
                completed_at=at,
                detail=metrics[INLINE_RENDER],
            )
        )
    delivery = metrics.get(INLINE_DELIVERY)
    if not isinstance(delivery, dict):
        return [], actions
    actions.append(
        RunAction(
            run_id=run_id,
            position=delivery.get("position", 0),
            action_type="deliver",
            status=delivery.get("status", "pending"),
            error=delivery.get("error"),
            skipped_reason=delivery.get("skipped_reason"),
            started_at=at if delivery.get("timed") else None,
            completed_at=at if delivery.get("timed") else None,
            detail=delivery.get("detail") or {},
        )
    )
    targets = [
        RunTarget(
            run_id=run_id,
            target_type="recipient",
            target_ref=r["ref"],
            status=r.get("status", "pending"),
            error=r.get("error"),
            skipped_reason=r.get("skipped_reason"),
            detail=r.get("detail") or {},
        )
        for r in delivery.get("recipients", [])
    ]
    return targets, actions


def last_success_at(engine: Engine, automation_id: int) -> datetime | None:
    """When the automation last completed a real (non-test) run, for "since the last report"."""
    with _session(read_only(engine)) as s:
        return s.exec(
            select(func.max(AutomationRun.completed_at)).where(
                AutomationRun.automation_id == automation_id,
                col(AutomationRun.status).in_(("completed", "partial")),
                AutomationRun.triggered_by != "test",
            )
        ).one()


def frozen_targets(engine: Engine, automation_id: int, scheduled_for: datetime) -> list[RunTarget]:
    """Targets already resolved for this occurrence by an earlier attempt (frozen)."""
    with _session(read_only(engine)) as s:
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
        run = s.get(AutomationRun, first)
        stored = list(s.exec(select(RunTarget).where(RunTarget.run_id == first)))
    return stored + (_inline_rows(run)[0] if run is not None else [])


def frozen_instant(engine: Engine, automation_id: int, scheduled_for: datetime) -> datetime | None:
    """When the occurrence's first attempt started: a retry evaluates its data as of then,
    so it acts on the targets the first attempt froze."""
    with _session(read_only(engine)) as s:
        return s.exec(
            select(AutomationRun.started_at)
            .where(
                AutomationRun.automation_id == automation_id,
                AutomationRun.scheduled_for == scheduled_for,
                col(AutomationRun.started_at).is_not(None),
            )
            .order_by(col(AutomationRun.attempt))
        ).first()


def runs_started_since(engine: Engine, org_ids: list[int], since: datetime) -> dict[int, int]:
    """Runs each organisation started since `since` (the per-organisation rate limit)."""
    with _session(read_only(engine)) as s:
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


DEFERRED = "quiet_hours"


def deferrals_of(engine: Engine, automation_id: int, scheduled_for: datetime) -> int:
    """How many attempts of this occurrence were deferred for quiet hours: they are not failed
    attempts, so they do not use up its retries."""
    with Session(read_only(engine)) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(AutomationRun)
                .where(
                    AutomationRun.automation_id == automation_id,
                    AutomationRun.scheduled_for == scheduled_for,
                    AutomationRun.skipped_reason == DEFERRED,
                )
            )
            or 0
        )


def unlogged_runs(engine: Engine, org_id: int, now: datetime) -> int:
    """How many of the organisation's runs this month (UTC) ran beyond the plan's logged-run
    quota, and so have no history row."""
    with _session(read_only(engine)) as s:
        count = s.exec(
            select(RunCounter.unlogged).where(
                RunCounter.org_id == org_id, RunCounter.month == now.strftime("%Y-%m")
            )
        ).first()
        return int(count or 0)


def skipped_before(engine: Engine, automation_id: int, reason: str, *, before_id: int) -> bool:
    """Whether a run of the automation older than run `before_id` was skipped for `reason`
    (an owner told why its runs are skipped is told once)."""
    with read_only(engine).connect() as conn:
        found = conn.execute(
            select(AutomationRun.id)
            .where(
                AutomationRun.automation_id == automation_id,
                col(AutomationRun.id) < before_id,
                AutomationRun.skipped_reason == reason,
            )
            .limit(1)
        ).first()
    return found is not None
