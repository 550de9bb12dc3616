"""What every mirrored ATS's HTTP API shares (stdlib only): Basic auth with the API key as the
user name and an empty password (Harvest and Lever both document it), bounded retries of 429
(after its `Retry-After`), 5xx answers and dropped connections, and one-line errors naming the
vendor, the endpoint and the status, never the key. The key goes to the configured host only:
a redirect elsewhere (or from HTTPS to HTTP) is not followed, since urllib would send the
Authorization header along. A vendor's client adds its pagination.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

MAX_ATTEMPTS = 5
MAX_WAIT_SECONDS = 60.0

Record = dict[str, Any]


class AtsApiError(Exception):
    """A request that failed for good; the message is one line without the key."""


def _retry_after(headers: Mapping[str, str], fallback: float) -> float:
    value = headers.get("Retry-After") or headers.get("retry-after") or ""
    try:
        return min(max(float(value), 0.0), MAX_WAIT_SECONDS)
    except ValueError:
        return fallback


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect on the same host only, and never from HTTPS to HTTP."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if new.hostname != old.hostname or (old.scheme == "https" and new.scheme != "https"):
            return None  # urllib raises the 3xx as an HTTPError
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameHostRedirects)


class ApiClient:
    """One organisation's API at `base_url`. `sleep` waits between retries (tests pass a
    recorder); `requests` counts what was sent."""

    #: the vendor as messages name it, the error it raises, what to check on a refusal, its
    #: API's address and page size unless told otherwise
    vendor: ClassVar[str] = "The ATS"
    error: ClassVar[type[AtsApiError]] = AtsApiError
    key_advice: ClassVar[str] = "check the key."
    default_url: ClassVar[str] = ""
    default_per_page: ClassVar[int] = 100

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        *,
        per_page: int | None = None,
        timeout: float = 30.0,
        max_attempts: int = MAX_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or self.default_url).rstrip("/")
        per_page = per_page or self.default_per_page
        self._origin = urllib.parse.urlsplit(self.base_url)[:2]
        token = base64.b64encode(f"{api_key}:".encode()).decode()
        self._auth = f"Basic {token}"
        self.per_page, self.timeout = per_page, timeout
        self.max_attempts, self.sleep = max(1, max_attempts), sleep
        self.requests = 0

    def fail(self, url: str, what: str) -> AtsApiError:
        """The one-line error for a GET of `url` that `what` went wrong with."""
        return self.error(f"{self.vendor} GET {self._endpoint(url)} {what}")

    def _endpoint(self, url: str) -> str:
        """The path an error names (no query string, no host)."""
        return urllib.parse.urlsplit(url).path or "/"

    def request(self, url: str) -> tuple[int, bytes, Mapping[str, str]]:
        """GET `url`: (status, body, headers) of a 2xx or a 404 answer; retried, else raised."""
        if urllib.parse.urlsplit(url)[:2] != self._origin:
            # the key goes to the configured host only, whatever a next-page link says
            raise self.error(
                f"{self.vendor} sent a next page on another host ({self._endpoint(url)})."
            )
        endpoint, wait = self._endpoint(url), 1.0
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(
                url, headers={"Authorization": self._auth, "Accept": "application/json"}
            )
            self.requests += 1
            try:
                with _OPENER.open(request, timeout=self.timeout) as response:
                    return response.status, response.read(), dict(response.headers.items())
            except urllib.error.HTTPError as error:
                status, headers = error.code, dict(error.headers.items())
                error.close()
                if status == 404:
                    return status, b"", headers
                if status == 401 or status == 403:
                    raise self.error(
                        f"{self.vendor} refused the API key on GET {endpoint} (HTTP {status}): "
                        f"{self.key_advice}"
                    ) from None
                if 300 <= status < 400:
                    raise self.fail(
                        url, f"redirected to another host (HTTP {status}), not followed."
                    ) from None
                if status != 429 and status < 500:
                    raise self.fail(url, f"failed: HTTP {status}.") from None
                if attempt == self.max_attempts:
                    raise self.fail(
                        url, f"failed: HTTP {status} after {attempt} attempts."
                    ) from None
                delay = _retry_after(headers, wait) if status == 429 else wait
            except (urllib.error.URLError, OSError) as error:
                if attempt == self.max_attempts:
                    reason = getattr(error, "reason", error)
                    raise self.fail(url, f"failed: {reason} after {attempt} attempts.") from None
                delay = wait
            self.sleep(delay)
            wait = min(wait * 2, MAX_WAIT_SECONDS)
        raise AssertionError("unreachable")  # the loop returns or raises

    def json(self, url: str, body: bytes) -> Any:
        try:
            return json.loads(body)
        except ValueError:
            raise self.fail(url, "answered with something other than JSON.") from None
