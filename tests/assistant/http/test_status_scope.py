"""/status and /metrics through the real HTTP app: the whole service's run figures are for
its operators, users the host names (`skilltick operators add`); an organisation's admins and
members see failure rates of their own organisation's runs and are refused /metrics.
`skilltick status`, run by whoever runs the service, still counts everything."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.http.dashboard.support import SESSION_COOKIE
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


def failed_scheduled(metrics: str) -> float:
    [line] = [
        line
        for line in metrics.splitlines()
        if line.startswith('skilltick_runs{status="failed",triggered_by="schedule"}')
    ]
    return float(line.split()[-1])


def test_organisations_see_their_own_failures_and_operators_the_services(
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
    acme_admin = acme.fixture.admin_email
    with live_server(ctx) as url:
        # nobody is an operator yet: every admin and member reads their organisation's runs
        for org in (acme, globex):
            failed, completed = counts[org.fixture.org_id]
            for token in (org.member_token, org.admin_token):
                with client(url, token) as reader:
                    assert noop_rate(reader.get("/status").json()) == (failed, failed + completed)
                    refused = reader.get("/metrics")
                    assert refused.status_code == 403
                    assert "operator" in refused.json()["error"]["message"]
        # the host makes Acme's admin an operator: their token and session read everything
        ctx.tools.set_operator(org_slug="acme", email=acme_admin, operator=True)
        session = ctx.tools.start_dashboard_session(acme.actor(sqlite_engine, admin=True))
        with client(url, acme.admin_token) as operator:
            assert noop_rate(operator.get("/status").json()) == (all_failed, everything)
            assert failed_scheduled(operator.get("/metrics").text) == all_failed
        with client(url) as browser:
            browser.cookies.set(SESSION_COOKIE, session)
            assert noop_rate(browser.get("/status").json()) == (all_failed, everything)
            assert browser.get("/metrics").status_code == 200
        with client(url, globex.admin_token) as other_admin:  # no other organisation's admin
            assert other_admin.get("/metrics").status_code == 403
        # and no longer at their next request once the host says so
        ctx.tools.set_operator(org_slug="acme", email=acme_admin, operator=False)
        with client(url, acme.admin_token) as admin:
            failed, completed = counts[acme.fixture.org_id]
            assert noop_rate(admin.get("/status").json()) == (failed, failed + completed)
            assert admin.get("/metrics").status_code == 403
    # `skilltick status` (no reader: whoever runs the service) counts every organisation
    rate = ctx.tools.service_status().failure_rate_by_skill["noop"]
    assert (rate.failed, rate.finished) == (all_failed, everything)
