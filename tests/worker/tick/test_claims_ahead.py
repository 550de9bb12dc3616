"""A backlog of quick runs is claimed overlapped on SQLite: each claim's statements run while the
next batch's runs execute (models.store.claims_ahead). Every occurrence still runs once, a commit
from elsewhere meanwhile stops the overlap without a run twice or a run of what another worker
took, and the runs-per-minute limit counts the runs of a claim still being written."""

from __future__ import annotations

import random
import sys
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.claims_ahead import _quick_switches, claim_ahead
from models.store.run_queue import automations
from models.tables.automations import Automation
from tests.worker.tick.quick_support import NEXT_NINE, NINE, NOW, LeasedNoop
from tests.worker.tick.test_tick_policies import _plans
from tests.worker.tick.tick_support import new_worker, reload, runs_of
from worker.delivery.base import Message, Recipient
from worker.delivery.noop import NoopChannel


def _overlaps(monkeypatch: pytest.MonkeyPatch) -> list[bool | None]:
    """Each overlapped claiming: what it returned (True: it stopped with automations left),
    None while it runs or if it raised."""
    returned: list[bool | None] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        returned.append(None)
        left = yield from claim_ahead(*args, **kwargs)
        returned[-1] = left
        return left

    monkeypatch.setattr("worker.tick.due_claims.claim_ahead", recording)
    return returned


@pytest.mark.parametrize("seed", [1, 2])
def test_a_backlog_claimed_ahead_runs_each_occurrence_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    batch, quick_batch = 2, rng.randint(3, 5)
    orgs = [make_org(engine, NOW), make_org(engine, NOW, slug="beta")]
    # the first four claims hold quick runs only (the overlap starts after them), then a mix
    # of quick runs, runs executed after their claim and automations not due yet
    kinds = ["quick"] * (4 * batch) + rng.choices(
        ["quick", "leased", "later"], [6, 1, 1], k=rng.randint(10, 24)
    )
    due: list[tuple[Automation, str]] = []
    later: list[Automation] = []
    for i, kind in enumerate(kinds):
        org = orgs[rng.randrange(2)]
        # every schedule first fires at NINE, so the due rows come in the order made
        cron = rng.choice(["0 9 * * *", "0 9 * * 1", "0 9 * * 1-5", "0 9 2 * *"])
        if kind == "later":
            later.append(make_automation(engine, org, NOW, cron="0 10 * * *", name=f"a{i}"))
            continue
        channel = "leased" if kind == "leased" else "noop"
        due.append((make_automation(engine, org, NOW, cron=cron, channel=channel), kind))
    returned = _overlaps(monkeypatch)
    settings = load_settings(claim_batch=batch, claim_batch_quick=quick_batch)
    worker = new_worker(engine, settings, leased=LeasedNoop())
    worker.quick_runs = True  # PostgreSQL leaves them off unless asked
    report = worker.tick(now=NINE)

    quick = sum(kind == "quick" for _, kind in due)
    assert (report.claimed, report.quick) == (len(due), quick)
    assert report.statuses == {"completed": len(due)}
    for auto, _ in due:
        [run] = runs_of(engine, auto)
        assert (run.status, run.scheduled_for) == ("completed", NINE)
        stored = reload(engine, auto)
        assert (stored.status, stored.last_run_status) == ("idle", "completed")
        assert stored.next_run_at is not None and stored.next_run_at > NINE
    for auto in later:
        assert runs_of(engine, auto) == []
        assert reload(engine, auto).next_run_at == at_ten()
    assert bool(returned) == (engine.dialect.name == "sqlite")


def at_ten() -> Any:
    return NINE.replace(hour=10)


class MeddlingChannel(NoopChannel):
    """On its `at`-th send, another connection commits a change to an automation not run yet:
    as if another worker claimed its occurrence."""

    def __init__(self, engine: Engine, at: int, automation_id: int) -> None:
        super().__init__()
        self.engine, self.at, self.automation_id = engine, at, automation_id

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if self.sent + 1 == self.at:
            with self.engine.begin() as conn:
                conn.execute(
                    update(automations)
                    .where(automations.c.id == self.automation_id)
                    .values(next_run_at=NEXT_NINE, status="running")
                )
        super().send(message, recipient, message_id=message_id, org_id=org_id)


