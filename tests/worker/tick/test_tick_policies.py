"""Missed-run and overlap policies, plan quota and rate limit, at tick level, on both stores.

Every expected instant and count is worked out by hand in the comments.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from bench.kit.factories import make_automation, make_org
from models.settings import PlanLimits, default_plans, load_settings
from models.store.occurrence_rows import GROUPED_FROM
from models.store.run_history import list_runs
from models.tables.automations import Automation
from models.tables.runs import AutomationRun, RunCounter
from tests.worker.tick.tick_support import at, hm, new_worker, reload, runs_of
from worker.delivery.base import Message, Recipient
from worker.delivery.noop import NoopChannel
from worker.tick.report import TickReport
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 8, 50, tzinfo=UTC)


# --------------------------------------------------------------------------- missed runs
#
# "*/15 * * * *", created 08:50Z: the worker ticks at 09:00:00 (runs the 09:00 slot on time), is
# down, and ticks again at 12:05:00. Missed meanwhile: 09:15, 09:30, ..., 12:00 = 12 slots
# (09:15-10:00: 4, 10:15-11:00: 4, 11:15-12:00: 4). At 12:05 the latest one (12:00) is 300 s old,
# past the 120 s grace, so every one of the 12 is late. The next fire is 12:15.
DOWN_FROM = at("2026-03-02T09:00:00Z")
BACK_AT = at("2026-03-02T12:05:00Z")


def _after_downtime(engine: Engine, policy: str) -> tuple[Automation, list[AutomationRun]]:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="*/15 * * * *", misfire_policy=policy)
    worker = new_worker(engine)
    worker.tick(now=DOWN_FROM)
    worker.tick(now=BACK_AT)
    assert reload(engine, auto).next_run_at == at("2026-03-02T12:15:00Z")
    runs = runs_of(engine, auto)
    first, rest = runs[0], runs[1:]
    assert (hm(first.scheduled_for), first.status, first.lag_ms) == ("09:00", "completed", 0)
    return auto, rest


def test_missed_runs_latest_runs_the_most_recent_slot_once_and_counts_the_others(
    engine: Engine,
) -> None:
    _, runs = _after_downtime(engine, "latest")
    (run,) = runs
    assert (hm(run.scheduled_for), run.status) == ("12:00", "completed")
    assert run.missed_count == 11  # 12 due slots: the one that ran stands for the 11 before it
    assert run.metrics["missed"] == 11
    assert run.started_at == BACK_AT
    assert run.lag_ms == 5 * 60 * 1000


def test_missed_runs_skip_records_one_skipped_row_and_runs_nothing_late(engine: Engine) -> None:
    auto, runs = _after_downtime(engine, "skip")
    (run,) = runs
    assert (hm(run.scheduled_for), run.status, run.skipped_reason) == ("12:00", "skipped", "missed")
    assert run.missed_count == 12  # all 12 were late; none ran
    assert run.started_at is None
    last_run_at = reload(engine, auto).last_run_at
    assert last_run_at is not None  # only the 09:00 run
    assert last_run_at < at("2026-03-02T09:01:00Z")


def test_missed_runs_skip_still_runs_a_slot_within_the_grace_on_time(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="*/15 * * * *", misfire_policy="skip")
    worker = new_worker(engine)
    worker.tick(now=DOWN_FROM)
    # back at 12:01:00: 09:15 ... 11:45 (11 slots) are late, 12:00 is 60 s old: on time
    worker.tick(now=at("2026-03-02T12:01:00Z"))
    runs = runs_of(engine, auto)[1:]
    assert [(hm(r.scheduled_for), r.status, r.skipped_reason, r.missed_count) for r in runs] == [
        ("11:45", "skipped", "missed", 11),
        ("12:00", "completed", None, 0),
    ]
    assert runs[1].lag_ms == 60_000


def test_missed_runs_catch_up_runs_the_last_ten_and_counts_the_rest(engine: Engine) -> None:
    _, runs = _after_downtime(engine, "catch_up")
    # the most recent 10 of the 12: 09:45 ... 12:00; 09:15 and 09:30 counted on the first
    expected = [
        "09:45",
        "10:00",
        "10:15",
        "10:30",
        "10:45",
        "11:00",
        "11:15",
        "11:30",
        "11:45",
        "12:00",
    ]
    assert [hm(r.scheduled_for) for r in runs] == expected
    assert {r.status for r in runs} == {"completed"}  # the same tick drains them, one at a time
    assert [r.missed_count for r in runs] == [2] + [0] * 9
    assert all(r.lag_ms is not None and r.lag_ms >= 5 * 60 * 1000 for r in runs)
    assert runs[0].lag_ms == (12 * 60 + 5 - (9 * 60 + 45)) * 60 * 1000  # 2 h 20 min
    assert 2 + len(runs) == 12  # nothing silently dropped


# --------------------------------------------------------------------------- overlap


class BlockingChannel:
    """Holds every send until `release` is set; `entered` says a send is waiting."""

    name = "blocking"
    records_deliveries = False

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.sent = 0

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        self.entered.set()
        if not self.release.wait(timeout=30):
            raise AssertionError("the test never released the blocked send")
        self.sent += 1


class TickThread(threading.Thread):
    """A worker's tick in the background; join() re-raises what it raised."""

    def __init__(self, worker: Worker, now: datetime) -> None:
        super().__init__(name="blocked-tick", daemon=True)
        self.worker, self.now = worker, now
        self.report: TickReport | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.report = self.worker.tick(now=self.now)
        except BaseException as exc:  # handed to the test thread
            self.error = exc

    def finish(self) -> TickReport:
        self.join(timeout=30)
        assert not self.is_alive(), "the blocked tick did not finish"
        if self.error is not None:
            raise self.error
        assert self.report is not None
        return self.report


