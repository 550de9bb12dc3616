"""Ids are never reused, on either store: after a delete or a history clear, new automations and
runs get new ids, so an old link or notice never names a different record. Existing SQLite
databases keep their rows through the upgrade that makes this so."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine

from models.engine import make_engine
from models.migrate import upgrade
from models.store.automations import clear_history, delete_automation, get_automation
from models.store.run_history import list_runs
from models.store.run_queue import queue_run
from tests.factories import make_automation, make_org

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _run(engine: Engine, auto_id: int, org_id: int, minute: int) -> int:
    return queue_run(
        engine,
        automation_id=auto_id,
        org_id=org_id,
        triggered_by="manual",
        now=NOW.replace(minute=minute),
    )


def test_a_deleted_automation_or_a_cleared_run_never_lends_its_id(engine: Engine) -> None:
    org = make_org(engine, NOW)
    keep = make_automation(engine, org, NOW, name="kept")
    gone = make_automation(engine, org, NOW, name="deleted")
    delete_automation(engine, org.org_id, gone.id or 0)
    again = make_automation(engine, org, NOW, name="new")
    assert (again.id or 0) > (gone.id or 0)

    first = _run(engine, keep.id or 0, org.org_id, 1)
    with engine.begin() as conn:  # finish it so a clear removes it
        conn.execute(
            text("UPDATE automation_runs SET status = 'completed' WHERE id = :i"), {"i": first}
        )
    assert clear_history(engine, org.org_id, keep.id or 0) == 1
    second = _run(engine, keep.id or 0, org.org_id, 2)
    assert second > first
    assert [r.id for r in list_runs(engine, org.org_id, automation_id=keep.id)] == [second]


def test_upgrading_an_existing_sqlite_database_keeps_its_rows_and_stops_reuse(
    tmp_path: object,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    try:
        for branch_head in ("0010", "0012"):
            upgrade(engine, branch_head)
        org = make_org(engine, NOW)
        autos = [make_automation(engine, org, NOW, name=f"a{i}") for i in range(3)]
        run_id = _run(engine, autos[2].id or 0, org.org_id, 1)
        upgrade(engine)
        assert get_automation(engine, org.org_id, autos[2].id or 0).name == "a2"
        assert [r.id for r in list_runs(engine, org.org_id)] == [run_id]
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM automation_runs"))
        delete_automation(engine, org.org_id, autos[2].id or 0)
        assert (make_automation(engine, org, NOW, name="new").id or 0) > (autos[2].id or 0)
        assert _run(engine, autos[0].id or 0, org.org_id, 2) > run_id
    finally:
        engine.dispose()
