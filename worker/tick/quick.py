"""Quick runs: occurrences executed before their claim is written, and recorded by it.

A run is quick when its skill is deterministic, its output channel sends nothing outside the
database transaction that records it (Channel.in_transaction: noop), and its skill plans no
actions and writes nothing of its own as it runs (Executor.execute_quick gives up on a run
that would, before anything happened, and it goes the leased way). Such a run can be
executed first and written once, complete, by its claim (models.store.quick_claims.QuickRuns):
a crash before that commit leaves its automation due (the next tick runs it; nothing was sent),
a crash after it leaves nothing half done. A quick run that did not complete cleanly is claimed
leased like any other and recorded by the same path as every other run.

The tick's promises hold for quick runs as for the others: the organisation's runs-per-minute
limit is counted before they execute (runs beyond it go the leased way, which skips them), the
logged-run quota and the month's counters are applied as they are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models.settings import Settings
from models.store.completions import RunCompletion
from models.store.quick_claims import QuickRuns
from models.store.run_history import runs_started_since
from models.store.run_inputs import RunAutomation, load_run_inputs
from models.store.run_queue import ClaimedRun
from worker.run.executor import Executor, RunInputs
from worker.run.plan_limits import runs_per_minute
from worker.run.quick_batch import execute_quick_batch

_new = tuple.__new__


class QuickExecution:
    """One tick's quick runs: `runs` is handed to each claim; `plans` holds the plan of every
    organisation whose quick runs were executed (for the logged-run quota)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        executor: Executor,
        clock: Callable[[], datetime],
    ) -> None:
        self.engine, self.settings, self.executor, self.clock = engine, settings, executor, clock
        self.plans: dict[int, str] = {}
        self.runs = QuickRuns(self._execute, self._quota)

    def take(self) -> tuple[list[RunCompletion], list[RunCompletion], int]:
        """What the last claims recorded, what they left to record, and how many of those
        recorded keep no history row; the lists start afresh."""
        runs = self.runs
        taken = (runs.recorded, runs.finished, runs.unlogged)
        runs.recorded, runs.finished, runs.unlogged = [], [], 0
        return taken

    def _quota(self, org_id: int) -> int | None:
        plan = self.settings.plans.get(self.plans.get(org_id, ""))
        return plan.logged_runs_per_month if plan else None

    def _execute(
        self, batch: list[ClaimedRun], autos: dict[int, RunAutomation]
    ) -> dict[int, RunCompletion]:
        executor = self.executor
        # whether runs are quick depends on their skill and channel alone
        kinds: dict[tuple[str, str], bool] = {}
        quick = []
        for run in batch:
            auto = autos[run.automation_id]
            kind = (auto.skill, auto.output_channel)
            is_quick = kinds.get(kind)
            if is_quick is None:
                is_quick = kinds[kind] = executor.runs_quick(auto)
            if is_quick:
                quick.append(run)
        if not quick:
            return {}
        loaded = load_run_inputs(self.engine, [r.automation_id for r in quick], autos)
        # (automation, owner, organisation) is a RunInputs' tuple: built as one, without its
        # constructor's Python call per run
        chosen = [(run, _new(RunInputs, loaded[run.automation_id])) for run in quick]
        # a batch's runs belong to a few organisations, each loaded once
        orgs = {id(org): org for _, _, org in loaded.values()}.values()
        self.plans.update({org.id: org.plan for org in orgs})
        now = self.clock()
        chosen = self._within_rate_limit(chosen, runs_per_minute(self.settings, orgs), now)
        # one instant for the batch: its runs take microseconds each
        return execute_quick_batch(executor, chosen, now)

    def _within_rate_limit(
        self, chosen: list[tuple[ClaimedRun, RunInputs]], limits: dict[int, int], now: datetime
    ) -> list[tuple[ClaimedRun, RunInputs]]:
        """The runs the organisations' runs-per-minute `limits` leave room for, counting those
        started in the last minute; the rest go the leased way, whose check skips them."""
        if not limits:
            return chosen
        self.runs.settle()  # a claim still being written has started its runs too
        started = runs_started_since(self.engine, list(limits), now - timedelta(minutes=1))
        room = {org: limit - started.get(org, 0) for org, limit in limits.items()}
        kept = []
        for run, got in chosen:
            org = got.org.id
            if org in room:
                if room[org] <= 0:
                    continue
                room[org] -= 1
            kept.append((run, got))
        return kept
