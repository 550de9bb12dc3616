"""Lever API v1 over HTTP (https://api.lever.co/v1): list endpoints answer
`{"data": [...], "hasNext": bool, "next": "<token>"}` and the next page is asked for with
`offset=<token>` (at most 100 a page, `limit`); a single resource is `{"data": {...}}`.
Opportunities take `updated_at_start` (milliseconds since the epoch) for incremental reads and
`expand=applications` to inline their application. Authentication, retries (429 after its
`Retry-After`) and one-line errors are skills.ats.api_client's.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Sequence
from datetime import datetime

from skills.ats.api_client import ApiClient, AtsApiError, Record

LEVER_URL = "https://api.lever.co/v1"
PER_PAGE = 100  # Lever's largest `limit`


class LeverError(AtsApiError):
    """A Lever request that failed for good; the message is one line without the key."""


def lever_time(moment: datetime) -> str:
    """Lever's timestamps: milliseconds since the epoch."""
    return str(int(moment.timestamp() * 1000))


class LeverClient(ApiClient):
    """One organisation's Lever API. `sleep` waits between retries (tests pass a recorder)."""

    vendor = "Lever"
    error = LeverError
    default_url = LEVER_URL
    default_per_page = PER_PAGE
    key_advice = "check the key (Lever: Settings, Integrations and API, API Credentials)."

    def pages(
        self,
        endpoint: str,
        *,
        updated_since: datetime | None = None,
        expand: Sequence[str] = (),
    ) -> Iterator[list[Record]]:
        """Every page of a listing (`users`, `opportunities`, `opportunities/ID/interviews`,
        `opportunities/ID/offers`), following `next` while `hasNext`."""
        query = [("limit", str(self.per_page)), *(("expand", e) for e in expand)]
        if updated_since is not None:
            query.append(("updated_at_start", lever_time(updated_since)))
        offset: str | None = None
        while True:
            paged = query + ([("offset", offset)] if offset else [])
            url = f"{self.base_url}/{endpoint}?{urllib.parse.urlencode(paged)}"
            status, body, _ = self.request(url)
            if status == 404:
                raise self.fail(url, "failed: HTTP 404.")
            answer = self.json(url, body)
            data = answer.get("data") if isinstance(answer, dict) else None
            if not isinstance(data, list):
                raise self.fail(url, "did not return a list.")
            yield [record for record in data if isinstance(record, dict)]
            following = answer.get("next")
            if not answer.get("hasNext") or not isinstance(following, str) or not following:
                return
            if following == offset:  # the same page again would never end
                raise self.fail(url, "gave the same next page twice.")
            offset = following

    def get(self, path: str) -> Record | None:
        """One resource (`postings/ID`); None when Lever has no such record (deleted)."""
        url = f"{self.base_url}/{path}"
        status, body, _ = self.request(url)
        if status == 404:
            return None
        answer = self.json(url, body)
        data = answer.get("data") if isinstance(answer, dict) else None
        return data if isinstance(data, dict) else None
