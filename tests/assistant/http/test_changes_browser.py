"""A member reads the history of changes to their own automation in headless Chromium: from the
automation's page, its "History of changes" link lists who changed it (an admin's pause
included) with times in the member's own zone; their page of all changes leaves out a
colleague's automation, whose history they are refused."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.tools.toolset import Actor
from assistant.tools.views import AutomationSpec
from models.store.orgs import get_user
from models.tables.orgs import User
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.assistant.http.test_dashboard_browser import chromium  # noqa: F401

NOW = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)  # 09:05 in New York (EST)
ZONE = "America/New_York"


def _reminder(name: str) -> AutomationSpec:
    return AutomationSpec(
        name=name, skill="reminder", params={"message": "check offers"}, cron="0 9 * * 1"
    )


def test_a_member_reads_their_automations_changes_in_their_own_zone(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with Session(sqlite_engine) as s:
        s.execute(update(User).where(col(User.id) == org.fixture.member_id).values(timezone=ZONE))
        s.commit()
    ctx = make_context(sqlite_engine, clock=lambda: NOW)
    member = Actor.of(get_user(sqlite_engine, org.fixture.member_id))
    admin = Actor.of(get_user(sqlite_engine, org.fixture.admin_id))
    mine = ctx.tools.create_automation(member, _reminder("Chase offers")).id
    ctx.tools.pause(admin, mine)
    theirs = ctx.tools.create_automation(admin, _reminder("Admin's own")).id
    ctx.tools.update_automation(admin, theirs, {"cron": "0 8 * * 1"})

    with live_server(ctx) as url:
        browser = chromium.new_context()
        page = browser.new_page()
        page.goto(f"{url}/login?token={org.member_token}")
        page.get_by_role("button", name="Sign in as Max Member").click()
        expect(page.get_by_role("heading", name="Automations")).to_be_visible()

        page.goto(f"{url}/automations/{mine}")
        page.get_by_role("link", name="History of changes").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"History of changes of #{mine} “Chase offers”"
        )
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Ada Admin (admin@acme.test)")
        expect(rows.nth(0)).to_contain_text(f"paused #{mine}")
        expect(rows.nth(1)).to_contain_text(f"created #{mine}")
        when = rows.nth(0).locator("time")
        expect(when).to_have_attribute("datetime", "2026-03-02T14:05:00Z")
        expect(when).to_have_attribute("title", f"Mon 02 Mar 2026 09:05 EST ({ZONE})")
        expect(when).to_contain_text("today 09:05 EST")

        page.get_by_role("link", name="All changes").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("History of changes")
        expect(page.locator("tbody tr")).to_have_count(2)
        expect(page.locator("main")).not_to_contain_text(f"#{theirs}")

        refused = page.goto(f"{url}/changes?automation={theirs}")
        assert refused is not None and refused.status == 403
        expect(page.locator("main")).not_to_contain_text("0 8 * * 1")
        browser.close()
