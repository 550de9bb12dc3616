"""/status and /metrics through the real HTTP app: the whole service's run figures are for
admins; a member sees failure rates of their own organisation's runs only and is refused
/metrics. `skilltick status`, run by whoever runs the service, still counts everything."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.factories import make_automation
from models.tables.runs import AutomationRun
from tests.assistant.http.service_harness import (
    Org,
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def add_runs(engine: Engine, org: Org, failed: int, completed: int) -> None:
    auto = make_automation(engine, org.fixture, NOW, skill="noop")
    with Session(engine) as s:
        statuses = ["failed"] * failed + ["completed"] * completed
        for i, status in enumerate(statuses):
            at = NOW - timedelta(hours=1, minutes=i)
            s.add(AutomationRun(org_id=org.fixture.org_id, automation_id=auto.id or 0,
                                triggered_by="schedule", scheduled_for=at, not_before=at,
                                status=status, created_at=at, started_at=at,
                                completed_at=at))  # fmt: skip
        s.commit()


def test_members_see_their_organisations_failures_and_admins_the_services(
    sqlite_engine: Engine,
) -> None:
    rng = random.Random(11)
    acme = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    globex = make_org_with_tokens(sqlite_engine, NOW, slug="globex")
    counts: dict[int, tuple[int, int]] = {}
    for org in (acme, globex):
        counts[org.fixture.org_id] = (rng.randint(1, 5), rng.randint(1, 5))
        add_runs(sqlite_engine, org, *counts[org.fixture.org_id])
    all_failed = sum(f for f, _ in counts.values())
    everything = sum(f + c for f, c in counts.values())

    def noop_rate(answer: dict[str, Any]) -> tuple[int, int]:
        rate = answer["failure_rate_by_skill"]["noop"]
        return rate["failed"], rate["finished"]

    ctx = make_context(sqlite_engine, clock=lambda: NOW)
    with live_server(ctx) as url:
        for org in (acme, globex):
            failed, completed = counts[org.fixture.org_id]
            with client(url, org.member_token) as member:
                assert noop_rate(member.get("/status").json()) == (failed, failed + completed)
                refused = member.get("/metrics")
                assert refused.status_code == 403 and "admin" in refused.json()["error"]["message"]
        with client(url, acme.admin_token) as admin:
            assert noop_rate(admin.get("/status").json()) == (all_failed, everything)
            metrics = admin.get("/metrics")
            assert metrics.status_code == 200
            [line] = [
                line
                for line in metrics.text.splitlines()
                if line.startswith('skilltick_runs{status="failed",triggered_by="schedule"}')
            ]
            assert float(line.split()[-1]) == all_failed
    # `skilltick status` (no reader: whoever runs the service) counts every organisation
    rate = ctx.tools.service_status().failure_rate_by_skill["noop"]
    assert (rate.failed, rate.finished) == (all_failed, everything)
