"""A login link signs no one in by being opened: its page names whom it would sign in, and only
its button, posted from the service's own page, opens the session. A post from another origin,
or one that says nothing of where it comes from, is refused (403) and signs no one in; the page
cannot be framed, and the access log never shows the token."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.engine import Engine

from models.settings import load_settings
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_opening_a_login_link_names_the_account_and_signs_no_one_in(engine: Engine) -> None:
    org = make_org_with_tokens(engine, NOW, slug="acme")
    with (
        live_server(make_context(engine)) as url,
        httpx.Client(base_url=url, timeout=30) as browser,
    ):
        offered = browser.get("/login", params={"token": org.member_token})
        assert offered.status_code == 200
        assert "Sign in as Max Member (member@acme.test) in Acme?" in offered.text
        assert "skilltick_session" not in browser.cookies
        assert browser.get("/", follow_redirects=False).headers["location"] == "/login"
        # no other site may frame the page (a click on a hidden button) or read its address,
        # which carries the token: the page sends no Referer at all
        assert offered.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in offered.headers["content-security-policy"]
        assert offered.headers["referrer-policy"] == "no-referrer"
        landed = sign_in(browser, org.member_token)
        assert landed.status_code == 303 and landed.headers["location"] == "/"
        assert "member@acme.test" in browser.get("/").text


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {},
    ],
    ids=["other-origin", "opaque-origin", "opaque-cross-site", "cross-site", "same-site", "unsaid"],
)
def test_a_sign_in_posted_from_elsewhere_is_refused(
    sqlite_engine: Engine, headers: dict[str, str]
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with (
        live_server(make_context(sqlite_engine)) as url,
        httpx.Client(base_url=url, timeout=30) as browser,
    ):
        refused = browser.post("/login", data={"token": org.member_token}, headers=headers)
        assert refused.status_code == 403
        assert "came from another site" in refused.text
        assert "skilltick_session" not in refused.headers.get("set-cookie", "")
        assert "skilltick_session" not in browser.cookies


def test_a_same_origin_post_without_an_origin_header_and_the_public_address_sign_in(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    # the address users open (a proxy in front) is an origin of the service's own pages too
    settings = load_settings(public_url="https://skilltick.acme.test/")
    with live_server(make_context(sqlite_engine, settings)) as url:
        for headers in (
            {"Sec-Fetch-Site": "same-origin"},
            {"Origin": "https://skilltick.acme.test"},
        ):
            with httpx.Client(base_url=url, timeout=30) as browser:
                signed = browser.post("/login", data={"token": org.member_token}, headers=headers)
                assert signed.status_code == 303 and "skilltick_session" in browser.cookies


def test_a_bad_token_posted_from_the_page_is_refused_and_signs_no_one_in(
    sqlite_engine: Engine,
) -> None:
    make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with (
        live_server(make_context(sqlite_engine)) as url,
        httpx.Client(base_url=url, timeout=30) as browser,
    ):
        assert browser.get("/login", params={"token": "stk_wrong"}).status_code == 401
        refused = sign_in(browser, "stk_wrong")
        assert refused.status_code == 401 and "unknown, expired or was revoked" in refused.text
        assert "skilltick_session" not in browser.cookies


def test_the_access_log_never_shows_a_login_token_an_invitation_or_an_oauth_code(
    sqlite_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    access = logging.getLogger("uvicorn.access")
    with (
        live_server(make_context(sqlite_engine)) as url,
        httpx.Client(base_url=url, timeout=30) as browser,
    ):
        level = access.level
        access.setLevel(logging.INFO)
        access.addHandler(caplog.handler)
        try:
            sign_in(browser, org.member_token)
            browser.get("/invite/inv_not_a_real_secret")
            browser.get("/slack/oauth_redirect", params={"code": "oauth-code-1", "state": "st-2"})
        finally:
            access.removeHandler(caplog.handler)
            access.setLevel(level)
    logged = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/login?token=[hidden]" in line for line in logged), logged
    assert any("/invite/[hidden]" in line for line in logged), logged
    assert any("code=[hidden]&state=[hidden]" in line for line in logged), logged
    secrets = (org.member_token, "inv_not_a_real", "oauth-code-1", "st-2")
    assert not any(secret in line for line in logged for secret in secrets)
