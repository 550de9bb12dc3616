"""The admin page in headless Chromium: an admin adds a colleague, makes them admin, invites
someone by e-mail, and the invited person joins through the link in their own browser and is
signed in; a member has no Admin page. Screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.orgs import find_user
from tests.assistant.http.service_harness import (
    free_port,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.assistant.http.test_dashboard_browser import ARTIFACTS, chromium  # noqa: F401
from tests.login import signed_in_page

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_an_admin_manages_users_and_an_invited_person_joins(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    acme = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    theirs = make_automation(sqlite_engine, acme.fixture, NOW, name="Theirs")
    port = free_port()
    # the address invitation links carry
    settings = load_settings(public_url=f"http://127.0.0.1:{port}")
    with live_server(make_context(sqlite_engine, settings), port) as url:
        admin = signed_in_page(chromium, url, acme.admin_token)
        admin.get_by_role("link", name="Admin").click()
        expect(admin.get_by_role("heading", name="People")).to_be_visible()
        # one table of people: each once, with their counts and the role they can be given
        expect(admin.locator("table", has_text="member@acme.test")).to_have_count(1)

        admin.locator("#add-email").fill("pat@acme.test")
        admin.locator("#add-name").fill("Pat Partner")
        admin.get_by_role("button", name="Add user").click()
        expect(admin.get_by_role("status")).to_have_text("User added.")
        pat = find_user(sqlite_engine, acme.fixture.org_id, "pat@acme.test")
        admin.get_by_label("Role of pat@acme.test", exact=True).select_option("admin")
        admin.get_by_role("button", name="Save the role of pat@acme.test").click()
        expect(admin.get_by_role("status")).to_have_text("Role changed.")
        assert find_user(sqlite_engine, acme.fixture.org_id, "pat@acme.test").role == "admin"
        assert pat.id is not None

        admin.locator("#invite-email").fill("ivy@acme.test")
        admin.get_by_role("button", name="Send invitation").click()
        link = admin.locator("#invitation-link").inner_text()
        assert "/invite/inv_" in link
        admin.screenshot(path=str(ARTIFACTS / "admin-invitation.png"), full_page=True)

        # the holiday calendar, kept on the same page
        admin.locator("#holiday-day").fill("2026-12-24")
        admin.locator("#holiday-name").fill("Christmas Eve")
        admin.get_by_role("button", name="Add holiday").click()
        expect(admin.get_by_role("status")).to_have_text("Holiday added.")
        expect(admin.locator("#holidays ~ table")).to_contain_text("Thu 24 Dec 2026")
        # a member's automation handed to a colleague from its page
        admin.goto(f"{url}/automations/{theirs.id}")
        admin.get_by_label("New owner").select_option("pat@acme.test")
        admin.get_by_role("button", name="Give it").click()
        expect(admin.locator("dl.facts")).to_contain_text("pat@acme.test")
        assert get_automation(sqlite_engine, acme.fixture.org_id, theirs.id or 0).owner_id == pat.id
        admin.goto(f"{url}/admin")

        admin.get_by_role("button", name="Remove member@acme.test").click()
        expect(admin.get_by_role("status")).to_contain_text("User removed")

        invited = chromium.new_context().new_page()
        invited.goto(link)
        invited.get_by_role("button", name="Join Acme").click()
        expect(invited.get_by_role("heading", name="Automations")).to_be_visible()
        expect(invited.get_by_text("ivy@acme.test (member)")).to_be_visible()
        assert invited.get_by_role("link", name="Admin").count() == 0
        invited.goto(link)
        expect(invited.get_by_text("already")).to_be_visible()
