"""A local stand-in for the Slack Web API (https://api.slack.com/web): POST or GET
/api/<method>, JSON or form bodies, answers {"ok": true, ...} or {"ok": false, "error": ...},
and a 429 with Retry-After when told to. It records every call it gets."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bench.kit.peers.local_http import Reply, serve


@dataclass
class SlackCall:
    method: str
    authorization: str
    args: dict[str, Any]


@dataclass
class FakeSlack:
    token: str = "xoxb-test-token"
    users_by_email: dict[str, str] = field(default_factory=dict)
    # method -> replies to give first (status, headers, json); then the normal answer
    scripted: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = field(
        default_factory=dict
    )
    calls: list[SlackCall] = field(default_factory=list)
    base_url: str = ""
    # OAuth: the app's credentials, and the codes Slack's authorize page would have handed
    # out (code -> the workspace it installs into); each code works once
    client_id: str = "1234.5678"
    client_secret: str = "oauth-client-secret"
    oauth_codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def calls_to(self, method: str) -> list[SlackCall]:
        return [c for c in self.calls if c.method == method]

    def handle(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        parts = urlsplit(path)
        method = parts.path.rsplit("/", 1)[-1]
        args: dict[str, Any] = dict(parse_qsl(parts.query))
        if body:
            if headers.get("content-type", "").startswith("application/json"):
                args.update(json.loads(body))
            else:
                args.update(parse_qsl(body.decode()))
        self.calls.append(SlackCall(method, headers.get("authorization", ""), args))
        queue = self.scripted.get(method)
        if queue:
            status, extra, data = queue.pop(0)
            return status, {"Content-Type": "application/json", **extra}, json.dumps(data).encode()
        if method == "oauth.v2.access":
            return self._oauth_access(headers.get("authorization", ""), args)
        if headers.get("authorization") != f"Bearer {self.token}":
            return self._json({"ok": False, "error": "invalid_auth"})
        if method == "auth.test":
            return self._json(
                {"ok": True, "user_id": "U0BOT", "bot_id": "B0BOT", "team_id": "T0", "url": ""}
            )
        if method == "users.lookupByEmail":
            user = self.users_by_email.get(str(args.get("email", "")).lower())
            if user is None:
                return self._json({"ok": False, "error": "users_not_found"})
            return self._json({"ok": True, "user": {"id": user}})
        if method == "users.info":
            user = str(args.get("user", ""))
            email = next((e for e, u in self.users_by_email.items() if u == user), "")
            return self._json({"ok": True, "user": {"id": user, "profile": {"email": email}}})
        if method == "conversations.open":
            return self._json({"ok": True, "channel": {"id": "D" + str(args["users"])[1:]}})
        if method == "chat.postMessage":
            channel = str(args.get("channel", ""))
            if channel == "#no-such-channel":
                return self._json({"ok": False, "error": "channel_not_found"})
            return self._json(
                {
                    "ok": True,
                    "channel": channel,
                    "ts": f"{len(self.calls)}.0001",
                    "message": {"text": args.get("text", "")},
                }
            )
        return self._json({"ok": False, "error": "unknown_method"})

    def _oauth_access(self, authorization: str, args: dict[str, Any]) -> Reply:
        """oauth.v2.access: the app authenticates with HTTP Basic (or client_id and
        client_secret in the body) and trades a code for the workspace's bot token."""
        scheme, _, encoded = authorization.partition(" ")
        given = (str(args.get("client_id", "")), str(args.get("client_secret", "")))
        if scheme.lower() == "basic":
            user, _, password = base64.b64decode(encoded).decode().partition(":")
            given = (user, password)
        if given != (self.client_id, self.client_secret):
            return self._json({"ok": False, "error": "invalid_client_id"})
        team = self.oauth_codes.pop(str(args.get("code", "")), None)
        if team is None:
            return self._json({"ok": False, "error": "invalid_code"})
        return self._json(
            {
                "ok": True,
                "app_id": "A0APP",
                "access_token": self.token,
                "token_type": "bot",
                "scope": "chat:write,commands",
                "bot_user_id": "U0BOT",
                "team": team,
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": "U0INSTALLER"},
            }
        )

    @staticmethod
    def _json(data: dict[str, Any]) -> Reply:
        return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()


@contextmanager
def fake_slack(**kwargs: Any) -> Iterator[FakeSlack]:
    peer = FakeSlack(**kwargs)
    with serve(peer.handle) as url:
        peer.base_url = url + "/api/"
        yield peer
