"""Pipelined claims (models.store.claim_pipeline): on SQLite a batch's write runs on a thread of
its own while the next batch's quick runs execute. The claim's promises must hold across
batches in flight: a write that fails loses nothing and lets no later batch write, an edit that
lands between a batch's read and its write is seen, the worker's own earlier writes are not
taken for edits, and the runs-per-minute limit counts runs not yet committed."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.clock import utc
from models.settings import load_settings
from models.store.run_queue import automations, runs
from models.tables.automations import Automation
from tests.worker.tick.quick_support import NEXT_NINE, NINE, NOW, LeasedNoop, due_reads
from tests.worker.tick.tick_support import new_worker, reload, runs_of
from worker.delivery.base import Message, Recipient
from worker.delivery.noop import NoopChannel
from worker.tick.tick import Worker

BATCH = 2


def _worker(engine: Engine, channel: NoopChannel, **settings: Any) -> Worker:
    worker = new_worker(engine, load_settings(claim_batch=BATCH, **settings), noop=channel)
    worker.quick_runs = True  # PostgreSQL leaves them off unless asked
    worker.pipelined_claims = True  # off unless asked; on SQLite only
    return worker


def _autos(engine: Engine, count: int) -> list[Automation]:
    """`count` automations due at nine, claimed in this order (due alike: by id)."""
    org = make_org(engine, NOW, plan="pro")
    return [
        make_automation(engine, org, NOW, cron="0 9 * * *", name=f"report {i}")
        for i in range(count)
    ]


def _run_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(runs)).scalar_one())


class FaultyWrites:
    """Fails the `nth` claim write (its insert of run rows), as a commit that finds the
    database locked or a worker dying there would, once `executing` is set (the next batch
    executes meanwhile); `failed` is set once it has."""

    def __init__(self, engine: Engine, nth: int, executing: threading.Event) -> None:
        self.nth, self.seen, self.executing = nth, 0, executing
        self.failed = threading.Event()
        event.listen(engine, "before_cursor_execute", self._before)
        self.engine = engine

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().startswith("INSERT INTO automation_runs"):
            self.seen += 1
            if self.seen == self.nth:
                self.executing.wait(10)
                self.failed.set()
                raise RuntimeError("the claim's write failed")

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)


class WaitingChannel(NoopChannel):
    """At its `at`-th send (the first run of a later batch), sets `executing` and waits until
    `until` is set: that batch executes while an earlier batch's write happens."""

    def __init__(self, at: int, executing: threading.Event) -> None:
        super().__init__()
        self.at, self.executing, self.until = at, executing, threading.Event()

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if self.sent + 1 == self.at:
            self.executing.set()
            self.until.wait(10)
        super().send(message, recipient, message_id=message_id, org_id=org_id)


@pytest.fixture()
def faults(engine: Engine) -> Iterator[list[FaultyWrites]]:
    made: list[FaultyWrites] = []
    yield made
    for fault in made:
        fault.remove()


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_failed_write_while_the_next_batch_executes_loses_nothing_and_runs_each_once(
    engine: Engine, faults: list[FaultyWrites], failing: int
) -> None:
    autos = _autos(engine, 4 * BATCH - 1)
    pipelined = engine.dialect.name == "sqlite"
    executing = threading.Event()
    if not pipelined:  # one claim after the other: the next batch has not been read
        executing.set()
    fault = FaultyWrites(engine, failing, executing)
    faults.append(fault)
    # the batch after the failing one executes while the failing write happens (SQLite)
    channel = WaitingChannel(failing * BATCH + 1, executing)
    channel.until = fault.failed
    interval = sys.getswitchinterval()
    with pytest.raises(RuntimeError, match="write failed"):
        _worker(engine, channel).tick(now=NINE)
    assert fault.failed.is_set()
    assert sys.getswitchinterval() == interval  # the process's own again
    written = (failing - 1) * BATCH  # the batches before the failing one, and no other
    for i, auto in enumerate(autos):
        stored = reload(engine, auto)
        if i < written:
            assert [utc(r.scheduled_for) for r in runs_of(engine, auto)] == [NINE]
            assert stored.next_run_at == NEXT_NINE
        else:
            assert runs_of(engine, auto) == []
            assert (stored.next_run_at, stored.status) == (NINE, "idle")
    if pipelined:
        assert channel.sent >= failing * BATCH + 1  # later runs executed, none recorded

    report = _worker(engine, NoopChannel()).tick(now=NINE)
    assert (report.claimed, report.quick) == (len(autos) - written,) * 2
    for auto in autos:
        assert [(r.status, utc(r.scheduled_for)) for r in runs_of(engine, auto)] == [
            ("completed", NINE)
        ]
    assert _run_count(engine) == len(autos)


