"""SQLite write transactions of one process queue on one in-process lock: a waiting writer goes
the moment the previous transaction ends, however it ends (commit, rollback, an error, a
connection handed back unfinished), a write inside a write is not queued behind itself, and
the busy timeout still bounds every wait."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from models.engine import make_engine, read_only, write_gate
from models.migrate import upgrade
from models.sqlite_gate import WriteGate

BEAT = "INSERT INTO worker_beats VALUES (:w, '2026-03-02 09:00:00', '{}')"


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _beats(engine: Engine) -> int:
    with read_only(engine).connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM worker_beats")).scalar_one())


def _gate(engine: Engine) -> WriteGate:
    gate = write_gate(engine)
    assert gate is not None
    return gate


def test_a_waiting_writer_goes_once_the_holder_commits(sqlite: Engine) -> None:
    gate = _gate(sqlite)
    holding, waited = threading.Event(), threading.Event()
    order: list[str] = []

    def second() -> None:
        holding.wait()
        with sqlite.begin() as conn:  # queues on the gate, not in SQLite's busy handler
            order.append("second")
            conn.execute(text(BEAT), {"w": "second"})
        waited.set()

    thread = threading.Thread(target=second)
    thread.start()
    with sqlite.begin() as conn:
        conn.execute(text(BEAT), {"w": "first"})
        assert gate.held
        holding.set()
        assert not waited.wait(0.2)  # the second writer cannot pass an open transaction
        order.append("first")
    thread.join(10)
    assert order == ["first", "second"] and _beats(sqlite) == 2
    assert not gate.held


def test_every_way_a_transaction_ends_opens_the_gate(sqlite: Engine) -> None:
    gate = _gate(sqlite)
    with sqlite.begin() as conn:
        conn.execute(text(BEAT), {"w": "committed"})
    assert not gate.held
    with pytest.raises(ZeroDivisionError), sqlite.begin() as conn:
        conn.execute(text(BEAT), {"w": "rolled back"})
        assert gate.held
        _ = 1 / 0
    assert not gate.held
    with sqlite.connect() as conn:  # autobegun and closed without commit: rolled back
        conn.execute(text(BEAT), {"w": "abandoned"})
        assert gate.held
    assert not gate.held
    with pytest.raises(OperationalError), sqlite.begin() as conn:
        conn.execute(text("INSERT INTO no_such_table VALUES (1)"))
    assert not gate.held
    with read_only(sqlite).connect() as conn:  # readers never take it
        conn.execute(text("SELECT 1"))
        assert not gate.held
    assert _beats(sqlite) == 1


def test_a_write_inside_a_write_is_not_queued_behind_itself(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db", busy_timeout_ms=100)
    upgrade(engine)
    try:
        with engine.begin() as outer:
            outer.execute(text(BEAT), {"w": "outer"})
            # SQLite refuses the inner one after its busy timeout, as it always did; the
            # gate neither deadlocks the thread nor adds a wait of its own
            with pytest.raises(OperationalError, match="locked"), engine.begin() as inner:
                inner.execute(text(BEAT), {"w": "inner"})
        assert not _gate(engine).held
        assert _beats(engine) == 1
    finally:
        engine.dispose()


def test_the_gate_alone() -> None:
    gate = WriteGate(timeout_seconds=0)
    first, second = object(), object()
    gate.enter(first)
    assert gate.held
    gate.leave(second)  # only the holder's end opens it
    assert gate.held
    outcome: list[bool] = []

    def other_thread() -> None:
        gate.enter(second)
        outcome.append(gate.held)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join(10)
    # a zero timeout never waits: the other thread goes on to SQLite, which decides
    assert outcome == [True]
    gate.leave(first)
    assert not gate.held
