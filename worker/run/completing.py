"""A run's completion as it is recorded: built with its summary, output hash and kept output
(Completing), failed with its retry or failure notice, and sealed (duration, rescue, missed
occurrences, scrubbed)."""

from __future__ import annotations

import functools
import hashlib
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from models.settings import CoreSettings
from models.store.completions import RunCompletion
from models.store.run_history import deferrals_of
from models.store.run_queue import ClaimedRun
from skills.base import SkillOutput
from skills.scrub import Scrubber
from worker.run.inputs import RunInputs

#: what a failure notice promises while the automation stays active (worker.run.notices takes
#: it out of a digest whose automation has since been paused)
RUNS_AGAIN = " It will run again at its next scheduled time."

#: runs started by the scheduler or the ATS; only these move failure counts and pause state
UNATTENDED = ("schedule", "poll", "event")
#: the scrubber of a run that names no candidate (it holds no state: one serves every run)
NO_NAMES = Scrubber()


def backoff(attempt: int, cap_minutes: int) -> timedelta:
    """1, 2, 4 ... minutes after failed attempt 1, 2, 3 ..., capped."""
    return timedelta(minutes=min(2 ** (attempt - 1), cap_minutes))


#: outputs up to this long have their hash remembered (fixed texts recur run after run)
HASH_MEMORY_CHARS = 512


def _output_hash(output: str) -> str:
    if len(output) <= HASH_MEMORY_CHARS:
        return _short_output_hash(output)
    return hashlib.sha256(output.encode()).hexdigest()


@functools.lru_cache(maxsize=1024)
def _short_output_hash(output: str) -> str:
    return hashlib.sha256(output.encode()).hexdigest()


@functools.lru_cache(maxsize=64)
def _hours(count: int) -> timedelta:
    return timedelta(hours=count)


class Completing:
    """The completions an executor builds (mixed into Executor)."""

    engine: Engine
    settings: CoreSettings

    def _may_retry(self, run: ClaimedRun) -> bool:
        if run.triggered_by == "test":
            return False
        attempts = run.attempt
        if attempts >= self.settings.max_attempts:
            # quiet-hours deferrals are not failed attempts
            attempts -= deferrals_of(self.engine, run.automation_id, run.scheduled_for)
        return attempts < self.settings.max_attempts

    def _completion(
        self,
        run: ClaimedRun,
        now: datetime,
        summary: dict[str, Any],
        output: str | None,
        targets: list[dict[str, Any]] | None = None,
        actions: list[dict[str, Any]] | None = None,
    ) -> RunCompletion:
        ttl = self.settings.output_ttl_hours
        keep = bool(output) and ttl > 0
        return RunCompletion(
            run=run,
            status="completed",
            completed_at=now,
            duration_ms=0,
            summary=summary,
            output_hash=_output_hash(output) if output else None,
            output=output if keep else None,
            output_expires_at=now + _hours(ttl) if keep else None,
            targets=[] if targets is None else targets,
            actions=[] if actions is None else actions,
        )

    def _skipped(self, run: ClaimedRun, now: datetime, reason: str) -> RunCompletion:
        completion = self._completion(run, now, {}, None)
        completion.status, completion.skipped_reason = "skipped", reason
        return completion

    def _failed(
        self,
        run: ClaimedRun,
        now: datetime,
        code: str,
        message: str,
        *,
        retryable: bool,
        inputs: RunInputs | None,
        base: RunCompletion | None = None,
    ) -> RunCompletion:
        completion = base or self._completion(run, now, {}, None)
        completion.status, completion.error_code = "failed", code
        completion.error_message = message[:500]
        if retryable and self._may_retry(run):
            completion.retry_at = now + backoff(run.attempt, self.settings.backoff_cap_minutes)
            return completion
        if run.triggered_by not in UNATTENDED or inputs is None:
            return completion
        completion.outcome = "failed"
        auto = inputs.automation
        will_pause = auto.consecutive_failures + 1 >= self.settings.pause_after_failed_occurrences
        attempts = f"after {run.attempt} attempt{'s' if run.attempt > 1 else ''}"
        completion.notice = (
            f"Your automation “{auto.name}” (#{auto.id}) failed {attempts}: {message}"
            + (
                f" It has now failed {auto.consecutive_failures + 1} times in a row, so I paused"
                " it. Fix the problem, then resume it."
                if will_pause
                else RUNS_AGAIN
            )
        )
        return completion


def add_llm_metrics(completion: RunCompletion, output: SkillOutput) -> None:
    """Token counts as numbers: the run's llm_* columns, and the LLM mode in metrics."""
    usage = output.llm
    if usage.get("mode", "deterministic") == "deterministic" and "fallback" not in usage:
        return
    completion.metrics["llm"] = {
        k: usage[k]
        for k in (
            "mode",
            "model",
            "fallback",
            "input_tokens",
            "output_tokens",
            "cache_read_tokens",
            "cache_write_tokens",
            "turns",
        )
        if k in usage
    }
    completion.llm_input_tokens = int(usage.get("input_tokens", 0))
    completion.llm_output_tokens = int(usage.get("output_tokens", 0))
    completion.llm_cache_read_tokens = int(usage.get("cache_read_tokens", 0))
    completion.llm_cache_write_tokens = int(usage.get("cache_write_tokens", 0))


def sealed(
    completion: RunCompletion, started: float, scrubber: Scrubber, *, scrubbed: bool = False
) -> RunCompletion:
    """A run's completion as it is recorded: its duration since `started` (perf_counter),
    whether it was rescued, how many occurrences it stands for, and scrubbed (`scrubbed`: its
    summary went through `scrubber` already and its metrics are this executor's counts)."""
    completion.duration_ms = int((time.perf_counter() - started) * 1000)
    run = completion.run
    if run.rescued:
        completion.metrics["rescued"] = True
    if run.missed_count:
        completion.metrics["missed"] = run.missed_count
    if not scrubbed:
        _scrub(completion, scrubber)
    return completion


def _scrub(completion: RunCompletion, scrubber: Scrubber) -> None:
    """Every stored history field, once more through the scrubber (defence in depth): the
    summary, metrics and texts here; target and action rows as they are added (Executor._finish).
    The full output is left whole: it is what a test run previews to its requester, it may name
    candidates like the delivered message does, and the pruner deletes it after its TTL."""
    completion.summary = scrubber.value(completion.summary)
    completion.metrics = scrubber.value(completion.metrics)
    if completion.error_message:
        completion.error_message = scrubber.text(completion.error_message)
    if completion.notice:
        completion.notice = scrubber.text(completion.notice)
