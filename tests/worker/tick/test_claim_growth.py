"""A large backlog of quick runs (recorded by their claims) is claimed in larger batches once four
full claims in a row held nothing else; runs executed after their claim keep the configured
batch. Every occurrence still runs once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.occurrences import claim_due_occurrences
from tests.worker.tick.quick_support import NINE, NOW, LeasedNoop
from tests.worker.tick.tick_support import new_worker, runs_of
from worker.delivery.noop import NoopChannel

DUE = 20


def _limits_asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    asked: list[int] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["limit"])
        return claim_due_occurrences(*args, **kwargs)

    monkeypatch.setattr("worker.tick.tick.claim_due_occurrences", recording)
    return asked


@pytest.mark.parametrize(
    ("channel", "quick", "limits"),
    [
        (NoopChannel(), DUE, [2, 2, 2, 2, 5, 5, 5]),  # 8 + 5 + 5 full, then the last 2
        (LeasedNoop(), 0, [2] * 11),  # ten full claims, then one that finds nothing
    ],
)
def test_a_quick_backlog_is_claimed_in_larger_batches(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    channel: NoopChannel,
    quick: int,
    limits: list[int],
) -> None:
    org = make_org(engine, NOW)
    autos = [make_automation(engine, org, NOW, cron="0 9 * * *") for _ in range(DUE)]
    asked = _limits_asked(monkeypatch)
    worker = new_worker(engine, load_settings(claim_batch=2, claim_batch_quick=5), noop=channel)
    worker.quick_runs = True  # PostgreSQL leaves them off unless asked
    report = worker.tick(now=NINE)
    assert (report.claimed, report.quick, report.statuses) == (DUE, quick, {"completed": DUE})
    assert asked == limits
    assert [len(runs_of(engine, auto)) for auto in autos] == [1] * DUE
