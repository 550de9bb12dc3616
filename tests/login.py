"""Signing a test's HTTP client in the way a browser does: open the login link, then press the
page's button, a form post that carries the page's own origin; and a real browser's page signed
in the same way."""

from __future__ import annotations

from typing import Any

import httpx


def origin_of(client: httpx.Client) -> str:
    url = client.base_url
    return f"{url.scheme}://{url.netloc.decode()}"


def sign_in(client: httpx.Client, token: str) -> httpx.Response:
    """The answer to the login page's button (303 to the start page when the token is good);
    the session cookie stays in `client`."""
    offered = client.get("/login", params={"token": token}, follow_redirects=False)
    assert offered.status_code in (200, 401), offered.text
    return client.post(
        "/login",
        data={"token": token},
        headers={"Origin": origin_of(client)},
        follow_redirects=False,
    )


def signed_in_page(browser: Any, url: str, token: str, *, width: int = 1280) -> Any:
    """A new page of the Playwright `browser`, `width` pixels wide, signed in to the dashboard
    at `url` with `token` (its login link, then its button)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{url}/login?token={token}")
    page.get_by_role("button", name="Sign in as").click()
    return page
