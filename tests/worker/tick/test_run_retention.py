"""What run history keeps, on SQLite and on PostgreSQL (`engine` fixture): the pruner clears
expired output and old history but not queued runs, and no table of run history holds a
candidate's name, address or phone (the full rendered output only, for its TTL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import col

from bench.kit.factories import OrgFixture, make_automation, make_org
from models.settings import load_settings
from models.store.deliveries import list_outbox
from models.store.run_queue import queue_run
from models.tables.demo_ats import AtsCandidate
from skills.ats.seed import seed_demo
from tests.worker.tick.tick_support import at, new_worker, runs_of
from worker.run.retention import prune

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


# --------------------------------------------------------------------------- pruner


def test_the_pruner_clears_expired_output_and_old_history_but_not_queued_runs(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="0 9 * * *")
    settings = load_settings()  # output kept 24 h, history 90 days
    worker = new_worker(engine, settings)
    ran_at = at("2026-03-02T09:00:00Z")
    worker.tick(now=ran_at)
    (run,) = runs_of(engine, auto)
    assert run.output == "noop\n" and run.output_hash
    assert run.output_expires_at is not None
    assert timedelta(hours=24) <= run.output_expires_at - ran_at < timedelta(hours=24, minutes=1)
    queued = queue_run(
        engine,
        automation_id=auto.id or 0,
        org_id=org.org_id,
        triggered_by="manual",
        now=ran_at + timedelta(minutes=1),
    )

    prune(engine, settings.core, ran_at + timedelta(hours=23))
    assert runs_of(engine, auto)[0].output == "noop\n"

    report = prune(engine, settings.core, ran_at + timedelta(hours=25))
    assert report.outputs_cleared == 1 and report.runs_deleted == 0
    run = runs_of(engine, auto)[0]
    assert (run.output, run.output_expires_at) == (None, None)
    assert run.output_hash  # the hash stays for deduplication

    report = prune(
        engine, settings.core, ran_at + timedelta(days=settings.core.run_retention_days + 1)
    )
    assert report.runs_deleted == 1
    remaining = runs_of(engine, auto)
    assert [(r.id, r.status) for r in remaining] == [(queued, "pending")]


def test_an_output_ttl_of_zero_keeps_no_output_at_all(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, cron="0 9 * * *")
    worker = new_worker(engine, load_settings(output_ttl_hours=0))
    worker.tick(now=at("2026-03-02T09:00:00Z"))
    (run,) = runs_of(engine, auto)
    assert run.status == "completed"
    assert (run.output, run.output_expires_at) == (None, None)
    assert run.output_hash


# --------------------------------------------------------------------------- privacy

PRIVACY_TABLES = ("automation_runs", "run_targets", "run_actions", "deliveries", "notices")


def _cells(engine: Engine, table: str) -> list[tuple[str, str]]:
    """(column, text) for every cell of `table`; JSON as its text, with non-ASCII kept."""
    cells: list[tuple[str, str]] = []
    with engine.connect() as conn:
        for row in conn.execute(text(f"SELECT * FROM {table}")).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                shown = (
                    value
                    if isinstance(value, str)
                    else json.dumps(value, default=str, ensure_ascii=False)
                )
                cells.append((column, shown.lower()))
    return cells


def test_run_history_holds_no_candidate_pii(engine: Engine) -> None:
    now = at("2026-03-02T08:00:00Z")
    demo = seed_demo(engine, now=now - timedelta(hours=1), candidates=40)
    org = OrgFixture(demo.org_id, demo.admin_id, demo.member_ids[0], "", "")
    auto = make_automation(
        engine,
        org,
        now,
        cron="0 9 * * *",
        skill="pipeline-report",
        channel="email",
        to=["me", "hiring.manager@example.org"],
        params={"scope": "organization", "period": "weekly"},
    )
    settings = load_settings()
    worker = new_worker(engine, settings)
    worker.tick(now=at("2026-03-02T09:00:00Z"))
    (run,) = runs_of(engine, auto)
    assert run.status == "completed"

    with engine.connect() as conn:
        people = conn.execute(
            select(
                col(AtsCandidate.first_name),
                col(AtsCandidate.last_name),
                col(AtsCandidate.email),
                col(AtsCandidate.phone),
            ).where(col(AtsCandidate.org_id) == demo.org_id)
        ).all()
    assert len(people) == 40
    needles = {n.lower() for p in people for n in (f"{p[0]} {p[1]}", p[2], p[3]) if n}
    needles |= {"hiring.manager@example.org"}

    # the delivered mail names candidates (that is its job): the scan below is not vacuous
    outbox = list_outbox(engine)
    assert len(outbox) == 2
    assert any(n in m.raw.lower() for m in outbox for n in needles)
    assert run.output and any(n in run.output.lower() for n in needles)

    def hits(include_output: bool) -> list[str]:
        found: list[str] = []
        for table in PRIVACY_TABLES:
            for column, cell in _cells(engine, table):
                if table == "automation_runs" and column == "output" and not include_output:
                    continue
                found.extend(f"{table}.{column}: {n}" for n in needles if n in cell)
        return found

    # the full rendered output is the one debugging copy allowed, for its TTL
    assert hits(include_output=False) == []
    prune(engine, settings.core, at("2026-03-03T09:01:00Z"))
    assert hits(include_output=True) == []
