"""Several worker processes on one store: every occurrence runs exactly once, and a killed
worker's runs are finished by another without resending what was delivered.

The workers are real processes (multiprocessing, spawn) with their own engines; they tick
simulated minutes (time is an argument), so the tests do not wait for the real clock beyond the
seconds a lease needs.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.clock import utc
from models.settings import load_settings
from models.store.completions import deliveries_t
from models.store.run_queue import automations, runs
from models.tables import table_of
from models.tables.deliveries import OutboxMessage
from tests.worker.tick import tick_driver as _tick_driver
from worker.delivery.base import message_id_for, recipient_key
from worker.run.executor import occurrence_key
from worker.tick.tick import Worker

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
JOIN_TIMEOUT_S = 240.0  # a loaded CI machine; the test timeout (300 s) bounds it
OBSERVE_TIMEOUT_S = 30.0


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
# helpers
# --------------------------------------------------------------------------------------------


def _spawn() -> Any:
    return multiprocessing.get_context("spawn")


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = OBSERVE_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


def _collect_summaries(
    results: Any, processes: list[Any], deadline: float
) -> dict[str, dict[str, Any]]:
    """One summary from each worker, by worker id; fails as soon as a worker has ended without
    reporting, or at the deadline."""
    wanted = {f"worker-{n}" for n in range(len(processes))}
    reported: dict[str, dict[str, Any]] = {}
    while set(reported) != wanted:
        # all ended before this wait began: whatever they sent is in the pipe already
        all_ended = not any(p.is_alive() for p in processes)
        try:
            summary = results.get(timeout=min(1.0, max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            silent = sorted(wanted - set(reported))
            if all_ended:
                codes = {p.name: p.exitcode for p in processes}
                raise AssertionError(f"{silent} ended without results: {codes}") from None
            if time.monotonic() >= deadline:
                raise AssertionError(f"no results from {silent} in {JOIN_TIMEOUT_S:g} s") from None
            continue
        assert summary["worker_id"] in wanted - set(reported), summary["worker_id"]
        reported[summary["worker_id"]] = summary
    return reported


def _run_rows(engine: Engine) -> list[Any]:
    r = runs
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(
                    r.c.id,
                    r.c.automation_id,
                    r.c.scheduled_for,
                    r.c.attempt,
                    r.c.status,
                    r.c.triggered_by,
                    r.c.lease_owner,
                    r.c.lease_expires_at,
                    r.c.metrics,
                ).order_by(r.c.id)
            )
        )


def _delivery_rows(engine: Engine) -> list[Any]:
    d = deliveries_t
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(
                    d.c.id,
                    d.c.run_id,
                    d.c.occurrence_key,
                    d.c.recipient_key,
                    d.c.message_id,
                    d.c.status,
                    d.c.attempts,
                    d.c.resent_after_unknown,
                ).order_by(d.c.id)
            )
        )


def _outbox(engine: Engine) -> list[Any]:
    o = table_of(OutboxMessage)
    with engine.connect() as conn:
        return list(conn.execute(select(o.c.id, o.c.message_id, o.c.to_addr).order_by(o.c.id)))


def _outbox_count(engine: Engine) -> int:
    o = table_of(OutboxMessage)
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(o)).scalar_one())


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

    ctx = _spawn()
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
        reported = _collect_summaries(results, processes, deadline)
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

    rows = _run_rows(engine)
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


# --------------------------------------------------------------------------------------------
# a worker killed mid-batch
# --------------------------------------------------------------------------------------------

LEASE_SECONDS = 2
SENDS_BEFORE_STALL = 5  # the 6th send reaches the outbox, then its worker hangs


def test_killed_worker_runs_are_rescued_without_resending_delivered(
    db_url: str, engine: Engine
) -> None:
    org = make_org(engine, T0, slug="acme")
    autos = [
        make_automation(
            engine,
            org,
            T0,
            cron="* * * * *",
            channel="email",
            to=["me", f"hiring-{i}@example.com"],
            name=f"digest {i}",
        )
        for i in range(6)
    ]
    recipients = {a.id: [org.member_email, f"hiring-{i}@example.com"] for i, a in enumerate(autos)}
    claim_now = T0 + timedelta(minutes=1, seconds=2)

    ctx = _spawn()
    worker_a = ctx.Process(
        target=_tick_driver.stall_mid_batch,
        args=(db_url, "worker-a", claim_now, LEASE_SECONDS, SENDS_BEFORE_STALL),
        name="stalling-worker",
    )
    worker_a.start()
    try:
        # observable condition, not a sleep: the stalled (6th) message is in the outbox
        _wait_for(
            lambda: _outbox_count(engine) >= SENDS_BEFORE_STALL + 1 or not worker_a.is_alive(),
            "worker A to stall after its 6th send",
        )
        assert worker_a.is_alive(), f"worker A exited early with {worker_a.exitcode}"
    finally:
        worker_a.kill()  # SIGKILL: no cleanup, no lease release
        worker_a.join(timeout=10)
    assert worker_a.exitcode == -9

    # --- what A left behind ------------------------------------------------------------------
    claimed = _run_rows(engine)
    assert len(claimed) == len(autos)
    assert {(r.status, r.lease_owner) for r in claimed} == {("running", "worker-a")}
    assert {utc(r.scheduled_for) for r in claimed} == {T0 + timedelta(minutes=1)}
    before = _delivery_rows(engine)
    assert Counter(d.status for d in before) == {"sent": SENDS_BEFORE_STALL, "sending": 1}
    sent_before = {d.message_id for d in before if d.status == "sent"}
    unknown_before = {d.message_id for d in before if d.status == "sending"}
    outbox_before = Counter(m.message_id for m in _outbox(engine))
    assert outbox_before == Counter(sent_before | unknown_before)  # one message each so far

    lease_until = max(utc(r.lease_expires_at) for r in claimed)
    first_lease_end = min(utc(r.lease_expires_at) for r in claimed)
    assert lease_until >= claim_now + timedelta(seconds=LEASE_SECONDS)

    settings = load_settings(database_url=db_url, lease_seconds=LEASE_SECONDS, smtp_host=None)
    worker_b = Worker(engine, settings, worker_id="worker-b")

    # --- before the lease runs out, nobody takes A's runs ------------------------------------
    early = worker_b.tick(now=first_lease_end - timedelta(milliseconds=500))
    assert (early.claimed, early.rescued) == (0, 0)
    assert {(r.status, r.lease_owner) for r in _run_rows(engine)} == {("running", "worker-a")}

    # --- after it, B finishes them: same rows, nothing delivered is sent again ---------------
    report = worker_b.tick(now=lease_until + timedelta(seconds=1))
    assert (report.claimed, report.rescued, report.fenced) == (len(autos), len(autos), 0)
    assert report.statuses == {"completed": len(autos)}

    after = _run_rows(engine)
    assert [r.id for r in after] == [r.id for r in claimed]  # rescued, not re-created
    for run in after:
        assert (run.status, run.lease_owner, run.lease_expires_at) == ("completed", None, None)
        assert run.metrics["rescued"] is True

    deliveries = _delivery_rows(engine)
    assert len(deliveries) == 2 * len(autos)
    assert {d.status for d in deliveries} == {"sent"}
    run_of = {r.id: r for r in after}
    for d in deliveries:
        run = run_of[d.run_id]
        # the rows are keyed as the executor keys them, and the Message-ID is the stable one
        assert d.occurrence_key == f"a{run.automation_id}:{utc(run.scheduled_for).isoformat()}"
    wanted_ids = {
        message_id_for(occurrence_key(_claimed(run)), "email", recipient_key(address))
        for run in after
        for address in recipients[run.automation_id]
    }
    assert {d.message_id for d in deliveries} == wanted_ids

    outbox = _outbox(engine)
    per_message = Counter(m.message_id for m in outbox)
    assert set(per_message) == wanted_ids  # every recipient of every occurrence got it
    for message_id, n in per_message.items():
        if message_id in unknown_before:
            # outcome unknown when A died: sent again, with the same Message-ID, and said so
            assert n == 2
        else:
            assert n == 1, f"{message_id} sent {n} times"
    assert len(outbox) == 2 * len(autos) + len(unknown_before)

    resent = [d for d in deliveries if d.resent_after_unknown]
    assert {d.message_id for d in resent} == unknown_before
    assert all(d.attempts == 2 for d in resent)
    assert all(d.attempts == 1 for d in deliveries if d.message_id in sent_before)
    resent_runs = {d.run_id for d in resent}
    for run in after:
        assert run.metrics["resent_after_unknown"] == (1 if run.id in resent_runs else 0)
    # the delivered-before-the-kill recipients were skipped by B, not sent
    delivered_by_b = {d.message_id for d in deliveries} - sent_before
    assert sum(per_message[m] for m in delivered_by_b) == 2 * len(autos) - len(sent_before) + 1


def _claimed(row: Any) -> Any:
    """The bits of a run row occurrence_key() reads."""
    from models.store.run_queue import ClaimedRun

    return ClaimedRun(
        run_id=row.id,
        automation_id=row.automation_id,
        org_id=0,
        triggered_by=row.triggered_by,
        scheduled_for=utc(row.scheduled_for),
        attempt=row.attempt,
        started_at=T0,
    )