@pytest.mark.parametrize("policy", ["skip", "buffer_one", "allow"])
def test_overlap_policies_while_the_previous_run_is_still_going(
    engine: Engine, policy: str
) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(
        engine, org, NOW, cron="*/15 * * * *", channel="blocking", overlap_policy=policy
    )
    # Leases last an hour: the blocked worker's tick runs on its fixed 09:00 clock, so with the
    # default 2 min lease the 09:15 tick would (rightly) rescue its run as a dead worker's.
    settings = load_settings(lease_seconds=3600)
    slow = BlockingChannel()
    first = TickThread(new_worker(engine, settings, blocking=slow), at("2026-03-02T09:00:00Z"))
    fast = BlockingChannel()
    fast.release.set()
    other = new_worker(engine, settings, blocking=fast)
    first.start()
    try:
        assert slow.entered.wait(timeout=30), "the 09:00 run never reached its delivery"
        assert reload(engine, auto).status == "running"
        # two more slots come due while 09:00 is still being delivered
        other.tick(now=at("2026-03-02T09:15:00Z"))
        other.tick(now=at("2026-03-02T09:30:00Z"))
        during = {hm(r.scheduled_for): (r.status, r.skipped_reason) for r in runs_of(engine, auto)}
    finally:
        slow.release.set()
        first.finish()

    assert during["09:00"] == ("running", None)
    if policy == "skip":
        assert during["09:15"] == during["09:30"] == ("skipped", "overlap")
    elif policy == "buffer_one":
        assert during["09:15"] == ("pending", None)  # exactly one buffered
        assert during["09:30"] == ("skipped", "overlap")
    else:
        assert during["09:15"] == during["09:30"] == ("completed", None)  # concurrently
        assert fast.sent == 2

    # after the first finishes, the buffered one runs; nothing else
    other.tick(now=at("2026-03-02T09:30:30Z"))
    final = {hm(r.scheduled_for): (r.status, r.skipped_reason) for r in runs_of(engine, auto)}
    assert final["09:00"] == ("completed", None)
    assert slow.sent == 1
    if policy == "buffer_one":
        assert final["09:15"] == ("completed", None)
        assert final["09:30"] == ("skipped", "overlap")
        assert fast.sent == 1
    assert len(final) == 3  # every slot has exactly one row saying what happened
    assert reload(engine, auto).status == "idle"


# --------------------------------------------------------------------------- plan limits


def _plans(**pro: Any) -> dict[str, PlanLimits]:
    plans = default_plans()
    plans["pro"] = plans["pro"].model_copy(update=pro)
    return plans


# a batch's runs that went alike are written with one statement from GROUPED_FROM of them on
@pytest.mark.parametrize(("due", "quota"), [(5, 3), (GROUPED_FROM + 4, GROUPED_FROM + 1)])
def test_runs_beyond_the_logged_quota_still_fire_but_keep_only_a_counter(
    engine: Engine, due: int, quota: int
) -> None:
    org = make_org(engine, NOW, plan="pro")
    autos = [
        make_automation(engine, org, NOW, cron="0 9 * * *", name=f"report {i}") for i in range(due)
    ]
    noop = NoopChannel()
    plans = _plans(logged_runs_per_month=quota)
    worker = new_worker(engine, load_settings(plans=plans), noop=noop)
    report = worker.tick(now=at("2026-03-02T09:00:00Z"))
    assert report.statuses == {"completed": due}
    assert report.unlogged == due - quota
    assert noop.sent == due  # all delivered
    logged = list_runs(engine, org.org_id, limit=100)
    assert len(logged) == quota
    assert len({r.automation_id for r in logged}) == quota
    for auto in autos:  # every automation moved on, logged or not
        stored = reload(engine, auto)
        assert stored.next_run_at == at("2026-03-03T09:00:00Z")
        assert (stored.status, stored.last_run_status) == ("idle", "completed")
    with engine.connect() as conn:
        counters = conn.execute(
            select(col(RunCounter.month), col(RunCounter.logged), col(RunCounter.unlogged)).where(
                col(RunCounter.org_id) == org.org_id
            )
        ).all()
    assert [tuple(c) for c in counters] == [("2026-03", quota, due - quota)]


def test_the_per_minute_rate_limit_skips_the_excess_with_a_reason(engine: Engine) -> None:
    org = make_org(engine, NOW, plan="pro")
    autos = [
        make_automation(engine, org, NOW, cron="0 9 * * *", name=f"report {i}") for i in range(4)
    ]
    noop = NoopChannel()
    worker = new_worker(engine, load_settings(plans=_plans(runs_per_minute=2)), noop=noop)
    report = worker.tick(now=at("2026-03-02T09:00:00Z"))
    assert report.statuses == {"completed": 2, "skipped": 2}
    assert report.skipped_reasons == {"rate_limited": 2}
    assert noop.sent == 2
    outcomes = sorted((r.status, r.skipped_reason) for a in autos for r in runs_of(engine, a))
    assert outcomes == [("completed", None)] * 2 + [("skipped", "rate_limited")] * 2
