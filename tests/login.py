"""Signing a test's HTTP client in the way a browser does: open the login link, then press the
page's button, a form post that carries the page's own origin."""

from __future__ import annotations

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
