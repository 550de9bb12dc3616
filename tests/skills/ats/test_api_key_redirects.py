"""An ATS API key goes to the configured host only: the API redirecting elsewhere (another host,
or from HTTPS to HTTP) is refused with one line naming the endpoint, and the other host never
sees the key; a redirect on the same host is followed as before. Both mirrored vendors' clients
(Greenhouse Harvest, Lever) share this."""

from __future__ import annotations

import pytest

from bench.kit.peers.local_http import Reply, serve
from skills.ats.api_client import ApiClient, AtsApiError
from skills.ats.greenhouse_client import HarvestClient
from skills.ats.lever_client import LeverClient

KEY = "secret-ats-key"


@pytest.mark.parametrize("client_class", [HarvestClient, LeverClient])
def test_a_redirect_to_another_host_is_not_followed_and_the_key_stays_home(
    client_class: type[ApiClient],
) -> None:
    seen: list[str | None] = []

    def elsewhere(verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        seen.append(headers.get("authorization"))
        return 200, {"Content-Type": "application/json"}, b"[]"

    with serve(elsewhere) as other:
        # "localhost" is another host name than the API's 127.0.0.1, whatever its port
        away = other.replace("127.0.0.1", "localhost")

        def api(verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
            if path.startswith("/moved"):
                return 200, {"Content-Type": "application/json"}, b'{"here": true}'
            if path.startswith("/same"):
                return 301, {"Location": "/moved/v1/jobs"}, b""
            return 302, {"Location": f"{away}{path}"}, b""

        with serve(api) as url:
            client = client_class(KEY, url, max_attempts=1, sleep=lambda _: None)
            with pytest.raises(AtsApiError) as refused:
                client.request(f"{url}/v1/candidates?page=1")
            status, body, _ = client.request(f"{url}/same/v1/jobs")
    message = str(refused.value)
    assert "GET /v1/candidates redirected to another host (HTTP 302), not followed" in message
    assert KEY not in message and "\n" not in message
    assert seen == []  # the other host was never asked, key or not
    assert (status, body) == (200, b'{"here": true}')
