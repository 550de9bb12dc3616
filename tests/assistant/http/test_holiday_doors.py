"""Skipping holidays through every door, on one served app (SQLite): the REST API
(`skip_holidays` on POST and PATCH, the view's `holiday_runs`), the dashboard (the form's
checkbox creates and clears it, the automation page says it), MCP (update_automation's field
and its words) and the command line (--skip-holidays, --run-on-holidays). A one-off that asks
for it is refused in the same one line at each door, and nothing is made."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from assistant.tools.validation import NO_HOLIDAY_SKIPPING
from bench.kit.factories import make_automation
from models.engine import make_engine
from models.store import calendars
from models.store.automations import get_automation, list_automations
from tests.assistant.http.service_harness import client, live_server, make_context
from tests.assistant.http.service_harness import make_org_with_tokens as org_with_tokens
from tests.assistant.mcp.test_mcp_server import call, server_for
from tests.cli_in_process import copy_migrated_database, run_skilltick
from tests.login import sign_in

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
CHRISTMAS = date(2026, 12, 25)


def _refusal(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["error"]["message"])


def test_rest_the_dashboard_and_mcp(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    org = org_with_tokens(engine, NOW, slug="acme")
    org_id = org.fixture.org_id
    calendars.add_holiday(engine, org_id, CHRISTMAS, "Christmas Day")
    body = {"name": "Weekdays", "skill": "noop", "cron": "0 9 * * 1-5", "timezone": "UTC"}
    with live_server(make_context(engine, clock=lambda: NOW)) as url:
        with client(url, org.member_token) as c:
            made = c.post("/api/automations", json={**body, "skip_holidays": True})
            assert made.status_code == 201, made.text
            view = made.json()
            assert view["skip_holidays"] is True
            assert view["holiday_runs"] == ["2026-12-25T09:00:00Z"]
            plain = c.post("/api/automations", json={**body, "name": "Plain"}).json()
            listed = {a["id"]: a for a in c.get("/api/automations").json()["items"]}
            # a listing works out a shared schedule once, but never another's holidays
            assert listed[view["id"]]["holiday_runs"] == view["holiday_runs"]
            assert listed[plain["id"]]["holiday_runs"] == [] and not plain["skip_holidays"]
            off = c.patch(f"/api/automations/{view['id']}", json={"skip_holidays": False})
            assert off.json()["skip_holidays"] is False and off.json()["holiday_runs"] == []
            once = {"name": "Once", "skill": "noop", "once": "2026-12-25T09:00:00Z"}
            refused = c.post("/api/automations", json={**once, "skip_holidays": True})
            assert _refusal(refused) == NO_HOLIDAY_SKIPPING
            null = c.patch(f"/api/automations/{view['id']}", json={"skip_holidays": None})
            assert null.status_code == 422

        web = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
        assert sign_in(web, org.member_token).status_code == 303
        form = web.get("/automations/new").text
        assert 'name="skip_holidays" value="yes"' in form
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf
        fields = {**body, "csrf": csrf.group(1), "trigger_type": "cron", "to": "me"}
        fields.update(output_channel="email", params="")
        created = web.post("/automations/new", data={**fields, "skip_holidays": "yes"})
        assert created.status_code == 303, created.text
        page = web.get(created.headers["location"]).text
        assert "<dt>Holidays</dt><dd>It skips your organisation&#39;s holidays: 1" in page, page
        assert "(Fri 25 Dec)" in page
        auto_id = int(created.headers["location"].rsplit("/", 1)[1].split("?")[0])
        edit = web.get(f"/automations/{auto_id}/edit").text
        assert re.search(r'name="skip_holidays" value="yes"\s+checked', edit), edit
        cleared = web.post(f"/automations/{auto_id}/edit", data=fields)  # the box unticked
        assert cleared.status_code == 303, cleared.text
        assert not get_automation(engine, org_id, auto_id).skip_holidays
        page = web.get(f"/automations/{auto_id}").text
        assert "It runs on your organisation&#39;s holidays too." in page
        web.close()

    server = server_for(engine, org.fixture.member_id)
    result = call(
        server, "update_automation", {"automation_id": auto_id, "change": "skip holidays"}
    )
    assert not result.is_error and result.structured_content["skip_holidays"] is True
    result = call(
        server, "update_automation", {"automation_id": auto_id, "fields": {"skip_holidays": False}}
    )
    assert result.structured_content["skip_holidays"] is False
    one_off = make_automation(engine, org.fixture, NOW, once=NOW + timedelta(days=3))
    result = call(
        server,
        "update_automation",
        {"automation_id": one_off.id, "fields": {"skip_holidays": True}},
    )
    assert result.is_error and NO_HOLIDAY_SKIPPING in result.content[0].text, result
    assert not get_automation(engine, org_id, one_off.id or 0).skip_holidays


def test_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_migrated_database(tmp_path)
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    org = org_with_tokens(engine, NOW, slug="acme").fixture
    # a weekday two weeks from the real clock (the command line reads it)
    day = datetime.now(UTC).date() + timedelta(days=14)
    day += timedelta(days=max(0, day.weekday() - 4) and 7 - day.weekday())
    calendars.add_holiday(engine, org.org_id, day, "Day off")
    env = {"SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    who = ["--org", "acme", "--user", org.member_email]
    made = run_skilltick(
        [
            *("automations", "create", *who, "--name", "Daily", "--skill", "noop"),
            *("--cron", "0 9 * * 1-5", "--tz", "UTC", "--channel", "in_app", "--skip-holidays"),
        ],
        env,
    )
    assert made.returncode == 0, made
    said = f"It skips your organisation's holidays: 1 in the next 90 days falls on its runs ({day:%a} {day.day} {day:%b})."
    assert said in made.stdout, made.stdout
    (auto,) = list_automations(engine, org.org_id)
    off = run_skilltick(["automations", "update", str(auto.id), *who, "--run-on-holidays"], env)
    assert "It runs on your organisation's holidays too." in off.stdout, off
    assert not get_automation(engine, org.org_id, auto.id or 0).skip_holidays
    once = run_skilltick(
        [
            *("automations", "create", *who, "--name", "Once", "--skill", "noop"),
            *("--once", "2030-01-01T09:00Z", "--channel", "in_app", "--skip-holidays"),
        ],
        env,
    )
    assert once.returncode != 0 and NO_HOLIDAY_SKIPPING in once.stdout + once.stderr, once
    assert len(list_automations(engine, org.org_id)) == 1
    engine.dispose()
