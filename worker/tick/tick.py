"""The DB tick: claim what is due (under leases), execute, record, reschedule.

One tick reads the database clock once and passes `now` down. It drains, in batches: due cron
and poll occurrences, then queued runs (manual, test, retries, events), then runs whose worker
died (expired leases). A batch's runs execute on a bounded set of threads, fair across
organisations (worker.tick.pool). Any number of workers on any number of hosts may tick at once.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from operator import attrgetter

from sqlalchemy.engine import Engine

from models.settings import Settings
from models.store.calendars import holiday_days
from models.store.checkpoints import background_checkpoints
from models.store.completions import RunCompletion, complete_runs
from models.store.occurrence_plans import RowPlans
from models.store.run_history import runs_started_since
from models.store.run_inputs import RunAutomation, load_run_inputs
from models.store.run_queue import (
    ClaimedRun,
    claim_pending_runs,
    claim_run,
    db_now,
    rescue_expired_runs,
)
from models.store.workers import record_beat
from skills.builtin import default_registry
from skills.registry import SkillRegistry
from worker.delivery.channels import ChannelRegistry
from worker.run.executor import Executor, LlmSkillRunner, RunInputs
from worker.run.footers import OrgFooters
from worker.run.notices import send_due_notices
from worker.run.plan_limits import runs_per_minute
from worker.schedule.parse import Schedule, ScheduleCache
from worker.tick.due_claims import due_claims
from worker.tick.leases import LeaseKeeper
from worker.tick.planner import OccurrencePlanner
from worker.tick.pool import FairBatch
from worker.tick.quick import QuickExecution
from worker.tick.report import TickReport, fewer_collections
from worker.tick.upkeep import Upkeep

log = logging.getLogger(__name__)

_status = attrgetter("status")


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """Ticks the store. Built by a factory (worker.build_worker) or directly in tests."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        registry: SkillRegistry | None = None,
        channels: ChannelRegistry | None = None,
        worker_id: str | None = None,
        llm: LlmSkillRunner | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.registry = registry or default_registry()
        self.channels = channels or ChannelRegistry(engine, settings)
        self.worker_id = worker_id or new_worker_id()
        self.executor = Executor(
            engine,
            settings.core,
            self.registry,
            self.channels.get,
            llm=llm,
            footers=OrgFooters(engine, settings),
        )
        threads = max(1, settings.core.run_threads)
        self.runs = FairBatch(
            threads=threads,
            per_org=settings.core.run_threads_per_org or max(1, threads // 2),
            budget_seconds=settings.core.run_budget_seconds,
            # claiming stays about two batches ahead of recording
            backlog=2 * max(1, settings.core.claim_batch),
        )
        self.schedule_cache = ScheduleCache()
        self.parsed_schedules: dict[tuple[object, ...], Schedule | None] = {}
        # called with `now` at the start of each tick, before claiming (trigger processing:
        # inbox events, polls); a failing hook is logged and the tick goes on
        self.before_claim: list[Callable[[datetime], object]] = []
        self.upkeep = Upkeep(engine, settings.core)
        # quick runs (worker.tick.quick): on SQLite; on PostgreSQL they held the claim's row
        # locks while executing and measured slower with several workers, so they stay leased
        # there until measured otherwise (tests switch them on to exercise that path)
        self.quick_runs = engine.dialect.name == "sqlite"

    def tick(self, now: datetime | None = None) -> TickReport:
        with fewer_collections(), background_checkpoints(self.engine):
            return self._tick(now)

    def _tick(self, now: datetime | None) -> TickReport:
        started = time.monotonic()
        now = now or db_now(self.engine)

        def clock() -> datetime:
            # `now` advanced by the time this tick has taken: fixed instants stay fixed in tests
            return now + timedelta(seconds=time.monotonic() - started)

        report = TickReport(worker_id=self.worker_id, now=now)
        s = self.settings.core
        planner = OccurrencePlanner(
            now=now,
            misfire_grace=timedelta(seconds=s.misfire_grace_seconds),
            catch_up_limit=s.catch_up_limit,
            cache=self.schedule_cache,
            parsed=self.parsed_schedules,
            holidays=functools.partial(holiday_days, self.engine),
        )
        row_plans: RowPlans = {}  # the planner's plans by the claim's keys, for every batch
        report.resumed = self.upkeep.end_pauses(now)
        for hook in self.before_claim:
            try:
                hook(now)
            except Exception:
                log.warning("tick hook %r failed", hook, exc_info=True)
        quick = QuickExecution(self.engine, self.settings, self.executor, clock)
        with LeaseKeeper(self.engine, self.worker_id, s.lease_seconds, clock) as keeper:
            due = True
            while True:
                # batches start executing as they are claimed; once this pass's runs are all
                # done, what they made due (the next catch-up occurrence) is claimed in another
                claimed_now = 0
                with self._session(report, keeper, clock) as add:
                    if due:
                        batches = due_claims(self, now, planner, quick, row_plans, clock)
                        for claimed, handled, known in batches:
                            report.occurrences += handled
                            claimed_now += self._account_quick(quick, report, clock)
                            add(claimed, known)
                            claimed_now += len(claimed)
                        due = False
                    for claim in (claim_pending_runs, rescue_expired_runs):
                        while True:
                            batch = claim(
                                self.engine,
                                now=clock(),
                                limit=s.claim_batch,
                                worker_id=self.worker_id,
                                lease_seconds=s.lease_seconds,
                            )
                            if not batch:
                                break
                            add(batch)
                            claimed_now += len(batch)
                if not claimed_now:
                    break
        # a quick claim plans its batch before and while writing it
        report.invalid_schedules = list(dict.fromkeys(planner.invalid))
        try:
            report.notices_sent = send_due_notices(self.engine, s, self.channels.get, clock())
        except Exception:  # notices wait for the next tick; runs are already recorded
            log.warning("sending notices failed", exc_info=True)
        report.open_breakers = self.channels.open_breakers()
        pruned = self.upkeep.prune(now)
        report.outputs_pruned = pruned.outputs_cleared if pruned else 0
        report.duration_ms = int((time.monotonic() - started) * 1000)
        try:
            record_beat(self.engine, self.worker_id, now, report.as_dict())
        except Exception:
            log.warning("recording the worker beat failed", exc_info=True)
        return report

    def run_one(self, run_id: int, now: datetime | None = None) -> TickReport:
        """Execute one queued run right away (a test the requester waits for), through the
        same path as every other run."""
        started = time.monotonic()
        now = now or db_now(self.engine)

        def clock() -> datetime:
            return now + timedelta(seconds=time.monotonic() - started)

        report = TickReport(worker_id=self.worker_id, now=now)
        claimed = claim_run(
            self.engine,
            run_id=run_id,
            now=now,
            worker_id=self.worker_id,
            lease_seconds=self.settings.core.lease_seconds,
        )
        if claimed is not None:
            with (
                LeaseKeeper(
                    self.engine, self.worker_id, self.settings.core.lease_seconds, clock
                ) as keeper,
                self._session(report, keeper, clock) as add,
            ):
                add([claimed])
        report.duration_ms = int((time.monotonic() - started) * 1000)
        return report

    @contextlib.contextmanager
    def _session(
        self, report: TickReport, keeper: LeaseKeeper, clock: Callable[[], datetime]
    ) -> Iterator[Callable[..., None]]:
        """Yields `add(batch)`, which starts a claimed batch executing (worker.tick.pool) and
        returns; leaving the block waits for every run and records the rest. What a run needs
        (its inputs, its rate-limit verdict, its lease) is kept from its claim until it is
        recorded, and no longer: a tick's memory follows the runs in flight, not the runs
        claimed."""
        inputs: dict[int, RunInputs] = {}
        runs_of: Counter[int] = Counter()  # automation id -> its runs claimed, not recorded
        org_plans: dict[int, str] = {}  # organisation id -> plan, of the runs' inputs
        limited: set[int] = set()
        held: set[int] = set()
        lock = threading.Lock()

        def execute(run: ClaimedRun) -> RunCompletion:
            if run.run_id in limited:
                return self.executor._skipped(run, clock(), "rate_limited")
            return self.executor.execute(run, inputs.get(run.automation_id), clock())

        def record(completions: list[RunCompletion]) -> None:
            self._record(completions, report, org_plans, clock())
            ids = [c.run.run_id for c in completions]
            keeper.release(ids)
            with lock:
                for c in completions:
                    aid = c.run.automation_id
                    runs_of[aid] -= 1
                    if runs_of[aid] <= 0:
                        del runs_of[aid]
                        inputs.pop(aid, None)
                    limited.discard(c.run.run_id)
                held.difference_update(ids)

        session = self.runs.session(execute, record, keeper.started)

        def add(batch: list[ClaimedRun], known: dict[int, RunAutomation] | None = None) -> None:
            if not batch:
                return
            report.claimed += len(batch)
            report.rescued += sum(r.rescued for r in batch)
            ids = [r.run_id for r in batch]
            keeper.hold(ids)
            with lock:
                held.update(ids)
                runs_of.update(r.automation_id for r in batch)
            loaded = load_run_inputs(self.engine, [r.automation_id for r in batch], known)
            with lock:
                for aid, (automation, owner, org) in loaded.items():
                    inputs[aid] = RunInputs(automation, owner, org)
                    org_plans[org.id] = org.plan
            over = self._over_rate_limit(batch, inputs, clock())
            with lock:
                limited.update(over)
            session.add(batch)

        try:
            yield add
        finally:
            try:
                report.given_up += len(session.finish())
            finally:
                keeper.release(list(held))

    def _account_quick(
        self, quick: QuickExecution, report: TickReport, clock: Callable[[], datetime]
    ) -> int:
        """Counts the runs the last claim recorded, and records those it left to record (quick
        runs that did not complete cleanly, leased to this worker); returns how many of them
        there were."""
        recorded, finished, unlogged = quick.take()
        report.claimed += len(recorded) + len(finished)
        report.quick += len(recorded)
        report.unlogged += unlogged
        report.statuses.update(map(_status, recorded))
        if finished:
            self._record(finished, report, quick.plans, clock())
        return len(finished)

    def _over_rate_limit(
        self, batch: list[ClaimedRun], inputs: dict[int, RunInputs], now: datetime
    ) -> set[int]:
        """Per-organisation runaway protection: runs beyond the plan's runs-per-minute are
        skipped with reason rate_limited (tests are exempt: they send nothing)."""
        limits = runs_per_minute(
            self.settings,
            (
                got.org
                for run in batch
                if run.triggered_by != "test" and (got := inputs.get(run.automation_id))
            ),
        )
        if not limits:
            return set()
        started = runs_started_since(self.engine, list(limits), now - timedelta(minutes=1))
        over: set[int] = set()
        seen: Counter[int] = Counter()
        # runs in this batch are already counted as started; the last ones are the excess
        for run in reversed(batch):
            if run.org_id in limits and run.triggered_by != "test":
                seen[run.org_id] += 1
                if started.get(run.org_id, 0) - seen[run.org_id] >= limits[run.org_id]:
                    over.add(run.run_id)
        return over

    def _record(
        self,
        completions: list[RunCompletion],
        report: TickReport,
        org_plans: dict[int, str],
        now: datetime,
    ) -> None:
        """`org_plans`: each organisation's plan, as loaded with its runs' inputs."""
        plans = self.settings.plans

        def quota(org_id: int) -> int | None:
            plan = plans.get(org_plans.get(org_id, ""))
            return plan.logged_runs_per_month if plan else None

        result = complete_runs(
            self.engine,
            completions,
            worker_id=self.worker_id,
            now=now,
            pause_after=self.settings.core.pause_after_failed_occurrences,
            logged_quota=quota,
        )
        fenced = set(result.fenced)
        for c in completions:
            if c.run.run_id in fenced:
                continue
            report.statuses[c.status] += 1
            if c.skipped_reason:
                report.skipped_reasons[c.skipped_reason] += 1
        report.retries_queued += result.retries
        report.paused.extend(result.paused)
        report.fenced += len(fenced)
        report.unlogged += result.unlogged
