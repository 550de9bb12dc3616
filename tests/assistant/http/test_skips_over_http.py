"""Skipping chosen runs over HTTP, on SQLite and PostgreSQL, one server for both doors: the REST
API (POST /api/automations/{id}/skips in words or as instants, GET, DELETE …/skips/{instant}
and DELETE with a body) and the dashboard (the next-runs list marks a skipped run, its Skip
and Unskip buttons post to the same tool set). A day without a run, a run not skipped or a
body naming nothing is a one-line 422 that changes nothing; another member's automation is
refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.skip_list import read_skips
from models.store.automations import get_automation
from models.store.orgs import create_user
from tests.assistant.http.service_harness import client, live_server, make_context
from tests.assistant.http.service_harness import make_org_with_tokens as org_with_tokens
from tests.login import sign_in

NOW = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # a Monday
# every Monday at 9 in New York: 14:00 UTC in December
MONDAYS = [datetime(2026, 12, 7, 14, 0, tzinfo=UTC) + timedelta(days=7 * n) for n in range(5)]


def _error(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    message = str(response.json()["error"]["message"])
    assert message and "\n" not in message
    return message


def _iso(instants: list[str]) -> list[datetime]:
    return [datetime.fromisoformat(t).astimezone(UTC) for t in instants]


def test_skips_over_rest_and_the_dashboard(engine: Engine) -> None:
    org = org_with_tokens(engine, NOW, slug="acme")
    auto = make_automation(
        engine, org.fixture, NOW, cron="0 9 * * 1", tz="America/New_York", name="Pipeline"
    )
    other = create_user(engine, org_id=org.fixture.org_id, email="o@acme.test", now=NOW)
    theirs = make_automation(engine, org.fixture, NOW, cron="0 9 * * 1", owner_id=other.id)
    path = f"/api/automations/{auto.id}/skips"
    with live_server(make_context(engine, clock=lambda: NOW)) as url:
        with client(url, org.member_token) as c:
            said = c.post(path, json={"words": "Dec 14 and 21"})
            assert said.status_code == 200, said.text
            assert _iso(said.json()["skipped"]) == MONDAYS[1:3]
            assert _iso([said.json()["next_run_at"]]) == [MONDAYS[0]]
            at = c.post(path, json={"at": [MONDAYS[4].isoformat()]})
            assert _iso(at.json()["skips"]) == [*MONDAYS[1:3], MONDAYS[4]], at.text
            view = c.get(f"/api/automations/{auto.id}").json()
            assert view["enabled"] is True and _iso(view["skipped"]) == _iso(at.json()["skips"])

            assert "has no run on Tue 15 Dec" in _error(c.post(path, json={"words": "Dec 15"}))
            assert "has no run ahead" in _error(
                c.post(path, json={"at": ["2026-12-14T15:00:00+00:00"]})
            )
            _error(c.post(path, json={}))
            _error(c.post(path, json={"words": "Dec 14", "at": [MONDAYS[1].isoformat()]}))
            refused = c.post(f"/api/automations/{theirs.id}/skips", json={"words": "Dec 14"})
            assert refused.status_code in (403, 404), refused.text

            one = c.delete(f"{path}/{quote(MONDAYS[4].isoformat())}")
            assert one.status_code == 200, one.text
            assert _iso(one.json()["skipped"]) == [MONDAYS[4]]
            assert "skips none of those runs" in _error(
                c.delete(f"{path}/{quote(MONDAYS[3].isoformat())}")
            )
            body = c.request("DELETE", path, json={"words": "Dec 21"})
            assert _iso(body.json()["skips"]) == [MONDAYS[1]], body.text
            assert _iso(c.get(path).json()["skips"]) == [MONDAYS[1]]

        web = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
        assert sign_in(web, org.member_token).status_code == 303
        page = web.get(f"/automations/{auto.id}").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        marked = re.findall(r'<li class="skipped"><time datetime="([^"]+)"', page)
        assert marked == ["2026-12-14T14:00:00Z"], page
        assert page.count('<span class="badge">skipped</span>') == 1
        assert 'aria-label="Unskip the run of Mon 14 Dec 2026 14:00 UTC"' in page
        skipped = web.post(
            f"/automations/{auto.id}/skip",
            data={"csrf": csrf.group(1), "at": MONDAYS[0].isoformat()},
        )
        assert skipped.status_code == 303, skipped.text
        back = web.post(
            f"/automations/{auto.id}/unskip",
            data={"csrf": csrf.group(1), "at": MONDAYS[1].isoformat()},
        )
        assert back.status_code == 303, back.text
        # the lists say the next run it makes; next_run_at stays when the tick takes it up
        listed = web.get("/").text
        assert '<time datetime="2026-12-14T14:00:00Z"' in listed, listed
        web.close()
        with client(url, org.member_token) as c:
            view = c.get(f"/api/automations/{auto.id}").json()
            assert _iso([view["next_run_at"], view["next_kept_run_at"]]) == MONDAYS[:2]
    stored = get_automation(engine, org.fixture.org_id, auto.id or 0)
    assert stored.enabled and list(read_skips(stored.skips)) == [MONDAYS[0]]
