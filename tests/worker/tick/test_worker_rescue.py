"""A worker killed mid-batch: once its lease runs out another worker finishes its runs, the same
rows, without resending what was delivered (a send whose outcome was unknown goes again, with
the same Message-ID, and says so).

The killed worker is a real process (multiprocessing, spawn); the test waits only for the
seconds its lease needs.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.clock import utc
from models.settings import load_settings
from tests.worker.tick import tick_driver as _tick_driver
from tests.worker.tick.process_support import (
    delivery_rows,
    outbox_count,
    outbox_rows,
    run_rows,
    spawn,
    wait_for,
)
from worker.delivery.base import message_id_for, recipient_key
from worker.run.executor import occurrence_key
from worker.tick.tick import Worker

pytestmark = pytest.mark.slow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
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

    ctx = spawn()
    worker_a = ctx.Process(
        target=_tick_driver.stall_mid_batch,
        args=(db_url, "worker-a", claim_now, LEASE_SECONDS, SENDS_BEFORE_STALL),
        name="stalling-worker",
    )
    worker_a.start()
    try:
        # observable condition, not a sleep: the stalled (6th) message is in the outbox
        wait_for(
            lambda: outbox_count(engine) >= SENDS_BEFORE_STALL + 1 or not worker_a.is_alive(),
            "worker A to stall after its 6th send",
        )
        assert worker_a.is_alive(), f"worker A exited early with {worker_a.exitcode}"
    finally:
        worker_a.kill()  # SIGKILL: no cleanup, no lease release
        worker_a.join(timeout=10)
    assert worker_a.exitcode == -9

    # --- what A left behind ------------------------------------------------------------------
    claimed = run_rows(engine)
    assert len(claimed) == len(autos)
    assert {(r.status, r.lease_owner) for r in claimed} == {("running", "worker-a")}
    assert {utc(r.scheduled_for) for r in claimed} == {T0 + timedelta(minutes=1)}
    before = delivery_rows(engine)
    assert Counter(d.status for d in before) == {"sent": SENDS_BEFORE_STALL, "sending": 1}
    sent_before = {d.message_id for d in before if d.status == "sent"}
    unknown_before = {d.message_id for d in before if d.status == "sending"}
    outbox_before = Counter(m.message_id for m in outbox_rows(engine))
    assert outbox_before == Counter(sent_before | unknown_before)  # one message each so far

    lease_until = max(utc(r.lease_expires_at) for r in claimed)
    first_lease_end = min(utc(r.lease_expires_at) for r in claimed)
    assert lease_until >= claim_now + timedelta(seconds=LEASE_SECONDS)

    settings = load_settings(database_url=db_url, lease_seconds=LEASE_SECONDS, smtp_host=None)
    worker_b = Worker(engine, settings, worker_id="worker-b")

    # --- before the lease runs out, nobody takes A's runs ------------------------------------
    # at the instant A claimed them: a tick's clock runs on from `now` in real time, so an
    # instant just short of the lease's end is passed by the time a loaded machine gets there
    assert first_lease_end >= claim_now + timedelta(seconds=LEASE_SECONDS)
    early = worker_b.tick(now=claim_now)
    assert (early.claimed, early.rescued) == (0, 0)
    assert {(r.status, r.lease_owner) for r in run_rows(engine)} == {("running", "worker-a")}

    # --- after it, B finishes them: same rows, nothing delivered is sent again ---------------
    report = worker_b.tick(now=lease_until + timedelta(seconds=1))
    assert (report.claimed, report.rescued, report.fenced) == (len(autos), len(autos), 0)
    assert report.statuses == {"completed": len(autos)}

    after = run_rows(engine)
    assert [r.id for r in after] == [r.id for r in claimed]  # rescued, not re-created
    for run in after:
        assert (run.status, run.lease_owner, run.lease_expires_at) == ("completed", None, None)
        assert run.metrics["rescued"] is True

    deliveries = delivery_rows(engine)
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

    outbox = outbox_rows(engine)
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
