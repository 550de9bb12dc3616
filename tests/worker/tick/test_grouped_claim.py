"""A claim plans automations due alike once and writes equal run rows and equal next instants
together; every automation must still get exactly the runs, next run and state it would get
planned on its own. Random mixes of schedules, policies and states, some shared by many
automations and some by one, are claimed in batches and compared with each automation planned
alone."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.store.occurrence_plans import DueAutomation, RowPlans
from models.store.occurrence_rows import GROUPED_FROM
from models.store.occurrences import claim_due_occurrences
from models.store.run_inputs import RunAutomation, load_run_inputs
from models.store.run_queue import automations, queue_run, runs
from worker.tick.planner import OccurrencePlanner

NOW = datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC)
LEASED_AT = NOW + timedelta(seconds=3)
LEASE = 120
GRACE = timedelta(minutes=5)
CATCH_UP = 3

CRONS = ["* * * * *", "*/5 * * * *", "0 9 * * *", "30 8 * * 1-5", "0 */2 * * *", "not a cron"]
ZONES = ["UTC", "Europe/Paris", "America/New_York"]
# due instants: on time, late by minutes, by hours, by days (catch-up and missed counts)
BEHIND = [timedelta(0), timedelta(minutes=1), timedelta(hours=3), timedelta(days=2)]


def _config(rng: random.Random) -> dict[str, Any]:
    poll = rng.random() < 0.2
    return {
        "trigger_type": "poll" if poll else "cron",
        "cron": None if poll else rng.choice(CRONS),
        "poll_interval_minutes": rng.choice([15, 60]) if poll else None,
        "tz": rng.choice(ZONES),
        "next_run_at": NOW.replace(second=0) - rng.choice(BEHIND),
        "misfire_policy": rng.choice(["latest", "skip", "catch_up"]),
        "overlap_policy": rng.choice(["skip", "allow", "buffer_one"]),
        "status": rng.choice(["idle", "idle", "running"]),
    }


def _mix(engine: Engine, seed: int) -> tuple[list[DueAutomation], set[int]]:
    """Automations over a few configurations shared by many and many held by one; returns
    them as the claim reads them, and those with a pending run."""
    rng = random.Random(seed)
    org = make_org(engine, NOW - timedelta(days=30))
    shared = [_config(rng) for _ in range(4)]
    due: list[DueAutomation] = []
    pending: set[int] = set()
    for i in range(150):
        config = dict(rng.choice(shared) if i % 3 else _config(rng))
        cron = config.pop("cron")
        tz = config.pop("tz")
        success = NOW - timedelta(days=rng.randint(1, 9)) if rng.random() < 0.5 else None
        auto = make_automation(
            engine,
            org,
            NOW - timedelta(days=30),
            cron=cron,
            tz=tz,
            name=f"mix {i}",
            last_success_at=success,
            **config,
        )
        assert auto.id is not None
        if auto.status == "running" and rng.random() < 0.5:
            queue_run(
                engine,
                automation_id=auto.id,
                org_id=org.org_id,
                triggered_by="manual",
                now=NOW - timedelta(days=20),
            )
            pending.add(auto.id)
        due.append(
            DueAutomation(
                auto.id,
                org.org_id,
                auto.trigger_type,
                auto.cron_expression,
                None,
                None,
                None,
                tz,
                auto.poll_interval_minutes,
                config["next_run_at"],
                auto.misfire_policy,
                auto.overlap_policy,
                auto.status,
            )
        )
    return due, pending


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouped_claims_give_every_automation_its_own_plan(engine: Engine, seed: int) -> None:
    due, pending = _mix(engine, seed)
    planner = OccurrencePlanner(now=NOW, misfire_grace=GRACE, catch_up_limit=CATCH_UP)
    claimed = []
    inputs: dict[int, RunAutomation] = {}
    plans: RowPlans = {}  # as a tick keeps them: automations due alike in later batches
    while True:
        batch, handled = claim_due_occurrences(
            engine,
            now=NOW,
            leased_at=LEASED_AT,
            worker_id="w1",
            lease_seconds=LEASE,
            limit=40,
            planner=planner,
            inputs=inputs,
            plans=plans,
        )
        claimed.extend(batch)
        if handled < 40:
            break

    with engine.connect() as conn:
        rows = conn.execute(select(runs).where(runs.c.triggered_by != "manual")).all()
        autos = {r.id: r for r in conn.execute(select(automations))}
    runs_of: dict[int, list[Any]] = {}
    for row in rows:
        runs_of.setdefault(row.automation_id, []).append(row)
    alone = OccurrencePlanner(now=NOW, misfire_grace=GRACE, catch_up_limit=CATCH_UP)
    sizes: dict[tuple[Any, ...], int] = {}
    running_ids: dict[int, int] = {}
    for auto in due:
        plan = alone.plan(auto, auto.id in pending)
        got = sorted(runs_of.get(auto.id, []), key=lambda r: r.scheduled_for)
        want = sorted(plan.runs, key=lambda p: p.scheduled_for)
        assert [
            (_utc(r.scheduled_for), r.status, r.missed_count, r.skipped_reason) for r in got
        ] == [(p.scheduled_for, p.status, p.missed_count, p.skipped_reason) for p in want]
        for r, p in zip(got, want, strict=True):
            value = (p.scheduled_for, p.status, p.missed_count, p.skipped_reason, auto.trigger_type)
            sizes[value] = sizes.get(value, 0) + 1
            running = p.status == "running"
            assert r.triggered_by == ("poll" if auto.trigger_type == "poll" else "schedule")
            assert (r.org_id, r.attempt, r.trigger_data, r.output_summary) == (
                auto.org_id,
                1,
                {},
                {},
            )
            assert _utc(r.not_before) == (p.not_before or p.scheduled_for)
            assert _utc(r.created_at) == NOW
            assert r.lease_owner == ("w1" if running else None)
            assert _utc(r.lease_expires_at) == (
                LEASED_AT + timedelta(seconds=LEASE) if running else None
            )
            assert _utc(r.started_at) == (NOW if running else None)
            assert _utc(r.completed_at) == (NOW if p.status == "skipped" else None)
            lag = int((NOW - p.scheduled_for).total_seconds() * 1000)
            assert r.lag_ms == (lag if running else None)
            if running:
                running_ids[auto.id] = r.id
        row = autos[auto.id]
        assert _utc(row.next_run_at) == plan.next_run_at
        assert row.status == ("running" if auto.id in running_ids else auto.status)
        assert row.lease_owner == "w1"
    # both ways of writing were taken
    assert max(sizes.values()) >= GROUPED_FROM
    assert min(sizes.values()) < GROUPED_FROM

    assert sorted((c.automation_id, c.run_id) for c in claimed) == sorted(running_ids.items())
    by_id = {a.id: a for a in due}
    for c in claimed:
        auto = by_id[c.automation_id]
        assert (c.org_id, c.attempt, c.started_at, c.trigger_data) == (auto.org_id, 1, NOW, {})
        assert c.triggered_by == ("poll" if auto.trigger_type == "poll" else "schedule")
    # what the claim read for the runs is what the runs would read on their own
    assert set(inputs) == set(running_ids)
    loaded = load_run_inputs(engine, list(running_ids))
    assert {i: loaded[i][0] for i in running_ids} == inputs
    assert invalid_ids(due) == sorted(planner.invalid)


def invalid_ids(due: list[DueAutomation]) -> list[int]:
    return sorted(a.id for a in due if a.cron_expression == "not a cron")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def test_every_automation_due_alike_on_an_unreadable_schedule_is_noted_across_batches(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW - timedelta(days=30))
    due_at = NOW.replace(second=0)
    made = [
        make_automation(
            engine,
            org,
            NOW - timedelta(days=30),
            cron=cron,
            name=f"alike {i}",
            next_run_at=due_at,
        )
        for i in range(10)
        for cron in ("not a cron", "* * * * *")
    ]
    planner = OccurrencePlanner(now=NOW, misfire_grace=GRACE, catch_up_limit=CATCH_UP)
    plans: RowPlans = {}
    batches = 0
    while True:
        _, handled = claim_due_occurrences(
            engine,
            now=NOW,
            worker_id="w1",
            lease_seconds=LEASE,
            limit=4,
            planner=planner,
            plans=plans,
        )
        batches += handled > 0
        if handled < 4:
            break
    assert batches == 5
    unreadable = sorted(a.id or 0 for a in made if a.cron_expression == "not a cron")
    assert sorted(set(planner.invalid)) == unreadable
