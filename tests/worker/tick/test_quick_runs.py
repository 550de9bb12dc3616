"""Quick runs (a deterministic skill delivering to a channel that writes nothing outside the
run's own record) are executed before their claim is written and recorded by it, in one write
per occurrence. What users read must not tell them apart from runs that went the leased way,
and a fault before the claim commits must lose nothing and run nothing twice."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from bench.kit.factories import make_automation, make_org
from models.clock import utc
from models.engine import make_engine
from models.settings import load_settings
from models.store.run_history import get_run
from models.store.run_queue import automations, runs
from models.tables import table_of
from models.tables.automations import Automation
from models.tables.deliveries import OutboxMessage
from models.tables.runs import Notice, RunCounter
from skills.actions import PlannedAction
from skills.base import SkillContext, SkillOutput
from tests.worker.tick.quick_support import (
    NEXT_NINE,
    NINE,
    NOW,
    LeasedNoop,
    automation_state,
    comparable_run,
    due_reads,
    quick_worker,
    skill_spec,
)
from tests.worker.tick.tick_support import new_worker, reload, runs_of
from worker.delivery.base import Message, Recipient
from worker.delivery.noop import NoopChannel


def test_a_quick_run_leaves_the_history_a_leased_run_leaves(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="0 9 * * *", consecutive_failures=2)
    quick = new_worker(engine)
    quick.quick_runs = True  # PostgreSQL leaves them off unless asked
    quick.worker_id = leased_id = "w1"
    first = quick.tick(now=NINE)
    assert (first.claimed, first.quick, first.statuses) == (1, 1, {"completed": 1})
    [run_a] = runs_of(engine, auto)
    state_a = automation_state(engine, auto, run_a.id or 0)
    assert reload(engine, auto).next_run_at == NEXT_NINE

    # the same automation's next occurrence, run the leased way, for comparison
    with engine.begin() as conn:
        conn.execute(
            update(automations).where(automations.c.id == auto.id).values(consecutive_failures=2)
        )
    leased = new_worker(engine, noop=LeasedNoop())
    leased.worker_id = leased_id
    second = leased.tick(now=NEXT_NINE)
    assert (second.claimed, second.quick, second.statuses) == (1, 0, {"completed": 1})
    run_a, run_b = runs_of(engine, auto)
    assert comparable_run(engine, auto, run_a.id or 0) == comparable_run(
        engine, auto, run_b.id or 0
    )
    assert state_a == automation_state(engine, auto, run_b.id or 0)
    assert state_a["consecutive_failures"] == 0 and state_a["status"] == "idle"
    assert run_a.lease_owner is None and run_a.lease_expires_at is None
    assert run_a.started_at is not None and run_a.completed_at is not None
    assert utc(run_a.started_at) == NINE and utc(run_a.completed_at) >= NINE
    with engine.connect() as conn:
        counted = conn.execute(select(table_of(RunCounter).c.logged)).scalars().all()
    assert counted == [2]


@pytest.fixture()
def fault(engine: Engine) -> Iterator[dict[str, Any]]:
    """A fault injected into the transaction that writes run rows: once armed, the first run
    row inserted raises (the worker dies there). `hit` says whether it fired."""
    state: dict[str, Any] = {"armed": False, "hit": False}

    def before_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if state["armed"] and statement.lstrip().startswith("INSERT INTO automation_runs"):
            state["armed"], state["hit"] = False, True
            raise RuntimeError("the worker died before its claim committed")

    event.listen(engine, "before_cursor_execute", before_execute)
    try:
        yield state
    finally:
        event.remove(engine, "before_cursor_execute", before_execute)


def _nothing_recorded(engine: Engine, autos: list[Automation]) -> None:
    for auto in autos:
        stored = reload(engine, auto)
        assert runs_of(engine, auto) == []
        assert (stored.next_run_at, stored.status, stored.last_run_at) == (NINE, "idle", None)
    with engine.connect() as conn:
        assert conn.execute(select(table_of(RunCounter).c.logged)).all() == []


def _each_once(engine: Engine, autos: list[Automation], worker: Any) -> None:
    report = worker.tick(now=NINE)
    assert (report.claimed, report.quick, report.statuses) == (5, 5, {"completed": 5})
    for auto in autos:
        assert [(r.status, utc(r.scheduled_for)) for r in runs_of(engine, auto)] == [
            ("completed", NINE)
        ]
        assert reload(engine, auto).next_run_at == NEXT_NINE
    assert worker.tick(now=NINE).claimed == 0


def test_a_fault_before_the_claim_commits_loses_nothing_and_runs_each_occurrence_once(
    engine: Engine, fault: dict[str, Any]
) -> None:
    org = make_org(engine, NOW)
    autos = [
        make_automation(engine, org, NOW, cron="0 9 * * *", name=f"report {i}") for i in range(5)
    ]
    noop = NoopChannel()
    worker = new_worker(engine, noop=noop)
    worker.quick_runs = True
    fault["armed"] = True
    with pytest.raises(RuntimeError, match="died before"):
        worker.tick(now=NINE)
    assert fault["hit"]
    assert noop.sent == 5  # executed, but nothing left the process
    _nothing_recorded(engine, autos)
    _each_once(engine, autos, worker)


class LockingChannel(NoopChannel):
    """On its first send, another process takes SQLite's write lock and keeps it until told:
    the claim that follows cannot write ("database is locked")."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.holder: sqlite3.Connection | None = None

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if self.holder is None:
            self.holder = sqlite3.connect(self.path, isolation_level=None)
            self.holder.execute("BEGIN IMMEDIATE")
        super().send(message, recipient, message_id=message_id, org_id=org_id)

    def release(self) -> None:
        assert self.holder is not None
        self.holder.rollback()
        self.holder.close()


