"""Several worker processes on one store: every occurrence runs exactly once (a killed worker's
runs: test_worker_rescue.py).

The workers are real processes (multiprocessing, spawn) with their own engines; they tick
simulated minutes (time is an argument), so the test does not wait for the real clock.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.clock import utc
from models.store.run_queue import automations
from tests.worker.tick import tick_driver as _tick_driver
from tests.worker.tick.process_support import (
    JOIN_TIMEOUT_S,
    collect_summaries,
    run_rows,
    spawn,
)

pytestmark = pytest.mark.slow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday; no zone below changes offset that hour
MINUTES = 60
WORKERS = 4
AUTOMATIONS = 500
CRONS = (
    "* * * * *",
    "*/5 * * * *",
    "*/15 * * * *",
    "0 * * * *",
    "7,37 * * * *",
    "0,30 10 * * *",  # wall-clock (hour field set): 10:30 in Berlin is 09:30 UTC
    "*/20 9 * * *",
)
# whole-hour, half-hour and quarter-hour offsets: minute fields land on different UTC minutes
ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
)

# --------------------------------------------------------------------------------------------
# expected fire times: plain arithmetic on local minute and hour (not the code under test)
# --------------------------------------------------------------------------------------------


def _field_matches(spec: str, value: int) -> bool:
    for part in spec.split(","):
        if part == "*":
            return True
        if part.startswith("*/"):
            if value % int(part[2:]) == 0:
                return True
        elif int(part) == value:
            return True
    return False


def expected_fires(cron: str, tz: str, start: datetime, end: datetime) -> set[datetime]:
    """Fire instants in (start, end] of a cron whose day/month/weekday fields are `*`, for a
    window in which the zone keeps one UTC offset."""
    minute_spec, hour_spec, *rest = cron.split()
    assert rest == ["*", "*", "*"], cron
    zone = ZoneInfo(tz)
    offset = start.astimezone(zone).utcoffset()
    assert offset is not None and end.astimezone(zone).utcoffset() == offset, tz
    fires: set[datetime] = set()
    t = start + timedelta(minutes=1)
    while t <= end:
        local = t + offset  # local wall time, as a UTC-tagged value
        if _field_matches(minute_spec, local.minute) and _field_matches(hour_spec, local.hour):
            fires.add(t)
        t += timedelta(minutes=1)
    return fires


def test_expected_fires_arithmetic() -> None:
    end = T0 + timedelta(minutes=59)
    # Kathmandu is UTC+5:45: local :00 is UTC :15, local :07/:37 are UTC :22/:52
    assert expected_fires("0 * * * *", "Asia/Kathmandu", T0, end) == {T0 + timedelta(minutes=15)}
    assert expected_fires("7,37 * * * *", "Asia/Kathmandu", T0, end) == {
        T0 + timedelta(minutes=22),
        T0 + timedelta(minutes=52),
    }
    assert expected_fires("0,30 10 * * *", "Europe/Berlin", T0, end) == {T0 + timedelta(minutes=30)}
    assert expected_fires("*/20 9 * * *", "UTC", T0, end) == {
        T0 + timedelta(minutes=20),
        T0 + timedelta(minutes=40),
    }
    assert len(expected_fires("* * * * *", "America/St_Johns", T0, end)) == 59
    assert expected_fires("0 * * * *", "UTC", T0, end) == set()  # 09:00 itself is not after T0


# --------------------------------------------------------------------------------------------
# four workers, sixty minutes, five hundred automations
# --------------------------------------------------------------------------------------------


def test_four_workers_run_every_occurrence_exactly_once(db_url: str, engine: Engine) -> None:
    orgs = [make_org(engine, T0, slug=f"org{i}") for i in range(5)]
    planned: dict[int, tuple[str, str]] = {}
    leased: set[int] = set()
    for i in range(AUTOMATIONS):
        # i % 7 and (i // 7) % 6 walk through all 42 (cron, zone) pairs every 42 automations
        cron, tz = CRONS[i % len(CRONS)], ZONES[(i // len(CRONS)) % len(ZONES)]
        # most runs are quick (noop: recorded by their claim), every fourth is leased (in-app
        # delivery), and the two kinds share claim batches
        channel = "in_app" if i % 4 == 3 else "noop"
        auto = make_automation(engine, orgs[i % len(orgs)], T0, cron=cron, tz=tz, channel=channel)
        assert auto.id is not None
        planned[auto.id] = (cron, tz)
        if channel == "in_app":
            leased.add(auto.id)
    last = T0 + timedelta(minutes=MINUTES - 1)
    expected = {aid: expected_fires(cron, tz, T0, last) for aid, (cron, tz) in planned.items()}
    total = sum(len(fires) for fires in expected.values())
    assert total > 4000  # the scenario really is busy: ~90 occurrences a minute

    ctx = spawn()
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    processes = [
        ctx.Process(
            target=_tick_driver.tick_minutes,
            # a small claim batch: each minute takes several claims, so the workers interleave
            args=(db_url, f"worker-{n}", T0, MINUTES, 25, 1000 + n, barrier, results),
            name=f"tick-worker-{n}",
        )
        for n in range(WORKERS)
    ]
    started = time.monotonic()
    deadline = started + JOIN_TIMEOUT_S
    for p in processes:
        p.start()
    try:
        # each worker's results first (what this test judges), then each worker must end by
        # itself within the same budget: one that reported and still runs hangs on exit
        reported = collect_summaries(results, processes, deadline)
        for p in processes:
            p.join(timeout=max(0.0, deadline - time.monotonic()))
        hung = [p.name for p in processes if p.is_alive()]
    finally:
        for p in processes:
            if p.is_alive():
                p.kill()
                p.join()
    elapsed = time.monotonic() - started
    summaries = list(reported.values())
    errors = [s["error"] for s in summaries if s["error"]]
    assert not errors, "\n\n".join(errors)
    # their stacks are in the captured stderr (the driver's faulthandler)
    assert not hung, f"reported their results but did not exit: {hung}"
    assert all(p.exitcode == 0 for p in processes), [p.exitcode for p in processes]

    rows = run_rows(engine)
    per_occurrence = Counter((row.automation_id, utc(row.scheduled_for)) for row in rows)
    duplicates = {key: n for key, n in per_occurrence.items() if n > 1}
    assert not duplicates, f"occurrences run more than once: {sorted(duplicates)[:10]}"
    got: dict[int, set[datetime]] = {aid: set() for aid in planned}
    for row in rows:
        got[row.automation_id].add(utc(row.scheduled_for))
    wrong = {
        aid: (planned[aid], sorted(expected[aid] - got[aid]), sorted(got[aid] - expected[aid]))
        for aid in planned
        if got[aid] != expected[aid]
    }
    assert not wrong, f"missing / unexpected occurrences (first 5): {list(wrong.items())[:5]}"
    assert len(rows) == total
    assert Counter(row.status for row in rows) == {"completed": total}
    assert {(row.attempt, row.triggered_by) for row in rows} == {(1, "schedule")}
    assert all(row.lease_owner is None and row.lease_expires_at is None for row in rows)

    # the workers' own accounts agree with the store, and they really shared the work
    assert sum(s["claimed"] for s in summaries) == total
    assert sum(s["fenced"] for s in summaries) == 0
    assert sum(s["rescued"] for s in summaries) == 0
    assert sum((Counter(s["statuses"]) for s in summaries), Counter()) == {"completed": total}
    assert sum(s["claimed"] > 0 for s in summaries) >= 2, summaries
    # on SQLite both ways of running took part, on more than one worker (PostgreSQL: leased)
    quick = sum(s["quick"] for s in summaries)
    in_app = sum(len(expected[aid]) for aid in leased)
    if engine.dialect.name == "sqlite":
        assert 0 < quick <= total - in_app, (quick, total, in_app)
        assert sum(s["quick"] > 0 for s in summaries) >= 2, summaries
    else:
        assert quick == 0

    with engine.connect() as conn:
        # the test's own automations (each organisation also holds its fixed system jobs)
        states = conn.execute(
            select(
                automations.c.status, automations.c.next_run_at, automations.c.lease_owner
            ).where(automations.c.system.is_(False))
        ).all()
    assert len(states) == len(planned)
    assert {state.status for state in states} == {"idle"}
    assert all(utc(state.next_run_at) > last for state in states)
    # how fast is bench/tick_throughput.py's question (--workers N); here, only that it ends
    assert elapsed < JOIN_TIMEOUT_S
