"""A large backlog of quick runs (recorded by their claims) is claimed in larger batches once four
full claims in a row held nothing else (on SQLite, overlapped: models.store.claims_ahead); runs
executed after their claim keep the configured batch. Every occurrence still runs once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.claims_ahead import claim_ahead
from models.store.occurrences import claim_due_occurrences
from tests.worker.tick.quick_support import NINE, NOW, LeasedNoop
from tests.worker.tick.tick_support import new_worker, runs_of
from worker.delivery.noop import NoopChannel

DUE = 20


def _limits_asked(monkeypatch: pytest.MonkeyPatch) -> list[int | str]:
    """The limit of each claim, one batch at a time, and "ahead N" for overlapped claims."""
    asked: list[int | str] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["limit"])
        return claim_due_occurrences(*args, **kwargs)

    def recording_ahead(*args: Any, **kwargs: Any) -> Any:
        asked.append(f"ahead {kwargs['limit']}")
        return (yield from claim_ahead(*args, **kwargs))

    monkeypatch.setattr("worker.tick.due_claims.claim_due_occurrences", recording)
    monkeypatch.setattr("worker.tick.due_claims.claim_ahead", recording_ahead)
    return asked


@pytest.mark.parametrize(
    ("channel", "quick", "limits"),
    [
        # 8, then 5 + 5 full and the last 2; on SQLite overlapped, 2 + 5 + 5, and one claim
        # more that finds nothing
        (
            NoopChannel(),
            DUE,
            {"sqlite": [2, 2, 2, 2, "ahead 5", 2], "postgresql": [2] * 4 + [5] * 3},
        ),
        (LeasedNoop(), 0, {"sqlite": [2] * 11}),  # ten full claims, then one that finds nothing
    ],
)
def test_a_quick_backlog_is_claimed_in_larger_batches(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    channel: NoopChannel,
    quick: int,
    limits: dict[str, list[int | str]],
) -> None:
    org = make_org(engine, NOW)
    autos = [make_automation(engine, org, NOW, cron="0 9 * * *") for _ in range(DUE)]
    asked = _limits_asked(monkeypatch)
    worker = new_worker(engine, load_settings(claim_batch=2, claim_batch_quick=5), noop=channel)
    worker.quick_runs = True  # PostgreSQL leaves them off unless asked
    report = worker.tick(now=NINE)
    assert (report.claimed, report.quick, report.statuses) == (DUE, quick, {"completed": DUE})
    assert asked == limits.get(engine.dialect.name, limits["sqlite"])
    assert [len(runs_of(engine, auto)) for auto in autos] == [1] * DUE
