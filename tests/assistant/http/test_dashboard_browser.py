"""The dashboard in headless Chromium (Debian's /usr/bin/chromium driven by Playwright, never a
downloaded browser): create an automation from a sentence, see it listed, pause and resume it,
run it now, let a tick run it, open the run and the email in the outbox; another page cannot
frame it. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from bench.kit.peers.local_http import Reply, serve
from models.store.access import create_token
from models.store.orgs import get_user
from models.store.run_queue import db_now
from skills.ats.seed import seed_demo
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.login import signed_in_page

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "dashboard"
SECRET = "browser-test-cron-secret-0123456789"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless browser for a module's tests (a start costs about a second of CPU); each
    test opens pages in contexts of its own."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def test_a_recruiter_creates_from_a_sentence_pauses_resumes_runs_and_reads_the_email(
    sqlite_engine: Engine, chromium: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    monkeypatch.setenv("SKILLTICK_CRON_SECRET", SECRET)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    demo = seed_demo(sqlite_engine, now=db_now(sqlite_engine), candidates=30)
    recruiter = get_user(sqlite_engine, demo.member_ids[0])
    token = create_token(
        sqlite_engine, user=recruiter, name="browser", now=db_now(sqlite_engine)
    ).secret

    with live_server(make_context(sqlite_engine)) as url:
        page = signed_in_page(chromium, url, token)
        expect(page.get_by_role("heading", name="Automations")).to_be_visible()
        assert "token=" not in page.url

        page.get_by_role("link", name="New automation").click()
        page.get_by_label("Say what you want").fill(
            "Every Monday at 9am, send me a summary of my pipeline"
        )
        page.get_by_role("button", name="Draft it").click()
        expect(page.get_by_text("At 09:00 AM, only on Monday")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "01-confirm-sentence.png"), full_page=True)
        page.get_by_role("button", name="Confirm and activate").click()
        expect(page.get_by_text("Created.")).to_be_visible()
        name = page.get_by_role("heading", level=1).inner_text()
        assert name.startswith("Pipeline report")

        page.get_by_role("link", name="Automations").click()
        row = page.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text("At 09:00 AM, only on Monday")
        row.get_by_role("button", name="Pause").click()
        row = page.get_by_role("row").filter(has_text=name)
        expect(row.get_by_text("paused", exact=True)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "02-list-paused.png"), full_page=True)
        row.get_by_role("button", name="Resume").click()
        row = page.get_by_role("row").filter(has_text=name)
        expect(row.get_by_text("active", exact=True)).to_be_visible()

        row.get_by_role("link", name=name).click()
        page.get_by_role("button", name="Run now").click()
        expect(page.get_by_role("heading", name="Run #")).to_be_visible()
        expect(page.get_by_text("pending", exact=True)).to_be_visible()
        ticked = httpx.post(f"{url}/cron/tick", headers={"Authorization": f"Bearer {SECRET}"})
        assert ticked.json()["statuses"] == {"completed": 1}
        page.reload()
        expect(page.get_by_text("completed", exact=True).first).to_be_visible()
        expect(page.get_by_role("heading", name="What it did")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "03-run.png"), full_page=True)

        page.get_by_role("link", name=name).click()
        history = page.locator("details.run").first
        history.locator("summary").click()
        expect(history.get_by_role("heading", name="Records and recipients")).to_be_visible()

        page.get_by_role("link", name="Outbox").click()
        page.get_by_role("link", name="pipeline", exact=False).first.click()
        expect(page.get_by_text(recruiter.email).first).to_be_visible()
        expect(page.get_by_role("heading", name="As text")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "04-outbox-email.png"), full_page=True)

        phone = chromium.new_page(viewport={"width": 390, "height": 844})
        phone.context.add_cookies(
            [
                {
                    "name": cookie["name"],
                    "value": cookie["value"],
                    "domain": cookie["domain"],
                    "path": cookie["path"],
                    "httpOnly": cookie["httpOnly"],
                    "secure": cookie["secure"],
                    "sameSite": cookie["sameSite"],
                }
                for cookie in page.context.cookies()
            ]
        )
        phone.goto(f"{url}/")
        expect(phone.get_by_text(name)).to_be_visible()
        phone.screenshot(path=str(ARTIFACTS / "05-phone-list.png"), full_page=True)


def test_another_page_cannot_frame_the_dashboard_and_no_page_breaks_its_policy(
    sqlite_engine: Engine, chromium: object
) -> None:
    """A page on another port of the same host (same site: the session cookie goes along) frames
    an automation's page to lay a decoy over its buttons: the browser refuses to show it. The
    dashboard's own pages run under their Content-Security-Policy without a violation."""
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    org = make_org_with_tokens(sqlite_engine, db_now(sqlite_engine), slug="acme")
    auto = make_automation(sqlite_engine, org.fixture, db_now(sqlite_engine), name="Offer chase")
    with live_server(make_context(sqlite_engine)) as url:
        framed = f"{url}/automations/{auto.id}"

        def decoy(verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
            html = f'<h1>Win a prize</h1><iframe src="{framed}"></iframe>'
            return 200, {"Content-Type": "text/html"}, html.encode()

        context = chromium.new_context()
        page = context.new_page()
        policy_errors: list[str] = []
        page.on(
            "console",
            lambda m: policy_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{url}/login?token={org.member_token}")
        page.get_by_role("button", name="Sign in as").click()
        expect(page.get_by_role("heading", name="Automations")).to_be_visible()
        for path in (f"/automations/{auto.id}", "/automations/new"):
            page.goto(f"{url}{path}")
        assert policy_errors == []
        with serve(decoy) as elsewhere:
            page.goto(elsewhere)
            expect(page.get_by_role("heading", name="Win a prize")).to_be_visible()
            page.wait_for_timeout(300)
        shown = [frame for frame in page.frames if frame.url.startswith(framed)]
        assert shown == [] and any("frame-ancestors" in e for e in policy_errors)
        context.close()
