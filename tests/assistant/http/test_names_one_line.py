"""Names are one line of visible text, whatever names them over REST: an automation, a token,
a user, an invitation. A line break in a person's name ended every e-mail header it went into,
so that person got no mail (their invitation "could not be built"). Refused with 422, one line
saying which character, and nothing is stored; names already stored keep working."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.factories import make_automation
from models.store.access import list_tokens
from models.store.automations import get_automation, list_automations
from models.store.orgs import list_users
from models.tables.automations import Automation
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

#: a line break (CR, LF, the Unicode separators), a bell, a tab and a right-to-left override
BAD = ["Bob\r\nBcc: evil@x.test", "Bob\nSmith", "Bob\u2028Smith", "Bob\x07", "Bob\tS", "Bob\u202eS"]


def _refused(answer: httpx.Response, char: str) -> None:
    assert answer.status_code == 422, answer.text
    message = answer.json()["error"]["message"]
    assert "one line" in message and f"U+{ord(char):04X}" in message, message
    assert "\n" not in message


@pytest.mark.parametrize("name", BAD)
def test_a_name_with_a_line_break_or_control_character_is_refused_and_nothing_stored(
    engine: Engine, name: str
) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    auto = make_automation(engine, acme.fixture, NOW, name="Report")
    bad = next(c for c in name if not c.isalnum() and c not in " :@.")
    users_before = list_users(engine, acme.fixture.org_id)
    with live_server(make_context(engine)) as url, client(url, acme.admin_token) as api:
        spec = {"name": name, "skill": "noop", "cron": "0 9 * * *", "timezone": "UTC"}
        _refused(api.post("/api/automations", json=spec), bad)
        _refused(api.patch(f"/api/automations/{auto.id}", json={"name": name}), bad)
        _refused(api.post("/api/tokens", json={"name": name}), bad)
        new_user = {"email": "bob@acme.test", "name": name}
        _refused(api.post("/api/admin/users", json=new_user), bad)
        _refused(api.post("/api/admin/invitations", json=new_user), bad)
        _refused(api.post("/api/admin/invitations", json={"email": f"bob{bad}@acme.test"}), bad)
        assert api.get("/api/admin/invitations").json() == []
    assert [a.name for a in list_automations(engine, acme.fixture.org_id)] == ["Report"]
    assert len(list_tokens(engine, acme.fixture.org_id)) == 2
    assert list_users(engine, acme.fixture.org_id) == users_before


def test_an_invited_person_with_a_plain_name_is_sent_the_invitation(engine: Engine) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    with live_server(make_context(engine)) as url, client(url, acme.admin_token) as api:
        issued = api.post(
            "/api/admin/invitations", json={"email": "bob@acme.test", "name": "Bob Smith-Ó"}
        )
        assert issued.status_code == 201, issued.text
        assert issued.json()["emailed"] is True, issued.json()["note"]


def test_an_automation_whose_stored_name_has_a_line_break_can_still_be_paused_and_renamed(
    engine: Engine,
) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    auto = make_automation(engine, acme.fixture, NOW, name="Report")
    with Session(engine) as session:  # stored before names were checked
        row = session.get(Automation, auto.id)
        assert row is not None
        row.name = "Old\nname"
        session.add(row)
        session.commit()
    with live_server(make_context(engine)) as url, client(url, acme.member_token) as api:
        paused = api.post(f"/api/automations/{auto.id}/toggle", json={"enabled": False})
        assert paused.status_code == 200, paused.text
        changed = api.patch(f"/api/automations/{auto.id}", json={"cron": "0 10 * * *"})
        assert changed.status_code == 200, changed.text
        renamed = api.patch(f"/api/automations/{auto.id}", json={"name": "New name"})
        assert renamed.status_code == 200, renamed.text
    assert get_automation(engine, acme.fixture.org_id, auto.id or 0).name == "New name"
