"""Administration through REST (/api/admin) and the dashboard's admin page: an organisation's
admins manage its users and invitations, their own organisation only; members are refused.
An invitation link is used once, before it expires, and signs its recipient in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant.tools.toolset import Actor
from bench.kit.factories import make_automation
from models.store.automations import get_automation
from models.store.orgs import find_user
from models.tables.conversations import AutomationDraft, SlackThread
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_admins_manage_their_organisations_users_through_the_api(engine: Engine) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    other = make_org_with_tokens(engine, NOW, slug="other")
    # set up in the member's Slack DM: its notices went there
    slack = {"channel": "slack", "slack_channel": "D0MEMBER", "thread_ts": None, "via": "slack"}
    auto = make_automation(engine, acme.fixture, NOW, origin=slack)
    ctx = make_context(engine, clock=Clock())
    with live_server(ctx) as url, client(url, acme.admin_token) as api:
        added = api.post("/api/admin/users", json={"email": "new@acme.test", "name": "Nia"})
        assert added.status_code == 201, added.text
        new_id = added.json()["id"]
        emails = [u["email"] for u in api.get("/api/admin/users").json()]
        assert emails == ["admin@acme.test", "member@acme.test", "new@acme.test"]
        again = api.post("/api/admin/users", json={"email": "NEW@acme.test"})
        assert again.status_code == 422 and "already" in again.json()["error"]["message"]
        promoted = api.patch(f"/api/admin/users/{new_id}", json={"role": "admin"})
        assert promoted.status_code == 200 and promoted.json()["role"] == "admin"
        # another organisation's user is not found, whatever the id
        foreign = api.patch(f"/api/admin/users/{other.fixture.member_id}", json={"role": "admin"})
        assert foreign.status_code == 404
        assert api.delete(f"/api/admin/users/{other.fixture.member_id}").status_code == 404
        # a colleague takes over: the leaving one's automation is theirs, paused
        refused = api.delete(
            f"/api/admin/users/{acme.fixture.member_id}", params={"heir": "member@acme.test"}
        )
        assert refused.status_code == 422 and "who leaves" in refused.json()["error"]["message"]
        removed = api.delete(
            f"/api/admin/users/{acme.fixture.member_id}", params={"heir": "new@acme.test"}
        )
        assert removed.status_code == 200, removed.text
        assert removed.json() == {
            "email": "member@acme.test",
            "automations_moved": 1,
            "heir_email": "new@acme.test",
            "tokens_revoked": 0,
        }
    moved = get_automation(engine, acme.fixture.org_id, auto.id or 0)
    assert moved.owner_id == new_id and not moved.enabled
    # its notices reach the heir by e-mail, no longer the leaver's DM
    assert moved.origin == {"channel": "email", "via": "slack"}
    with live_server(ctx) as url, client(url, acme.member_token) as api:
        assert api.get("/api/me").status_code == 401, "a removed user's token ends"


def test_members_are_refused_and_the_last_admin_stays(engine: Engine) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    ctx = make_context(engine, clock=Clock())
    with live_server(ctx) as url:
        with client(url, acme.member_token) as api:
            for method, path, body in (
                ("GET", "/api/admin/users", None),
                ("POST", "/api/admin/users", {"email": "x@acme.test"}),
                ("PATCH", f"/api/admin/users/{acme.fixture.member_id}", {"role": "admin"}),
                ("DELETE", f"/api/admin/users/{acme.fixture.admin_id}", None),
                ("POST", "/api/admin/invitations", {"email": "x@acme.test"}),
                ("GET", "/api/admin/invitations", None),
            ):
                answer = api.request(method, path, json=body)
                assert answer.status_code == 403, (method, path, answer.text)
                assert answer.json()["error"]["code"] == "permission_denied"
        with client(url, acme.admin_token) as api:
            demote = api.patch(f"/api/admin/users/{acme.fixture.admin_id}", json={"role": "member"})
            assert demote.status_code == 422 and "only admin" in demote.json()["error"]["message"]
            for body in (
                {"email": "not-an-address"},
                {"email": "a@b.test", "name": "x\u0000y"},
                {"email": "a@b.test", "name": "n" * 300},
                {"email": "a@b.test", "role": "owner"},
            ):
                answer = api.post("/api/admin/users", json=body)
                assert answer.status_code == 422, (body, answer.text)
            assert len(api.get("/api/admin/users").json()) == 2, "nothing was added"


def test_an_invitation_link_signs_its_recipient_in_once(engine: Engine) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    clock = Clock()
    ctx = make_context(engine, clock=clock)
    with live_server(ctx) as url, client(url, acme.admin_token) as api:
        sent = api.post("/api/admin/invitations", json={"email": "ivy@acme.test", "role": "admin"})
        assert sent.status_code == 201, sent.text
        link = sent.json()["link"]
        path = "/invite/" + link.rsplit("/invite/", 1)[1]
        assert [i["email"] for i in api.get("/api/admin/invitations").json()] == ["ivy@acme.test"]
        # the e-mail carries the link (no SMTP here: the local outbox)
        admin = acme.actor(engine, admin=True)
        outbox = ctx.tools.list_outbox(admin).items
        message = ctx.tools.get_outbox_message(admin, outbox[0].id)
        assert message.to == "ivy@acme.test" and link in message.text

        # a browser posts the Join button with the page's origin
        browser = httpx.Client(
            base_url=url, follow_redirects=False, timeout=30, headers={"Origin": url}
        )
        offer = browser.get(path)
        assert offer.status_code == 200 and "Join Acme" in offer.text
        assert browser.get(path).status_code == 200, "looking at the link does not use it"
        # another site's page posting the link is refused and does not use it
        forged = httpx.post(f"{url}{path}", headers={"Origin": "http://evil.example"}, timeout=30)
        assert forged.status_code == 403 and "skilltick_session" not in forged.cookies
        joined = browser.post(path)
        assert joined.status_code == 303 and joined.headers["location"] == "/"
        home = browser.get("/")
        assert home.status_code == 200 and "ivy@acme.test (admin)" in home.text
        assert find_user(engine, acme.fixture.org_id, "ivy@acme.test").role == "admin"

        second = httpx.Client(
            base_url=url, follow_redirects=False, timeout=30, headers={"Origin": url}
        )
        assert second.post(path).status_code == 422, "an invitation is used once"
        assert second.get("/").status_code == 303
        assert api.get("/api/admin/invitations").json() == []

        late = api.post("/api/admin/invitations", json={"email": "lee@acme.test"}).json()
        late_path = "/invite/" + late["link"].rsplit("/invite/", 1)[1]
        revoked = api.post("/api/admin/invitations", json={"email": "rex@acme.test"}).json()
        assert api.delete(f"/api/admin/invitations/{revoked['id']}").status_code == 200
        revoked_path = "/invite/" + revoked["link"].rsplit("/invite/", 1)[1]
        assert second.post(revoked_path).status_code == 404
        clock.now = NOW + timedelta(days=7)
        expired = second.post(late_path)
        assert expired.status_code == 422 and "expired" in expired.text
        assert second.get("/invite/inv_forged").status_code == 404


def test_the_admin_page_adds_changes_and_removes_users_and_invites(engine: Engine) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    ctx = make_context(engine, clock=Clock())
    with live_server(ctx) as url:
        browser = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
        assert sign_in(browser, acme.admin_token).status_code == 303
        page = browser.get("/admin")
        assert page.status_code == 200 and "member@acme.test" in page.text
        csrf = csrf_of(page.text)
        added = browser.post(
            "/admin/users", data={"csrf": csrf, "email": "pat@acme.test", "role": "member"}
        )
        assert added.status_code == 303
        refused = browser.post("/admin/users", data={"csrf": csrf, "email": "pat@acme.test"})
        assert "already" in refused.text
        pat = find_user(engine, acme.fixture.org_id, "pat@acme.test")
        browser.post(f"/admin/users/{pat.id}/role", data={"csrf": csrf, "role": "admin"})
        assert find_user(engine, acme.fixture.org_id, "pat@acme.test").role == "admin"
        invited = browser.post(
            "/admin/invitations", data={"csrf": csrf, "email": "ivy@acme.test", "role": "member"}
        )
        assert invited.status_code == 200 and "/invite/inv_" in invited.text
        assert "ivy@acme.test" in browser.get("/admin").text
        assert "Who takes over the automations of member@acme.test" in browser.get("/admin").text
        taken = make_automation(engine, acme.fixture, NOW, name="Taken over")
        gone = browser.post(
            f"/admin/users/{acme.fixture.member_id}/remove",
            data={"csrf": csrf, "heir": "pat@acme.test"},
        )
        assert gone.status_code == 303 and gone.headers["location"].endswith("notice=handed")
        assert get_automation(engine, acme.fixture.org_id, taken.id or 0).owner_id == pat.id
        assert "member@acme.test" not in browser.get("/admin").text
        member = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
        admin_actor = Actor.of(find_user(engine, acme.fixture.org_id, "admin@acme.test"))
        token = ctx.tools.create_api_token(admin_actor, user_email="pat@acme.test")
        ctx.tools.set_user_role(admin_actor, "pat@acme.test", "member")
        assert sign_in(member, token.token).status_code == 303
        assert member.get("/admin").status_code == 403


def test_removing_a_user_lets_go_of_everything_that_named_them(engine: Engine) -> None:
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    member = acme.fixture.member_id
    with Session(engine) as s:
        draft = AutomationDraft(
            org_id=acme.fixture.org_id,
            user_id=member,
            request="weekly report",
            created_at=NOW,
            expires_at=NOW + timedelta(days=1),
        )
        s.add(draft)
        s.flush()
        thread = SlackThread(
            org_id=acme.fixture.org_id,
            draft_id=draft.id,
            channel_id="C1",
            thread_ts="1.1",
            slack_user_id="U1",
            created_at=NOW,
        )
        s.add(thread)
        s.commit()
        thread_id = thread.id
    ctx = make_context(engine, clock=Clock())
    with live_server(ctx) as url, client(url, acme.admin_token) as api:
        removed = api.delete(f"/api/admin/users/{member}")
        assert removed.status_code == 200, removed.text
    with Session(engine) as s:
        kept = s.get(SlackThread, thread_id)
        assert kept is not None and kept.draft_id is None
        assert s.exec(select(AutomationDraft)).all() == []


def test_the_admin_page_keeps_the_holiday_calendar(sqlite_engine: Engine) -> None:
    acme = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine, clock=Clock())
    admin = Actor.of(find_user(sqlite_engine, acme.fixture.org_id, "admin@acme.test"))
    with live_server(ctx) as url:
        browser = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
        assert sign_in(browser, acme.admin_token).status_code == 303
        csrf = csrf_of(browser.get("/admin").text)
        added = browser.post(
            "/admin/holidays", data={"csrf": csrf, "day": "2026-12-24", "name": "Christmas Eve"}
        )
        assert added.status_code == 303
        page = browser.get("/admin?notice=holiday").text
        assert "Holiday added." in page and "Thu 24 Dec 2026" in page and "Christmas Eve" in page
        twice = browser.post("/admin/holidays", data={"csrf": csrf, "day": "2026-12-24"})
        assert "2026-12-24 is already a holiday." in twice.text
        bad = browser.post("/admin/holidays", data={"csrf": csrf, "day": "24/12/2026"})
        assert "is not a date; use YYYY-MM-DD" in bad.text
        assert [h.name for h in ctx.tools.list_holidays(admin)] == ["Christmas Eve"]
        removed = browser.post("/admin/holidays/2026-12-24/remove", data={"csrf": csrf})
        assert removed.status_code == 303
        assert ctx.tools.list_holidays(admin) == []
        # what the CLI and the dashboard change, the audit log says alike
        assert "the holiday 2026-12-24" in browser.get("/admin/audit").text