def test_a_claim_that_finds_the_database_locked_records_nothing(
    db_url: str, engine: Engine
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single write lock")
    org = make_org(engine, NOW)
    autos = [
        make_automation(engine, org, NOW, cron="0 9 * * *", name=f"report {i}") for i in range(5)
    ]
    impatient = make_engine(db_url, busy_timeout_ms=200)
    try:
        channel = LockingChannel(make_url(db_url).database or "")
        worker = new_worker(impatient, noop=channel)
        with pytest.raises(OperationalError, match="database is locked"):
            worker.tick(now=NINE)
        channel.release()
        assert channel.sent == 5
        _nothing_recorded(engine, autos)
        _each_once(engine, autos, worker)
    finally:
        impatient.dispose()


def test_a_quick_run_that_fails_is_recorded_as_any_failure(engine: Engine) -> None:
    org = make_org(engine, NOW)
    # nobody to send to: the run fails for good, which counts toward pausing the automation
    auto = make_automation(engine, org, NOW, cron="0 9 * * *", to=["candidate"])
    worker = new_worker(engine, load_settings(pause_after_failed_occurrences=2))
    worker.quick_runs = True
    report = worker.tick(now=NINE)
    assert (report.claimed, report.quick, report.statuses) == (1, 0, {"failed": 1})
    [run] = runs_of(engine, auto)
    assert (run.status, run.error_code, run.lease_owner) == ("failed", "no_recipients", None)
    stored = reload(engine, auto)
    assert (stored.consecutive_failures, stored.status, stored.enabled) == (1, "idle", True)
    assert stored.next_run_at == NEXT_NINE

    worker.tick(now=NEXT_NINE)
    stored = reload(engine, auto)
    assert (stored.consecutive_failures, stored.status, stored.enabled) == (2, "failed", False)
    with engine.connect() as conn:
        kinds = conn.execute(select(table_of(Notice).c.kind).order_by("id")).scalars().all()
    assert kinds == ["failed", "paused"]


class MeddlingChannel(NoopChannel):
    """A channel that, on its first send, changes the automation being run, as another worker
    or an edit could between a quick run's execution and its claim's write (on SQLite the run
    executes before the claim takes the write lock)."""

    def __init__(self, engine: Engine, automation_id: int, change: dict[str, Any]) -> None:
        super().__init__()
        self.engine, self.automation_id, self.change = engine, automation_id, change

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if not self.sent:
            with self.engine.begin() as conn:
                conn.execute(
                    update(automations)
                    .where(automations.c.id == self.automation_id)
                    .values(**self.change)
                )
        super().send(message, recipient, message_id=message_id, org_id=org_id)


def test_a_quick_run_whose_automation_changed_before_the_write_counts_for_nothing(
    engine: Engine,
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the claim's rows stay locked while its quick runs execute")
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="0 9 * * *", name="before")

    # another worker claimed the occurrence meanwhile: it is theirs alone
    meddle = {"next_run_at": NEXT_NINE, "status": "running"}
    channel = MeddlingChannel(engine, auto.id or 0, meddle)
    report = new_worker(engine, noop=channel).tick(now=NINE)
    assert (report.claimed, report.quick) == (0, 0)
    assert runs_of(engine, auto) == []
    assert reload(engine, auto).next_run_at == NEXT_NINE

    # an edit meanwhile: the run is done again, the usual way, with what the automation says now
    with engine.begin() as conn:
        conn.execute(
            update(automations)
            .where(automations.c.id == auto.id)
            .values(next_run_at=NINE, status="idle")
        )
    channel = MeddlingChannel(engine, auto.id or 0, {"name": "after"})
    report = new_worker(engine, noop=channel).tick(now=NINE)
    assert (report.claimed, report.quick, report.statuses) == (1, 0, {"completed": 1})
    assert channel.sent == 2
    [run] = runs_of(engine, auto)
    assert run.status == "completed"
    with engine.connect() as conn:
        assert conn.execute(select(runs.c.id)).scalars().all() == [run.id]


def test_a_quick_claim_reads_the_due_automations_once_unless_something_was_written(
    engine: Engine,
) -> None:
    """On SQLite the claim reads the due rows before its quick runs execute; under the write
    lock it reads them again only if another connection committed meanwhile."""
    if engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the due rows are read once, locked, in the claim")
    org = make_org(engine, NOW)
    autos = [make_automation(engine, org, NOW, cron="0 9 * * *") for _ in range(3)]
    reads = due_reads(engine)
    report = new_worker(engine).tick(now=NINE)
    assert (report.claimed, report.quick) == (3, 3)
    assert len(reads) == 1

    # a write meanwhile (here, to one of the automations): read again, compared
    for auto in autos:
        with engine.begin() as conn:
            conn.execute(
                update(automations)
                .where(automations.c.id == auto.id)
                .values(next_run_at=NEXT_NINE, status="idle")
            )
    reads.clear()
    channel = MeddlingChannel(engine, autos[0].id or 0, {"name": "renamed"})
    report = new_worker(engine, noop=channel).tick(now=NEXT_NINE)
    assert (report.claimed, report.quick) == (3, 2)
    assert len(reads) == 2
    assert [len(runs_of(engine, a)) for a in autos] == [2, 2, 2]


class EmailingSkill:
    """A deterministic skill whose work is an action: one email to the hiring team."""

    spec = skill_spec("emailing", "Emails the hiring team (tests).")

    def run(self, ctx: SkillContext) -> SkillOutput:
        email = PlannedAction(
            "send_email", {"to": "team"}, to_email="hiring@example.com", subject="Weekly"
        )
        return SkillOutput(subject="", text="", html="", summary={}, actions=[email], deliver=False)


def test_a_run_whose_skill_plans_actions_is_not_quick_and_acts_once(
    engine: Engine, tmp_path: Path
) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="0 9 * * *", skill="emailing")
    worker = quick_worker(engine, tmp_path, [EmailingSkill()])
    report = worker.tick(now=NINE)
    assert (report.claimed, report.quick, report.statuses) == (1, 0, {"completed": 1})
    [run] = runs_of(engine, auto)
    steps = get_run(engine, org.org_id, run.id or 0).actions
    assert [(a.action_type, a.status) for a in steps] == [
        ("render", "completed"),
        ("send_email", "completed"),
    ]
    with engine.connect() as conn:
        sent = conn.execute(select(table_of(OutboxMessage).c.subject)).scalars().all()
    assert sent == ["Weekly"]
