"""The REST API end to end on SQLite: create, read, change, pause and resume, run now, test,
page through runs with the cursor, read a run's rows, clear history, delete."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_automation
from models.store.automations import get_automation
from models.store.run_queue import queue_run
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from worker.tick.factory import build_worker

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_recruiter_manages_an_automation_through_the_api(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    with live_server(ctx) as url, client(url, org.member_token) as c:
        created = c.post(
            "/api/automations",
            json={
                "name": "Monday report",
                "skill": "noop",
                "cron": "0 9 * * MON",
                "timezone": "Europe/London",
                "output_channel": "noop",
            },
        )
        assert created.status_code == 201
        auto = created.json()
        assert auto["trigger"].startswith("At 09:00 AM") and len(auto["next_runs"]) == 3

        changed = c.patch(f"/api/automations/{auto['id']}", json={"cron": "30 7 * * *"}).json()
        assert (changed["cron"], changed["timezone"]) == ("30 7 * * *", "Europe/London")
        assert changed["next_run_at"] != auto["next_run_at"]

        paused = c.post(f"/api/automations/{auto['id']}/toggle").json()
        assert paused["enabled"] is False
        resumed = c.post(f"/api/automations/{auto['id']}/toggle").json()
        assert resumed["enabled"] is True

        queued = c.post(f"/api/automations/{auto['id']}/rerun")
        assert queued.status_code == 202 and queued.json()["status"] == "pending"
        assert ctx.wake.is_set(), "run now wakes the in-process worker"
        build_worker(sqlite_engine, ctx.settings).tick()
        done = c.get(f"/api/runs/{queued.json()['id']}").json()
        assert (done["status"], done["triggered_by"]) == ("completed", "manual")
        assert done["actions"] and done["actions"][0]["status"]

        tested = c.post(f"/api/automations/{auto['id']}/test").json()
        assert (tested["triggered_by"], tested["status"]) == ("test", "completed")
        assert tested["output"] is not None, "the requester sees their test output"

        assert (
            c.get(f"/api/automations/{auto['id']}").json()["next_run_at"] == changed["next_run_at"]
        ), "run now and test never move the schedule"

        cleared = c.delete(f"/api/automations/{auto['id']}/runs").json()
        assert cleared == {"deleted": 2}
        assert c.delete(f"/api/automations/{auto['id']}").status_code == 204
        assert c.get(f"/api/automations/{auto['id']}").status_code == 404


def test_runs_come_newest_first_a_page_at_a_time_with_a_cursor(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    auto = ctx.tools.create_automation(
        org.actor(sqlite_engine),
        AutomationSpec(name="r", skill="noop", cron="0 9 * * *", output_channel="noop"),
    )
    ids = [
        queue_run(
            sqlite_engine,
            automation_id=auto.id,
            org_id=org.fixture.org_id,
            triggered_by="manual",
            now=NOW,
            scheduled_for=NOW.replace(minute=i),
        )
        for i in range(45)
    ]
    with live_server(ctx) as url, client(url, org.member_token) as c:
        seen: list[int] = []
        cursor = None
        while True:
            params = {"limit": 20} | ({"cursor": cursor} if cursor else {})
            page = c.get(f"/api/automations/{auto.id}/runs", params=params).json()
            seen += [r["id"] for r in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == sorted(ids, reverse=True)


def test_automations_are_listed_a_page_at_a_time(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    with live_server(ctx) as url, client(url, org.admin_token) as c:
        for i in range(7):
            c.post(
                "/api/automations",
                json={
                    "name": f"a{i}",
                    "skill": "noop",
                    "cron": "0 9 * * *",
                    "output_channel": "noop",
                },
            )
        first = c.get("/api/automations", params={"limit": 5}).json()
        second = c.get(
            "/api/automations", params={"limit": 5, "cursor": first["next_cursor"]}
        ).json()
    assert [a["name"] for a in first["items"] + second["items"]] == [f"a{i}" for i in range(7)]
    assert second["next_cursor"] is None


def test_a_listed_automation_reads_exactly_as_when_fetched_alone(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    actor = org.actor(sqlite_engine, admin=True)
    for i, cron in enumerate(["0 9 * * *", "0 9 * * *", "30 7 * * MON", "0 9 * * *"]):
        ctx.tools.create_automation(
            actor,
            AutomationSpec(
                name=f"a{i}",
                skill="noop",
                cron=cron,
                output_channel="noop",
                timezone="Europe/Paris" if i == 3 else None,
            ),
        )
    ctx.tools.pause(actor, 2)
    page = ctx.tools.list_automations_page(actor, limit=10)
    assert [v.model_dump() for v in page.items] == [
        ctx.tools.get_automation(actor, v.id).model_dump() for v in page.items
    ]


def test_an_admin_hands_over_and_a_report_by_fields_names_its_period(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    slack = {"channel": "slack", "slack_channel": "D0MEMBER", "thread_ts": "1.2", "via": "slack"}
    auto = make_automation(sqlite_engine, org.fixture, NOW, origin=slack, name="Theirs")
    with live_server(make_context(sqlite_engine)) as url:
        with client(url, org.member_token) as c:
            refused = c.patch(
                f"/api/automations/{auto.id}", json={"owner_email": "admin@acme.test"}
            )
            assert refused.status_code == 403

            def period(cron: str, **params: str) -> str:
                body = {"name": "Pipeline", "skill": "pipeline-report", "cron": cron}
                created = c.post(
                    "/api/automations", json={**body, "params": params, "output_channel": "in_app"}
                )
                assert created.status_code == 201, created.text
                return str(created.json()["params"]["period"])

            # as "every day at 9 send me my pipeline" in words makes it: a daily report
            assert period("0 9 * * *") == "daily"
            assert period("0 9 * * MON") == "weekly"
            assert period("0 9 1 * *") == "monthly"
            assert period("0 9 * * *", period="weekly") == "weekly"  # what is given stays
        with client(url, org.admin_token) as admin:
            handed = admin.patch(
                f"/api/automations/{auto.id}", json={"owner_email": "admin@acme.test"}
            )
            assert handed.status_code == 200, handed.text
            assert handed.json()["owner_email"] == "admin@acme.test"
    kept = get_automation(sqlite_engine, org.fixture.org_id, auto.id or 0)
    # its notices now reach the new owner by e-mail, not the old owner's DM
    assert (kept.owner_id, kept.origin) == (
        org.fixture.admin_id,
        {"channel": "email", "via": "slack"},
    )
