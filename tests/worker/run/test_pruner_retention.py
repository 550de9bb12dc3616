"""Retention covers the ATS event inbox too: processed events go with old history, events still
waiting to be processed stay whatever their age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.events import add_connection, ingest, list_events
from worker.run.retention import prune

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_the_pruner_deletes_old_finished_events_and_keeps_waiting_ones(engine: Engine) -> None:
    org = make_org(engine, NOW)
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="s3cret-signing-key", now=NOW
    )
    old = NOW - timedelta(days=100)
    kinds = {"waiting": "candidate.created", "finished": None}
    for name, event_type in kinds.items():
        ingest(
            engine,
            connection=connection,
            provider_type=f"x.{name}",
            event_type=event_type,
            data={},
            dedupe_key=name,
            raw_body="{}",
            body_sha256="",
            now=old,
        )
    settings = load_settings(run_retention_days=90)
    prune(engine, settings.core, NOW)
    left = list_events(engine, org.org_id, limit=10)
    assert [e.provider_type for e in left] == ["x.waiting"]
    assert left[0].status == "received"
