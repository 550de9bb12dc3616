"""A local Slack: a Web API server speaking the wire format (form or JSON in, JSON out) that
records calls, and a signer that signs requests exactly as Slack does."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


class WebApi:
    def __init__(self, profile: dict[str, Any]) -> None:
        self.profile = profile
        # other Slack users' profiles by user id; anyone else gets `profile`
        self.profiles: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.changed = threading.Condition()
        self.hold_users_info = threading.Event()
        self.hold_users_info.set()
        # chat.postMessage to these channels is refused with the error code given
        # (not_in_channel, is_archived, channel_not_found), as Slack refuses it
        self.refusals: dict[str, str] = {}
        # the next this many chat.postMessage calls answer 429 with Retry-After: retry_after
        self.throttled = 0
        self.retry_after = 1
        self.url = ""

    def status(self, method: str) -> tuple[int, dict[str, str]]:
        """The HTTP status and extra headers of the next answer to `method`."""
        with self.changed:
            if method == "chat.postMessage" and self.throttled > 0:
                self.throttled -= 1
                return 429, {"Retry-After": str(self.retry_after)}
        return 200, {}

    def _email_user(self, email: str) -> str | None:
        for user, profile in self.profiles.items():
            if profile.get("profile", {}).get("email") == email:
                return user
        return None

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "users.info":
            self.hold_users_info.wait(10)
            profile = self.profiles.get(str(args.get("user")), self.profile)
            return {"ok": True, "user": {"id": args.get("user"), **profile}}
        if method == "users.lookupByEmail":
            user = self._email_user(str(args.get("email")))
            return (
                {"ok": True, "user": {"id": user}}
                if user
                else {"ok": False, "error": "users_not_found"}
            )
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users"))[1:]}}
        if method == "chat.postMessage" and str(args.get("channel")) in self.refusals:
            return {"ok": False, "error": self.refusals[str(args.get("channel"))]}
        if method == "chat.postMessage":
            # each post gets its own ts, as in Slack
            posted = sum(1 for m, _ in self.calls if m == "chat.postMessage")
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": f"1700000000.{posted + 100:06d}",
            }
        return {"ok": True}

    def record(self, method: str, args: dict[str, Any]) -> None:
        with self.changed:
            self.calls.append((method, args))
            self.changed.notify_all()

    def wait_for(self, method: str, count: int = 1, timeout: float = 15) -> list[dict[str, Any]]:
        def found() -> list[dict[str, Any]]:
            return [a for m, a in self.calls if m == method]

        with self.changed:
            assert self.changed.wait_for(lambda: len(found()) >= count, timeout), (
                f"no {method} call; calls: {[m for m, _ in self.calls]}"
            )
            return found()


@contextmanager
def web_api(profile: dict[str, Any]) -> Iterator[WebApi]:
    api = WebApi(profile)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                args = json.loads(raw or "{}")
            else:
                args = dict(parse_qsl(raw))
                for key in ("blocks", "view"):
                    if isinstance(args.get(key), str):
                        args[key] = json.loads(args[key])
            self._answer(self.path, args)

        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            self._answer(path, dict(parse_qsl(query)))

        def _answer(self, path: str, args: dict[str, Any]) -> None:
            """Record the call to the Web API method the path names and send its answer."""
            method = path.strip("/").split("/")[-1]
            status, headers = api.status(method)
            answer = (
                api.answer(method, args) if status == 200 else {"ok": False, "error": "ratelimited"}
            )
            reply = json.dumps(answer).encode()
            # a refused call is recorded apart ("chat.postMessage (not_in_channel)"), so waiting
            # for posts counts the ones that landed
            refused = f"{method} ({answer.get('error')})"
            if method == "chat.postMessage" and answer.get("ts"):
                args = {**args, "posted_ts": answer["ts"]}  # the message's ts, for clicks on it
            api.record(method if answer.get("ok") else refused, args)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield api
    finally:
        api.hold_users_info.set()
        server.shutdown()
        server.server_close()


def signed(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature: v0=HMAC-SHA256(secret, "v0:{ts}:{body}")."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}
