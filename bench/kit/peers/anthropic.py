"""A local stand-in for the Anthropic Messages API (POST /v1/messages), for the real anthropic
client: scripted replies — tool_use turns, a final text (end_turn), an error status with the
API's error body, or a hang until released — and usage figures that behave like the API's:
with cache_control on the system prompt, the first request writes the prefix (tools + system)
to the cache (cache_creation_input_tokens) and later ones with the same prefix read it
(cache_read_input_tokens); without it, every token is an input token.

Tokens are counted as characters / 4, which is what the benchmark needs: the same figure for
the same prompt, so "with" and "without caching" compare like for like."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bench.kit.peers.local_http import Reply, serve

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


def tokens(value: Any) -> int:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return max(1, len(text) // 4)


@dataclass
class Step:
    """One scripted reply: kind is "tool_use", "text", "status" or "hang"."""

    kind: str
    name: str = ""
    input: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def tool_use(name: str, **arguments: Any) -> Step:
    return Step("tool_use", name=name, input=arguments)


def final(text: str) -> Step:
    return Step("text", text=text)


def status(code: int, **headers: str) -> Step:
    return Step("status", status=code, headers=headers)


HANG = Step("hang")


@dataclass
class FakeAnthropic:
    script: list[Step] = field(default_factory=list)
    default_text: str = "All quiet: nothing needs your attention today."
    requests: list[dict[str, Any]] = field(default_factory=list)
    api_keys: list[str] = field(default_factory=list)
    usages: list[dict[str, int]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    cached: set[str] = field(default_factory=set)
    base_url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        if verb != "POST" or not path.startswith("/v1/messages"):
            return self._error(404, "not_found_error", f"no route {verb} {path}")
        request = json.loads(body)
        with self._lock:
            self.requests.append(request)
            # the SDK authenticates with x-api-key or, in newer versions, a bearer token
            self.api_keys.append(
                headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
            )
            step = self.script.pop(0) if self.script else final(self.default_text)
            turn = len(self.requests)
        if step.kind == "hang":
            self.release.wait(timeout=30)  # longer than any client timeout in the tests
            return self._error(500, "api_error", "released")
        if step.kind == "status":
            return self._error(
                step.status,
                ERROR_TYPES.get(step.status, "api_error"),
                f"scripted {step.status}",
                step.headers,
            )
        if step.kind == "tool_use" and request.get("tool_choice", {}).get("type") != "none":
            content: list[dict[str, Any]] = [
                {"type": "text", "text": "Let me look that up."},
                {
                    "type": "tool_use",
                    "id": f"toolu_{turn:04d}",
                    "name": step.name,
                    "input": step.input,
                },
            ]
            stop = "tool_use"
        else:
            content = [{"type": "text", "text": step.text or self.default_text}]
            stop = "end_turn"
        usage = self._usage(request, content)
        self.usages.append(usage)
        return (
            200,
            {"Content-Type": "application/json", "request-id": f"req_{turn}"},
            json.dumps(
                {
                    "id": f"msg_{turn:04d}",
                    "type": "message",
                    "role": "assistant",
                    "model": request.get("model"),
                    "content": content,
                    "stop_reason": stop,
                    "stop_sequence": None,
                    "usage": usage,
                }
            ).encode(),
        )

    def _usage(self, request: dict[str, Any], content: list[dict[str, Any]]) -> dict[str, int]:
        system = request.get("system") or []
        blocks = [system] if isinstance(system, str) else list(system)
        prefix = tokens(request.get("tools") or []) + sum(
            tokens(b if isinstance(b, str) else b.get("text", "")) for b in blocks
        )
        rest = tokens(request.get("messages") or [])
        cacheable = any(isinstance(b, dict) and b.get("cache_control") for b in blocks)
        read = write = 0
        if cacheable:
            key = hashlib.sha256(
                json.dumps([request.get("tools"), blocks], sort_keys=True).encode()
            ).hexdigest()
            with self._lock:
                hit = key in self.cached
                self.cached.add(key)
            read, write = (prefix, 0) if hit else (0, prefix)
            prefix = 0
        return {
            "input_tokens": prefix + rest,
            "output_tokens": tokens(content),
            "cache_read_input_tokens": read,
            "cache_creation_input_tokens": write,
        }

    @staticmethod
    def _error(code: int, kind: str, message: str, headers: dict[str, str] | None = None) -> Reply:
        body = {"type": "error", "error": {"type": kind, "message": message}}
        return (
            code,
            {"Content-Type": "application/json", **(headers or {})},
            json.dumps(body).encode(),
        )


@contextmanager
def fake_anthropic(*script: Step) -> Iterator[FakeAnthropic]:
    peer = FakeAnthropic(script=list(script))
    with serve(peer.handle) as url:
        peer.base_url = url
        try:
            yield peer
        finally:
            peer.release.set()  # a hung request returns, so the server can stop