class EditingChannel(NoopChannel):
    """At its `at`-th send, once `written` runs are recorded (the batches before this one),
    commits `edits` (automation id -> values) from another connection: between this batch's
    read and its write."""

    def __init__(
        self, engine: Engine, at: int, written: int, edits: dict[int, dict[str, Any]]
    ) -> None:
        super().__init__()
        self.engine, self.at, self.written, self.edits = engine, at, written, edits

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if self.sent + 1 == self.at:
            deadline = time.monotonic() + 10
            while _run_count(self.engine) < self.written and time.monotonic() < deadline:
                time.sleep(0.005)
            with self.engine.begin() as conn:
                for automation_id, values in self.edits.items():
                    conn.execute(
                        update(automations)
                        .where(automations.c.id == automation_id)
                        .values(**values)
                    )
        super().send(message, recipient, message_id=message_id, org_id=org_id)


@pytest.mark.parametrize("pipelined", [True, False])
def test_an_edit_between_a_batch_read_and_its_write_is_seen_and_own_writes_are_not(
    engine: Engine, pipelined: bool
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the claim's rows stay locked while its quick runs execute")
    autos = _autos(engine, 3 * BATCH)
    renamed, taken = autos[2 * BATCH], autos[2 * BATCH + 1]  # both in the third batch
    edits: dict[int, dict[str, Any]] = {
        renamed.id or 0: {"name": "renamed"},
        taken.id or 0: {"next_run_at": NEXT_NINE, "status": "running"},  # another worker's
    }
    channel = EditingChannel(engine, 2 * BATCH + 1, 2 * BATCH, edits)
    worker = _worker(engine, channel)
    worker.pipelined_claims = pipelined
    reads = due_reads(engine)
    report = worker.tick(now=NINE)
    # the third batch's run of the renamed automation counts for nothing: run again the usual
    # way; the taken one is the other worker's alone
    assert (report.claimed, report.quick) == (3 * BATCH - 1, 3 * BATCH - 2)
    assert report.statuses == {"completed": 3 * BATCH - 1}
    assert channel.sent == 3 * BATCH + 1
    for auto in autos:
        expected = [] if auto is taken else [("completed", NINE)]
        assert [(r.status, utc(r.scheduled_for)) for r in runs_of(engine, auto)] == expected
    # a read per batch and one read again, under the third batch's write lock: the worker's
    # own writes of the first two batches, committed between the next batch's read and its
    # write, are not taken for edits. Pipelined, a fourth read (nothing due) was made before
    # the third batch's write, which found a batch short of full: one claim after the other
    # stops there.
    assert len(reads) == (4 if pipelined else 3) + 1


@pytest.mark.parametrize("leased", [(), (0,), (0, 3, 5)])
def test_the_runs_per_minute_limit_counts_the_runs_of_batches_not_yet_written(
    engine: Engine, leased: tuple[int, ...]
) -> None:
    """Seven automations due, three runs a minute: three run, whichever way (quick, or leased:
    their channel is not in the transaction), whatever batches are in flight."""
    org = make_org(engine, NOW, plan="pro")
    autos = [
        make_automation(
            engine, org, NOW, name=f"report {i}", channel="leased" if i in leased else "noop"
        )
        for i in range(3 * BATCH + 1)
    ]
    noop, other = NoopChannel(), LeasedNoop()
    plans = load_settings().plans
    plans["pro"] = plans["pro"].model_copy(update={"runs_per_minute": 3})
    worker = new_worker(engine, load_settings(claim_batch=BATCH, plans=plans), noop=noop)
    worker.channels.register("leased", other)
    worker.quick_runs = True
    report = worker.tick(now=NINE)
    assert report.statuses == {"completed": 3, "skipped": len(autos) - 3}
    assert report.skipped_reasons == {"rate_limited": len(autos) - 3}
    assert noop.sent + other.sent == 3
    outcomes = sorted(r.status for a in autos for r in runs_of(engine, a))
    assert outcomes == ["completed"] * 3 + ["skipped"] * (len(autos) - 3)
