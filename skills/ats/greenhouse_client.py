"""Greenhouse Harvest API v1 over HTTP: `per_page` with RFC 5988 `Link: <...>; rel="next"`
pagination and `updated_after` for incremental reads; authentication, retries and errors are
skills.ats.api_client's. A failure raises HarvestError with one line naming the endpoint and
the status; the key never appears in a message.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from skills.ats.api_client import ApiClient, AtsApiError, Record

HARVEST_URL = "https://harvest.greenhouse.io/v1"
PER_PAGE = 100  # Harvest allows up to 500

#: Harvest filters most listings by `updated_after`; applications have no `updated_at` and
#: take `last_activity_after` instead (an unknown parameter would be ignored: every
#: application read on every sync)
SINCE_PARAMETER = {"applications": "last_activity_after"}

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')

__all__ = ["HARVEST_URL", "HarvestClient", "HarvestError", "Record", "next_link"]


class HarvestError(AtsApiError):
    """A Harvest request that failed for good; the message is one line without the key."""


def next_link(header: str | None) -> str | None:
    """The `rel="next"` target of an RFC 5988 Link header, if any."""
    match = _NEXT.search(header or "")
    return match.group(1) if match else None


def harvest_time(moment: datetime) -> str:
    """An ISO 8601 instant in UTC, as Harvest's `updated_after` takes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class HarvestClient(ApiClient):
    """One organisation's Harvest API. `sleep` waits between retries (tests pass a recorder)."""

    vendor = "Greenhouse"
    error = HarvestError
    default_url = HARVEST_URL
    default_per_page = PER_PAGE
    key_advice = "check the key and its Harvest permissions."

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
            status, body, headers = self.request(url)
            if status == 404:
                raise self.fail(url, "failed: HTTP 404.")
            page = self.json(url, body)
            if not isinstance(page, list):
                raise self.fail(url, "did not return a list.")
            yield [record for record in page if isinstance(record, dict)]
            url = next_link(headers.get("Link") or headers.get("link"))

    def get(self, path: str) -> Any | None:
        """One resource (`candidates/12`, `jobs/4/stages`); None when Greenhouse has no such
        record (deleted)."""
        url = f"{self.base_url}/{path}"
        status, body, _ = self.request(url)
        return None if status == 404 else self.json(url, body)
