"""A lease runs from the moment its run is claimed, not from the tick's instant: a tick that
spends longer than a lease planning its first batches must not hand its later batches a lease
that has already run out (another worker would rescue them and run them a second time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from bench.kit.factories import make_automation, make_org
from models.store.occurrences import claim_due_occurrences
from models.store.run_queue import rescue_expired_runs
from models.tables.runs import AutomationRun
from worker.tick.planner import OccurrencePlanner

NOW = datetime(2026, 11, 23, 8, 59, tzinfo=UTC)
DUE = NOW + timedelta(minutes=1, seconds=1)
LEASE = 60


def test_a_late_claim_is_leased_from_its_own_moment(engine: Engine) -> None:
    org = make_org(engine, NOW)
    make_automation(engine, org, NOW, cron="0 9 * * *")
    claimed_at = DUE + timedelta(seconds=2 * LEASE)  # the tick has been busy for two leases
    planner = OccurrencePlanner(now=DUE, misfire_grace=timedelta(minutes=5), catch_up_limit=10)
    claimed, handled = claim_due_occurrences(
        engine,
        now=DUE,
        leased_at=claimed_at,
        worker_id="late",
        lease_seconds=LEASE,
        limit=10,
        planner=planner,
    )
    assert (len(claimed), handled) == (1, 1)
    with engine.connect() as conn:
        expires = conn.scalar(select(col(AutomationRun.lease_expires_at)))
    assert expires is not None
    assert expires.replace(tzinfo=UTC) == claimed_at + timedelta(seconds=LEASE)
    # another worker looking just after the claim finds nothing to rescue
    rescued = rescue_expired_runs(
        engine,
        now=claimed_at + timedelta(seconds=1),
        worker_id="other",
        lease_seconds=LEASE,
        limit=10,
    )
    assert rescued == []
