"""A claim reads its runs' automations with the due rows, in fewer columns than a batch's
separate read (models.store.run_inputs): a run must see its automation the same either way."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.store.bulk import InstantReader
from models.store.occurrence_plans import claimed_input
from models.store.occurrences import due_select, fetch_rows
from models.store.run_inputs import JsonCache, load_run_inputs

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo"]


def test_a_claim_reads_each_automation_as_a_batch_read_does(engine: Engine) -> None:
    rng = random.Random(12)
    org = make_org(engine, NOW)
    autos = [
        make_automation(
            engine,
            org,
            NOW,
            tz=rng.choice(ZONES),
            skill=rng.choice(["noop", "pipeline-report"]),
            channel=rng.choice(["noop", "email", "slack"]),
            to=rng.choice([["me"], ["owner", "sam@example.com"], ["#hiring"]]),
            owner_id=rng.choice([org.member_id, org.admin_id]),
            name=f"report {i}",
            params=rng.choice([{}, {"days": rng.randint(1, 9)}]),
            enabled=True,
            consecutive_failures=rng.randint(0, 3),
            last_success_at=rng.choice([None, NOW - timedelta(days=rng.randint(1, 30))]),
            system=rng.random() < 0.3,
            next_run_at=NOW - timedelta(minutes=rng.randint(0, 90)),
        )
        for i in range(12)
    ]
    with engine.connect() as conn:
        rows = fetch_rows(conn, due_select(100, True, False), {"now": NOW})
    read, json_of = InstantReader(), JsonCache()
    claimed = {row[0]: claimed_input(row, json_of, read) for row in rows}
    loaded = load_run_inputs(engine, [a.id or 0 for a in autos])
    assert sorted(claimed) == sorted(loaded) == sorted(a.id or 0 for a in autos)
    for automation_id, (auto, _, _) in loaded.items():
        assert claimed[automation_id] == auto
