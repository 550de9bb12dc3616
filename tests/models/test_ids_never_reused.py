"""Ids are never reused, on either store: after a delete or a history clear, new automations and
runs get new ids, so an old link or notice never names a different record. Existing SQLite
databases keep their rows through the upgrade that makes this so."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.kit.factories import OrgFixture, make_automation, make_org
from models.engine import make_engine
from models.migrate import upgrade
from models.store.automations import clear_history, delete_automation, get_automation
from models.store.run_history import list_runs
from models.store.run_queue import queue_run
from models.tables.automations import Automation

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
        # rows as that schema held them (today's models have columns it lacks)
        org, autos = _old_rows(engine)
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


def _old_rows(engine: Engine) -> tuple[OrgFixture, list[Automation]]:
    with engine.begin() as conn:
        org_id = conn.execute(
            text(
                "INSERT INTO organizations (slug, name, plan, timezone, settings, created_at)"
                " VALUES ('acme', 'Acme', 'enterprise', 'UTC', '{}', :now) RETURNING id"
            ),
            {"now": NOW},
        ).scalar_one()
        user_id = conn.execute(
            text(
                "INSERT INTO users (org_id, email, name, role, created_at)"
                " VALUES (:org, 'admin@acme.test', 'Ada', 'admin', :now) RETURNING id"
            ),
            {"org": org_id, "now": NOW},
        ).scalar_one()
        ids = [
            conn.execute(
                text(
                    "INSERT INTO automations (org_id, owner_id, name, description, skill, params,"
                    " trigger_type, cron_expression, timezone, event_filter, output_channel,"
                    " output_config, enabled, status, consecutive_failures, misfire_policy,"
                    " overlap_policy, origin, created_at, updated_at) VALUES (:org, :user, :name,"
                    " '', 'noop', '{}', 'cron', '0 9 * * *', 'UTC', '{}', 'noop', '{}', 1, 'idle',"
                    " 0, 'latest', 'skip', '{}', :now, :now) RETURNING id"
                ),
                {"org": org_id, "user": user_id, "name": f"a{i}", "now": NOW},
            ).scalar_one()
            for i in range(3)
        ]
    org = OrgFixture(org_id, user_id, user_id, "admin@acme.test", "admin@acme.test")
    return org, [Automation.model_construct(id=i, org_id=org_id) for i in ids]
