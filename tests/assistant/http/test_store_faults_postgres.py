"""A PostgreSQL database that stops taking writes (made read-only, as a failover or a full
disk leaves it) fails loudly: /healthz and writes answer 503 with the JSON error envelope,
/status says why; once it takes writes again, so does skilltick, without a restart."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from models.engine import make_engine
from models.migrate import upgrade
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NEW = {"name": "Probe", "skill": "pipeline-report", "cron": "0 9 * * MON", "to": ["me"]}


def _read_only(admin: Engine, database: str, on: bool) -> None:
    with admin.connect() as connection:
        connection.execute(
            text(f'ALTER DATABASE "{database}" SET default_transaction_read_only = {on}')
        )


def test_a_read_only_postgres_fails_loudly_and_recovers(
    pg_database_url: str, pg_admin: Engine
) -> None:
    database = make_url(pg_database_url).database or ""
    engine = make_engine(pg_database_url)
    try:
        upgrade(engine)
        org = make_org_with_tokens(engine, NOW, slug="acme")
        ctx = make_context(engine)
        with live_server(ctx) as url, client(url, org.admin_token) as api:
            assert api.get("/healthz").status_code == 200
            _read_only(pg_admin, database, True)
            engine.pool.dispose()  # connections opened from now on are read-only
            health = api.get("/healthz")
            assert health.status_code == 503, health.text
            assert health.json()["error"]["code"] == "store_unavailable"
            assert "read-only transaction" in health.json()["error"]["message"]
            status = api.get("/status")
            assert status.status_code == 503 and "read-only" in status.json()["store_problem"]
            created = api.post("/api/automations", json=NEW)
            assert created.status_code == 503, created.text
            assert created.json()["error"]["code"] == "store_unavailable"
            _read_only(pg_admin, database, False)
            # no restart, no pool reset: the read-only connections are dropped as they fail
            for _ in range(12):
                if api.get("/healthz").status_code == 200:
                    break
            assert api.get("/healthz").status_code == 200
            assert api.post("/api/automations", json=NEW).status_code == 201
            names = [a["name"] for a in api.get("/api/automations").json()["items"]]
            assert names.count("Probe") == 1, "the refused create was not kept"
    finally:
        engine.dispose()
