"""Helpers the multi-process worker tests share: spawning worker processes, waiting for what
they do (never a bare sleep), and the run, delivery and outbox rows they leave."""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from models.store.completions import deliveries_t
from models.store.run_queue import runs
from models.tables import table_of
from models.tables.deliveries import OutboxMessage

JOIN_TIMEOUT_S = 240.0  # a loaded CI machine; the test timeout (300 s) bounds it
OBSERVE_TIMEOUT_S = 30.0


def spawn() -> Any:
    return multiprocessing.get_context("spawn")


def wait_for(condition: Callable[[], bool], what: str, timeout: float = OBSERVE_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


def collect_summaries(
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


def run_rows(engine: Engine) -> list[Any]:
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


def delivery_rows(engine: Engine) -> list[Any]:
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


def outbox_rows(engine: Engine) -> list[Any]:
    o = table_of(OutboxMessage)
    with engine.connect() as conn:
        return list(conn.execute(select(o.c.id, o.c.message_id, o.c.to_addr).order_by(o.c.id)))


def outbox_count(engine: Engine) -> int:
    o = table_of(OutboxMessage)
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(o)).scalar_one())
