"""The dashboard as its viewers read it, in headless Chromium: every time in the viewer's own
zone (theirs, else their organisation's) with the exact instant kept in <time datetime>, the
skills a person may choose (never one kept for tests), and words where the codes were."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.store.access import create_token
from models.store.automations import get_automation
from models.store.orgs import create_user, get_user
from tests.assistant.http.service_harness import live_server, make_context
from tests.assistant.http.test_dashboard_browser import ARTIFACTS, chromium  # noqa: F401
from tests.login import signed_in_page

# a Monday, 08:00 UTC: 00:00 in Los Angeles, 13:30 in Kolkata
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _expected_words(instant: datetime, zone: str) -> str:
    """The day and clock a person in `zone` reads for `instant`, from zoneinfo alone."""
    local = instant.astimezone(ZoneInfo(zone))
    today = NOW.astimezone(ZoneInfo(zone)).date()
    day = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(
        (local.date() - today).days, f"{local:%a} {local.day} {local:%b}"
    )
    return f"{day} {local:%H:%M %Z}"


@dataclass(frozen=True)
class Acme:
    org_id: int
    report_id: int
    tokens: dict[str, str]  # by viewer: "kai", "admin"


@pytest.fixture
def org(sqlite_engine: Engine) -> Acme:
    """An organisation in Los Angeles, its admin (no zone of their own) and Kai, a recruiter in
    Kolkata, who owns a weekly report (London time) and an in-app alert."""
    fixture = make_org(sqlite_engine, NOW, slug="acme", timezone="America/Los_Angeles")
    kai = create_user(
        sqlite_engine,
        org_id=fixture.org_id,
        email="kai@acme.test",
        name="Kai Kolkata",
        now=NOW,
        timezone="Asia/Kolkata",
    )
    report = make_automation(
        sqlite_engine,
        fixture,
        NOW,
        cron="0 9 * * MON",
        tz="Europe/London",
        skill="pipeline-report",
        channel="email",
        owner_id=kai.id,
        name="Weekly pipeline report",
    )
    alert = make_automation(
        sqlite_engine,
        fixture,
        NOW,
        cron="30 7 * * *",
        tz="Asia/Kolkata",
        skill="new-candidate-alert",
        channel="in_app",
        owner_id=kai.id,
        name="Morning applicants",
    )
    admin = get_user(sqlite_engine, fixture.admin_id)
    assert alert.id
    return Acme(
        fixture.org_id,
        report.id or 0,
        {
            "kai": create_token(sqlite_engine, user=kai, name="b", now=NOW).secret,
            "admin": create_token(sqlite_engine, user=admin, name="b", now=NOW).secret,
        },
    )


@pytest.mark.parametrize(
    ("viewer", "zone"), [("kai", "Asia/Kolkata"), ("admin", "America/Los_Angeles")]
)
def test_times_read_in_the_viewers_zone_and_keep_the_exact_instant(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
    org: Acme,
    viewer: str,
    zone: str,
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    report = get_automation(sqlite_engine, org.org_id, org.report_id)
    assert report.next_run_at is not None
    stored = report.next_run_at.replace(tzinfo=report.next_run_at.tzinfo or UTC)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with live_server(make_context(sqlite_engine, clock=lambda: NOW)) as url:
        for width in (1280, 390):
            page = signed_in_page(chromium, url, org.tokens[viewer], width=width)
            row = page.get_by_role("row").filter(has_text="Weekly pipeline report")
            shown = row.locator('td[data-label="Next run"] time')
            expect(shown).to_have_attribute("datetime", stored.strftime("%Y-%m-%dT%H:%M:%SZ"))
            expect(shown).to_contain_text(_expected_words(stored, zone))
            minutes = round((stored - NOW).total_seconds() / 60)
            expect(shown).to_contain_text(f"in {minutes // 60} h")
            assert "UTC" not in page.locator("main").inner_text()
            page.screenshot(path=str(ARTIFACTS / f"viewer-{viewer}-{width}.png"), full_page=True)

        page.get_by_role("link", name="Weekly pipeline report").click()
        upcoming = page.locator(".facts time")
        expect(upcoming).to_have_count(3)
        for i in range(3):
            instant = stored + timedelta(weeks=i)
            expect(upcoming.nth(i)).to_have_attribute(
                "datetime", instant.strftime("%Y-%m-%dT%H:%M:%SZ")
            )
            expect(upcoming.nth(i)).to_contain_text(_expected_words(instant, zone))


def test_the_new_page_and_the_skill_lists_offer_no_test_skill(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
    org: Acme,
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(chromium, Browser)
    with live_server(make_context(sqlite_engine, clock=lambda: NOW)) as url:
        page = signed_in_page(chromium, url, org.tokens["kai"])
        page.get_by_role("link", name="New", exact=True).click()
        skill = page.get_by_label("Skill", exact=True)
        offered = skill.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
        assert "pipeline-report" in offered and "noop" not in offered
        assert "benchmarks" not in skill.inner_text()
        api = httpx.get(
            f"{url}/api/skills",
            headers={"Authorization": f"Bearer {org.tokens['kai']}"},
            timeout=30,
        )
        names = {s["name"] for s in api.json()}
        assert "pipeline-report" in names and "noop" not in names


def test_the_list_says_what_each_automation_does_and_where_it_goes_in_words(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
    org: Acme,
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    with live_server(make_context(sqlite_engine, clock=lambda: NOW)) as url:
        page = signed_in_page(chromium, url, org.tokens["kai"])
        alert = page.get_by_role("row").filter(has_text="Morning applicants")
        expect(alert.locator('td[data-label="Output"]')).to_have_text("in-app notification")
        expect(alert.locator('td[data-label="Action"]')).to_contain_text(
            "an alert about new candidates"
        )
        report = page.get_by_role("row").filter(has_text="Weekly pipeline report")
        expect(report.locator('td[data-label="Output"]')).to_have_text("email to you")
        main = page.locator("main").inner_text()
        for code in ("in_app", "pipeline-report", "new-candidate-alert", "→"):
            assert code not in main, code

        admin = signed_in_page(chromium, url, org.tokens["admin"])
        theirs = admin.get_by_role("row").filter(has_text="Weekly pipeline report")
        expect(theirs.locator('td[data-label="Output"]')).to_have_text("email to kai@acme.test")

        page.get_by_role("link", name="New", exact=True).click()
        channel = page.get_by_label("Send by")
        expect(channel.locator("option[value=in_app]")).to_contain_text("In-app notification")
        event = page.get_by_label("Event", exact=True)
        expect(event.locator('option[value="candidate.stage_changed"]')).to_have_text(
            "When a candidate changes stage"
        )


def test_a_pause_until_a_day_ends_when_that_day_starts_in_the_viewers_zone(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
    org: Acme,
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    with live_server(make_context(sqlite_engine, clock=lambda: NOW)) as url:
        page = signed_in_page(chromium, url, org.tokens["kai"], width=390)
        page.get_by_role("link", name="Weekly pipeline report").click()

        # a day already begun is refused in one line, and nothing changes
        until = page.get_by_label("Pause until")
        until.evaluate("(e) => { e.removeAttribute('min'); e.value = '2026-03-02'; }")
        page.get_by_role("button", name="Pause until then").click()
        expect(page.get_by_role("alert")).to_have_text("The pause must end in the future.")
        assert get_automation(sqlite_engine, org.org_id, org.report_id).enabled

        page.go_back()
        page.reload()
        page.get_by_label("Pause until").fill("2026-03-10")
        page.get_by_role("button", name="Pause until then").click()
        end = datetime(2026, 3, 10, tzinfo=ZoneInfo("Asia/Kolkata"))
        stored = get_automation(sqlite_engine, org.org_id, org.report_id)
        assert not stored.enabled and stored.paused_until is not None
        assert stored.paused_until.replace(tzinfo=UTC) == end.astimezone(UTC)
        facts = page.locator(".facts")
        expect(facts.locator("time").first).to_have_attribute(
            "datetime", end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        expect(facts).to_contain_text("Tue 10 Mar 00:00 IST")
        expect(facts).to_contain_text("none while paused")
        page.screenshot(path=str(ARTIFACTS / "viewer-paused-until-390.png"), full_page=True)
        page.get_by_role("link", name="Automations").click()
        row = page.get_by_role("row").filter(has_text="Weekly pipeline report")
        expect(row).to_contain_text("until Tue 10 Mar 00:00 IST")
        expect(row.get_by_role("button", name="Resume Weekly pipeline report")).to_be_visible()
