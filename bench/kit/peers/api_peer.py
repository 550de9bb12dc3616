"""What the local ATS API peers (Harvest, Lever) share: Basic auth with the API key as the user
name, faults on demand (429 with Retry-After for the next N requests, 500s once N requests
were served) and a record of the paths and queries asked for. A peer answers the rest: its
listings, in its vendor's JSON shapes."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from bench.kit.peers.local_http import Reply


@dataclass
class ApiPeer:
    api_key: str
    throttle: int = 0  # answer the next N requests with 429
    fail_after: int | None = None  # answer 500 once this many requests were served
    served: int = 0
    seen_queries: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refusal(self, status: int) -> Any:
        """The JSON body of an error answer, in the vendor's shape."""
        return {"message": {401: "Unauthorized", 404: "Not found"}.get(status, "Error")}

    def answer(self, parts: list[str], query: str, headers: dict[str, str]) -> Reply:
        """A GET of /v1/<parts...>?<query> by the right key (`headers` in lower case)."""
        raise NotImplementedError

    def _authorised(self, headers: dict[str, str]) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        try:
            user, _, _ = base64.b64decode(token).decode().partition(":")
        except ValueError:
            return False
        return scheme == "Basic" and user == self.api_key

    @staticmethod
    def json_reply(status: int, value: Any, **headers: str) -> Reply:
        return status, {"Content-Type": "application/json", **headers}, json.dumps(value).encode()

    def error_reply(self, status: int, **headers: str) -> Reply:
        return self.json_reply(status, self.refusal(status), **headers)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self.lock:
            self.served += 1
            if self.fail_after is not None and self.served > self.fail_after:
                return self.error_reply(500)
            if self.throttle > 0:
                self.throttle -= 1
                return self.error_reply(429, **{"Retry-After": "2"})
            if not self._authorised(headers):
                return self.error_reply(401)
            url = urllib.parse.urlsplit(path)
            self.seen_queries.append(url.path + ("?" + url.query if url.query else ""))
            parts = url.path.strip("/").split("/")
            if method != "GET" or parts[:1] != ["v1"] or len(parts) < 2:
                return self.error_reply(404)
            return self.answer(parts[1:], url.query, headers)
