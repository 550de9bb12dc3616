"""Webhook inbox writes on SQLite go through one writer: concurrent deliveries never wait for
the write lock, each caller returns only once its own row is committed, and one failing write
leaves the others of its batch stored."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine

from bench.kit.factories import make_org
from models.engine import make_engine, read_only
from models.migrate import upgrade
from models.store.events import Ingested, add_connection, ingest
from models.store.single_writer import write
from models.tables import table_of
from models.tables.events import AtsConnection, EventInbox

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
inbox = table_of(EventInbox)


@pytest.fixture
def impatient_sqlite(tmp_path: Path) -> Iterator[Engine]:
    """SQLite that fails at once instead of waiting when the write lock is taken."""
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db", busy_timeout_ms=0)
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _connection(engine: Engine) -> AtsConnection:
    org = make_org(engine, NOW)
    return add_connection(
        engine, org_id=org.org_id, provider="generic", secret="s3cret-s3cret", now=NOW
    )


def _deliver(engine: Engine, connection: AtsConnection, key: str) -> Ingested:
    return ingest(
        engine,
        connection=connection,
        provider_type="candidate.stage_changed",
        event_type="candidate.stage_changed",
        data={"candidate_id": 1},
        dedupe_key=key,
        raw_body="{}",
        body_sha256="0" * 64,
        now=NOW,
    )


def _stored(engine: Engine, event_id: int) -> bool:
    with read_only(engine).connect() as conn:
        return conn.execute(select(inbox.c.id).where(inbox.c.id == event_id)).first() is not None


def test_a_burst_of_deliveries_is_stored_without_waiting_for_the_lock(
    impatient_sqlite: Engine,
) -> None:
    engine = impatient_sqlite
    connection = _connection(engine)

    def deliver(n: int) -> tuple[int, bool]:
        got = _deliver(engine, connection, f"generic:{n}")
        # read on another connection the moment the call returns: already committed
        return got.event_id, _stored(engine, got.event_id)

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(deliver, range(64)))
    assert all(stored for _, stored in results)
    assert len({event_id for event_id, _ in results}) == 64
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(inbox)).scalar_one() == 64


def test_replays_in_one_burst_are_stored_once_and_acknowledged(engine: Engine) -> None:
    connection = _connection(engine)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: _deliver(engine, connection, "generic:same"), range(8)))
    originals = [r for r in results if r.duplicate_of is None]
    assert len(originals) == 1
    assert {r.duplicate_of for r in results if r.duplicate_of} == {originals[0].event_id}


def test_a_failing_write_does_not_undo_the_others(impatient_sqlite: Engine) -> None:
    engine = impatient_sqlite
    connection = _connection(engine)

    def add(n: int) -> int:
        def store(conn: Connection) -> int:
            conn.execute(
                insert(inbox),
                {
                    "org_id": connection.org_id,
                    "connection_id": connection.id,
                    "provider": "generic",
                    "provider_type": "x",
                    "dedupe_key": f"k{n}",
                    "status": "rejected",
                    "data": {},
                    "chain_depth": 0,
                    "runs_started": 0,
                    "received_at": NOW,
                },
            )
            if n % 4 == 0:
                raise ValueError(f"write {n} fails after its insert")
            return n

        return write(engine, store)

    def attempt(n: int) -> str:
        try:
            return str(add(n))
        except ValueError as exc:
            return str(exc)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(attempt, range(32)))
    assert answers == [
        f"write {n} fails after its insert" if n % 4 == 0 else str(n) for n in range(32)
    ]
    with engine.connect() as conn:
        keys = set(conn.execute(select(inbox.c.dedupe_key)).scalars())
    assert keys == {f"k{n}" for n in range(32) if n % 4}