@pytest.mark.parametrize("at", [10, 13, 17])
def test_a_commit_from_elsewhere_stops_the_overlap_and_nothing_runs_twice(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    org = make_org(sqlite_engine, NOW)
    autos = [make_automation(sqlite_engine, org, NOW, name=f"a{i}") for i in range(30)]
    taken = autos[-1]  # claimed by "another worker" while the overlap runs
    channel = MeddlingChannel(sqlite_engine, at, taken.id or 0)
    returned = _overlaps(monkeypatch)
    settings = load_settings(claim_batch=2, claim_batch_quick=4)
    report = new_worker(sqlite_engine, settings, noop=channel).tick(now=NINE)

    assert returned[0] is True  # stopped early, the rest claimed one batch at a time
    assert (report.claimed, report.quick, report.statuses) == (29, 29, {"completed": 29})
    assert [len(runs_of(sqlite_engine, a)) for a in autos] == [1] * 29 + [0]
    assert reload(sqlite_engine, taken).status == "running"


def test_the_rate_limit_counts_the_runs_of_a_claim_still_being_written(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = make_org(sqlite_engine, NOW, plan="pro")
    autos = [make_automation(sqlite_engine, org, NOW, name=f"a{i}") for i in range(25)]
    returned = _overlaps(monkeypatch)
    noop = NoopChannel()
    plans = _plans(runs_per_minute=12)
    settings = load_settings(claim_batch=2, claim_batch_quick=3, plans=plans)
    report = new_worker(sqlite_engine, settings, noop=noop).tick(now=NINE)

    assert returned  # the limit is reached overlapped (8 runs are claimed before it)
    assert report.statuses == {"completed": 12, "skipped": 13}
    assert report.skipped_reasons == {"rate_limited": 13}
    assert noop.sent == 12
    assert sum(len(runs_of(sqlite_engine, a)) for a in autos) == 25


@pytest.mark.parametrize("fail_at", [5, 7])
def test_a_fault_in_an_overlapped_claim_loses_nothing_and_runs_nothing_twice(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    engine = sqlite_engine
    org = make_org(engine, NOW)
    autos = [make_automation(engine, org, NOW, name=f"a{i}") for i in range(30)]
    inserts = {"seen": 0}

    def before_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().startswith("INSERT INTO automation_runs"):
            inserts["seen"] += 1
            if inserts["seen"] == fail_at:  # the worker dies in the claim's write
                raise RuntimeError("the worker died before its claim committed")

    event.listen(engine, "before_cursor_execute", before_execute)
    returned = _overlaps(monkeypatch)
    settings = load_settings(claim_batch=2, claim_batch_quick=4)
    worker = new_worker(engine, settings)
    with pytest.raises(RuntimeError, match="died before"):
        worker.tick(now=NINE)
    event.remove(engine, "before_cursor_execute", before_execute)
    assert returned == [None]  # it died overlapped
    ran = [a for a in autos if runs_of(engine, a)]
    assert 8 <= len(ran) < 30
    for auto in autos:  # each claim committed whole or not at all
        stored = reload(engine, auto)
        if auto in ran:
            assert [r.status for r in runs_of(engine, auto)] == ["completed"]
            assert (stored.status, stored.next_run_at) == ("idle", NEXT_NINE)
        else:
            assert (stored.status, stored.next_run_at) == ("idle", NINE)

    report = new_worker(engine, settings).tick(now=NINE)
    assert (report.claimed, report.statuses) == (30 - len(ran), {"completed": 30 - len(ran)})
    assert [len(runs_of(engine, a)) for a in autos] == [1] * 30


def test_ticks_overlapping_in_one_process_leave_its_switch_interval_as_it_was() -> None:
    own = sys.getswitchinterval()
    first, second = _quick_switches(), _quick_switches()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first tick ends while the second still claims
    assert sys.getswitchinterval() < own
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == own
