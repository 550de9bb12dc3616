"""Greenhouse Harvest API v1 over HTTP (stdlib only): Basic auth with the API key as the user
name and an empty password, `per_page` with RFC 5988 `Link: <...>; rel="next"` pagination,
`updated_after` for incremental reads, and bounded retries of 429 (after its `Retry-After`),
5xx answers and dropped connections. Anything else raises HarvestError with one line naming the
endpoint and the status; the key never appears in a message.
"""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

HARVEST_URL = "https://harvest.greenhouse.io/v1"
PER_PAGE = 100  # Harvest allows up to 500
MAX_ATTEMPTS = 5
MAX_WAIT_SECONDS = 60.0

#: Harvest filters most listings by `updated_after`; applications have no `updated_at` and
#: take `last_activity_after` instead (an unknown parameter would be ignored: every
#: application read on every sync)
SINCE_PARAMETER = {"applications": "last_activity_after"}

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')

Record = dict[str, Any]


class HarvestError(Exception):
    """A Harvest request that failed for good; the message is one line without the key."""


def next_link(header: str | None) -> str | None:
    """The `rel="next"` target of an RFC 5988 Link header, if any."""
    match = _NEXT.search(header or "")
    return match.group(1) if match else None


def harvest_time(moment: datetime) -> str:
    """An ISO 8601 instant in UTC, as Harvest's `updated_after` takes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _retry_after(headers: Mapping[str, str], fallback: float) -> float:
    value = headers.get("Retry-After") or headers.get("retry-after") or ""
    try:
        return min(max(float(value), 0.0), MAX_WAIT_SECONDS)
    except ValueError:
        return fallback


class HarvestClient:
    """One organisation's Harvest API. `sleep` waits between retries (tests pass a recorder)."""

    def __init__(
        self,
        api_key: str,
        base_url: str = HARVEST_URL,
        *,
        per_page: int = PER_PAGE,
        timeout: float = 30.0,
        max_attempts: int = MAX_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._origin = urllib.parse.urlsplit(self.base_url)[:2]
        token = base64.b64encode(f"{api_key}:".encode()).decode()
        self._auth = f"Basic {token}"
        self.per_page, self.timeout = per_page, timeout
        self.max_attempts, self.sleep = max(1, max_attempts), sleep
        self.requests = 0

    def _endpoint(self, url: str) -> str:
        """The path an error names (no query string, no host)."""
        return urllib.parse.urlsplit(url).path or "/"

    def _request(self, url: str) -> tuple[int, bytes, Mapping[str, str]]:
        if urllib.parse.urlsplit(url)[:2] != self._origin:
            # the key goes to the configured host only, whatever a Link header says
            raise HarvestError(
                f"Greenhouse sent a next page on another host ({self._endpoint(url)})."
            )
        endpoint, wait = self._endpoint(url), 1.0
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(
                url, headers={"Authorization": self._auth, "Accept": "application/json"}
            )
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, response.read(), dict(response.headers.items())
            except urllib.error.HTTPError as error:
                status, headers = error.code, dict(error.headers.items())
                error.close()
                if status == 404:
                    return status, b"", headers
                if status == 401 or status == 403:
                    raise HarvestError(
                        f"Greenhouse refused the API key on GET {endpoint} (HTTP {status}): "
                        "check the key and its Harvest permissions."
                    ) from None
                if status != 429 and status < 500:
                    raise HarvestError(
                        f"Greenhouse GET {endpoint} failed: HTTP {status}."
                    ) from None
                if attempt == self.max_attempts:
                    raise HarvestError(
                        f"Greenhouse GET {endpoint} failed: HTTP {status} after {attempt} attempts."
                    ) from None
                delay = _retry_after(headers, wait) if status == 429 else wait
            except (urllib.error.URLError, OSError) as error:
                if attempt == self.max_attempts:
                    reason = getattr(error, "reason", error)
                    raise HarvestError(
                        f"Greenhouse GET {endpoint} failed: {reason} after {attempt} attempts."
                    ) from None
                delay = wait
            self.sleep(delay)
            wait = min(wait * 2, MAX_WAIT_SECONDS)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _json(self, url: str, body: bytes) -> Any:
        try:
            return json.loads(body)
        except ValueError:
            raise HarvestError(
                f"Greenhouse GET {self._endpoint(url)} answered with something other than JSON."
            ) from None

    def pages(
        self, endpoint: str, *, updated_after: datetime | None = None
    ) -> Iterator[list[Record]]:
        """Every page of a listing (`jobs`, `candidates`, ...), following rel="next"; with
        `updated_after`, only the records changed since (see SINCE_PARAMETER)."""
        query: dict[str, str] = {"per_page": str(self.per_page)}
        if updated_after is not None:
            query[SINCE_PARAMETER.get(endpoint, "updated_after")] = harvest_time(updated_after)
        url: str | None = f"{self.base_url}/{endpoint}?{urllib.parse.urlencode(query)}"
        while url is not None:
            status, body, headers = self._request(url)
            if status == 404:
                raise HarvestError(f"Greenhouse GET {self._endpoint(url)} failed: HTTP 404.")
            page = self._json(url, body)
            if not isinstance(page, list):
                raise HarvestError(f"Greenhouse GET {self._endpoint(url)} did not return a list.")
            yield [record for record in page if isinstance(record, dict)]
            url = next_link(headers.get("Link") or headers.get("link"))

    def get(self, path: str) -> Any | None:
        """One resource (`candidates/12`, `jobs/4/stages`); None when Greenhouse has no such
        record (deleted)."""
        url = f"{self.base_url}/{path}"
        status, body, _ = self._request(url)
        return None if status == 404 else self._json(url, body)
