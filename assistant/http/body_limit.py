"""No request body larger than the service ever needs is read into memory: a body declared
(Content-Length) or streamed (chunked) past its path's limit is refused with 413 as soon as
that is known, before any route reads it all: the REST API's 256 KiB under /api/ and /cron/,
MAX_REQUEST_BYTES elsewhere (dashboard forms check their own 64 KiB once read). ATS webhooks
stream their bodies against their configured limit themselves, so their path is left to
them."""

from __future__ import annotations

import json
from typing import Any

from assistant.http.api_edge import MAX_BODY_BYTES
from assistant.http.headers import ASGIApp, Message, Receive, Scope, Send

MAX_REQUEST_BYTES = 1024 * 1024
API_PATHS = ("/api/", "/cron/")
#: paths whose routes stream the body against a limit of their own (a setting)
OWN_LIMIT_PATHS = ("/webhooks/",)


def size_words(limit: int) -> str:
    """A byte limit as people read it: "1 MiB", "256 KiB", "1000 bytes"."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    return f"{limit // 1024} KiB" if limit % 1024 == 0 else f"{limit} bytes"


def too_large(limit: int) -> dict[str, Any]:
    """The API's error envelope for a body over `limit`."""
    message = f"The request body is over {size_words(limit)}."
    return {"error": {"code": "payload_too_large", "message": message}}


class BodyTooLarge(Exception):
    """The body streamed past the limit while a route was reading it."""


class BodyLimit:
    """Refuses (413) any request whose body is over its path's limit, declared or streamed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(OWN_LIMIT_PATHS):
            await self.app(scope, receive, send)
            return
        limit = MAX_BODY_BYTES if path.startswith(API_PATHS) else MAX_REQUEST_BYTES
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:  # an answer is on its way already: end it rather than start another
                raise
            await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(too_large(limit), separators=(",", ":")).encode()
    # the client may still be sending: "Connection: close" tells it the rest will not be read
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
