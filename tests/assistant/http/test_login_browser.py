"""Login links in headless Chromium: a recruiter opens their link, sees whom it signs in with
the token already gone from the address bar (and the page sending no Referer), presses the
button and is signed in; a page on another
origin (a second local HTTP server) that auto-submits the sign-in form with its own token, or
loads the link in an <img>, leaves the visitor's browser signed out."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bench.kit.peers.local_http import Reply, serve
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.assistant.http.test_dashboard_browser import chromium  # noqa: F401

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def a_page(body: str) -> Callable[[str, str, dict[str, str], bytes], Reply]:
    def handler(method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        page = f"<!doctype html><html><body>{body}</body></html>".encode()
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page

    return handler


def test_the_link_names_the_account_and_its_button_signs_in(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with live_server(make_context(sqlite_engine)) as url:
        page = chromium.new_page()
        answer = page.goto(f"{url}/login?token={org.member_token}")
        assert answer is not None and answer.headers["referrer-policy"] == "no-referrer"
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Sign in as Max Member (member@acme.test) in Acme?"
        )
        expect(page).to_have_url(f"{url}/login")
        assert org.member_token not in page.evaluate("window.location.href + document.referrer")
        assert not [c for c in page.context.cookies() if c["name"] == "skilltick_session"]
        page.get_by_role("button", name="Sign in as Max Member").click()
        expect(page.get_by_role("heading", name="Automations")).to_be_visible()
        expect(page.get_by_text("member@acme.test (member)")).to_be_visible()
        assert page.url == f"{url}/" and "token" not in page.url
        page.context.close()


def test_another_site_cannot_sign_a_visitor_in(
    sqlite_engine: Engine,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    attacker = make_org_with_tokens(sqlite_engine, NOW, slug="evil")
    make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with live_server(make_context(sqlite_engine)) as url:
        link = html.escape(f"{url}/login?token={attacker.member_token}")
        form = (
            f'<form id="f" method="post" action="{url}/login">'
            f'<input type="hidden" name="token" value="{attacker.member_token}"></form>'
            '<script>document.getElementById("f").submit()</script>'
        )
        with (
            serve(a_page(form)) as posting_site,
            serve(a_page(f'<img src="{link}" alt="">')) as image_site,
        ):
            visitor = chromium.new_context()
            page = visitor.new_page()
            page.goto(image_site, wait_until="networkidle")
            assert not [c for c in visitor.cookies() if c["name"] == "skilltick_session"]

            page.goto(posting_site)
            expect(page.get_by_text("came from another site")).to_be_visible()
            assert page.url == f"{url}/login"
            assert not [c for c in visitor.cookies() if c["name"] == "skilltick_session"]

            page.goto(f"{url}/")
            expect(page.get_by_role("heading", name="Log in")).to_be_visible()
            visitor.close()
