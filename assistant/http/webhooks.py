"""ATS webhooks: POST /webhooks/ats/{provider}/{connection}. A thin adapter: size limits, the
body stream and the HTTP answer to each outcome here, everything else in worker.triggers.ingest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from assistant.app import AppContext
from assistant.http.body_limit import too_large
from worker.triggers.ingest import Outcome, Receipt, receive

if TYPE_CHECKING:
    from fastapi import FastAPI

#: the answer to each outcome of a delivery
STATUS_CODES = {
    Outcome.STORED: 200,
    Outcome.MALFORMED_BODY: 400,
    Outcome.INVALID_SIGNATURE: 401,
    Outcome.UNKNOWN_CONNECTION: 404,
}


def _too_large(limit: int) -> JSONResponse:
    """The API's code for a body over its limit, the limit said as people and programs read it."""
    return JSONResponse(too_large(limit), status_code=413)


def answer(receipt: Receipt) -> JSONResponse:
    """The HTTP answer to a delivery: what was stored, or why it was refused."""
    status_code = STATUS_CODES[receipt.outcome]
    if receipt.outcome is Outcome.STORED:
        body: dict[str, Any] = {
            "received": True,
            "event_id": receipt.event_id,
            "status": receipt.status,
            "event_type": receipt.event_type,
        }
    else:
        body = {"error": {"code": receipt.outcome.value, "message": receipt.message}}
    return JSONResponse(body, status_code=status_code)


def install(app: FastAPI, ctx: AppContext) -> None:
    """Add this surface's routes to the app."""
    limit = ctx.settings.triggers.webhook_max_bytes

    @app.post(
        "/webhooks/ats/{provider}/{connection}",
        tags=["webhooks"],
        responses={
            200: {"description": "Stored (or a replay, acknowledged and not processed again)."},
            400: {"description": "The body is not the provider's JSON."},
            401: {"description": "Missing or wrong signature, or a stale timestamp."},
            404: {"description": "No such connection for this provider."},
            413: {"description": "The body is over 1 MiB."},
        },
    )
    async def receive_ats_webhook(provider: str, connection: str, request: Request) -> JSONResponse:
        """Receive an ATS webhook: greenhouse, lever, ashby, workable, or generic (skilltick's
        signed JSON). The URL comes from `skilltick connections add`; each provider signs as
        it documents (Greenhouse `Signature`, Lever body `signature`, `Ashby-Signature`,
        `X-Workable-Signature`, generic `X-Skilltick-Signature` + `X-Skilltick-Timestamp`).
        The event is stored before the answer and processed by the worker within a second;
        a replay is acknowledged and processed once."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return _too_large(limit)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                return _too_large(limit)
        headers = {k.lower(): v for k, v in request.headers.items()}
        receipt = await run_in_threadpool(
            receive,
            ctx.engine,
            provider=provider,
            key=connection,
            body=bytes(body),
            headers=headers,
            now=datetime.now(UTC),
        )
        if receipt.new_event:
            ctx.wake.set()
        return answer(receipt)
