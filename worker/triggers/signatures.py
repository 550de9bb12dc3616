"""Webhook signature verification, one documented scheme per ATS provider.

Every check compares in constant time (hmac.compare_digest) and works on the raw body bytes as
received, never on re-serialised JSON, and before the body is parsed (Lever signs inside the
body, so its body is parsed first, with the same depth bound). A check returns the identifier the
provider signs, when its scheme has one (Lever's per-delivery `token`, the generic body's `id`),
to deduplicate replays; else None and the body hash deduplicates. Nothing unsigned (a header such
as Greenhouse-Event-ID, Lever's `id` or `data`) ever decides whether a delivery is new.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENERIC_TOLERANCE_SECONDS = 300
LEVER_TOLERANCE_SECONDS = 300
# deeper than any ATS payload, and below the depth where json.loads raises RecursionError
MAX_JSON_DEPTH = 400


class SignatureInvalid(Exception):
    """The delivery is not authentic (or too old); the message says why, without secrets."""


class MalformedBody(Exception):
    """The body is not the JSON object the provider sends."""


@dataclass(frozen=True, slots=True)
class Verified:
    payload: dict[str, Any]
    signed_id: str | None  # an identifier covered by the signature, or None


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iteratively: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def parse_json_object(body: bytes) -> dict[str, Any]:
    too_deep = f"The body nests deeper than {MAX_JSON_DEPTH} levels."
    try:
        payload = json.loads(body)
    except RecursionError:  # the C decoder stops at the interpreter's recursion limit
        raise MalformedBody(too_deep) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedBody(f"The body is not valid JSON ({type(exc).__name__}).") from None
    if json_depth(payload) > MAX_JSON_DEPTH:
        raise MalformedBody(too_deep)
    if not isinstance(payload, dict):
        raise MalformedBody("The body must be a JSON object.")
    return payload


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name.lower()) or headers.get(name)
    if not value:
        raise SignatureInvalid(f"Missing {name} header.")
    return value


def verify_greenhouse(
    body: bytes, headers: Mapping[str, str], secret: str, now: datetime
) -> Verified:
    """Greenhouse web hooks (developers.greenhouse.io/webhooks.html, "Authentication"): header
    `Signature: sha256 <hex>`, the algorithm, a space, then the hex HMAC-SHA256 of the whole
    request body keyed with the web hook's secret key. No timestamp. The `Greenhouse-Event-ID`
    header is not signed, so only the body (its hash) identifies a delivery."""
    value = _header(headers, "Signature")
    algorithm, _, digest = value.strip().partition(" ")
    if algorithm.lower() != "sha256" or not digest:
        raise SignatureInvalid("Signature header must read 'sha256 <hex digest>'.")
    if not _same(hmac_hex(secret, body), digest):
        raise SignatureInvalid("Signature does not match the body.")
    return Verified(parse_json_object(body), None)


def verify_lever(body: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> Verified:
    """Lever webhooks (hire.lever.co/developer/documentation, "Webhooks"): the JSON body holds
    `token`, `triggeredAt` (Unix milliseconds) and `signature`, the hex HMAC-SHA256 of the
    string token + triggeredAt keyed with the webhook's signature token. Only `token` (unique per
    delivery) and `triggeredAt` are signed: the token identifies the delivery, so an edited
    copy (other `id`, other `data`) is a duplicate of the first one received. triggeredAt older
    than 5 minutes is refused (replay window)."""
    payload = parse_json_object(body)
    token, triggered, signature = (payload.get(k) for k in ("token", "triggeredAt", "signature"))
    if not isinstance(token, str) or not isinstance(signature, str) or triggered is None:
        raise SignatureInvalid("Missing token, triggeredAt or signature in the body.")
    if not _same(hmac_hex(secret, f"{token}{triggered}".encode()), signature):
        raise SignatureInvalid("Signature does not match token and triggeredAt.")
    try:
        sent = float(triggered) / 1000
    except (TypeError, ValueError):
        raise SignatureInvalid("triggeredAt is not a timestamp.") from None
    if abs(now.timestamp() - sent) > LEVER_TOLERANCE_SECONDS:
        raise SignatureInvalid("triggeredAt is too old (or in the future): refused as a replay.")
    return Verified(payload, f"token:{token}")


def verify_ashby(body: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> Verified:
    """Ashby (developers.ashbyhq.com/docs/authenticating-webhooks): header
    `Ashby-Signature: sha256=<hex>`, the hex HMAC-SHA256 of the raw JSON body keyed with the
    webhook's secret token. No timestamp and no delivery id (the body hash deduplicates)."""
    value = _header(headers, "Ashby-Signature")
    algorithm, _, digest = value.strip().partition("=")
    if algorithm.lower() != "sha256" or not digest:
        raise SignatureInvalid("Ashby-Signature header must read 'sha256=<hex digest>'.")
    if not _same(hmac_hex(secret, body), digest):
        raise SignatureInvalid("Ashby-Signature does not match the body.")
    return Verified(parse_json_object(body), None)


def verify_workable(
    body: bytes, headers: Mapping[str, str], secret: str, now: datetime
) -> Verified:
    """Workable (workable.readme.io/reference/webhooks, "Encryption"): header
    `X-Workable-Signature`, the hex HMAC-SHA256 of the request payload keyed with the account
    token or the OAuth application secret. No timestamp and no delivery id."""
    value = _header(headers, "X-Workable-Signature")
    if not _same(hmac_hex(secret, body), value):
        raise SignatureInvalid("X-Workable-Signature does not match the body.")
    return Verified(parse_json_object(body), None)


def verify_generic(body: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> Verified:
    """skilltick's own scheme for any other system (documented here and in docs/ats.md):
    `X-Skilltick-Timestamp: <unix seconds>` and `X-Skilltick-Signature: v1=<hex>`, the hex
    HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the connection's secret (the
    Stripe/Standard Webhooks pattern). Timestamps more than 5 minutes away are refused. The
    body's `id` (signed with the body), if any, identifies the event."""
    timestamp = _header(headers, "X-Skilltick-Timestamp").strip()
    value = _header(headers, "X-Skilltick-Signature")
    try:
        sent = int(timestamp)
    except ValueError:
        raise SignatureInvalid("X-Skilltick-Timestamp must be Unix seconds.") from None
    candidates = [part.strip()[3:] for part in value.split(",") if part.strip()[:3] == "v1="]
    if not candidates:
        raise SignatureInvalid("X-Skilltick-Signature must read 'v1=<hex digest>'.")
    expected = hmac_hex(secret, timestamp.encode() + b"." + body)
    if not any(_same(expected, c) for c in candidates):
        raise SignatureInvalid("X-Skilltick-Signature does not match timestamp and body.")
    if abs(now.timestamp() - sent) > GENERIC_TOLERANCE_SECONDS:
        raise SignatureInvalid(
            "X-Skilltick-Timestamp is too old (or in the future): refused as a replay."
        )
    payload = parse_json_object(body)
    event_id = payload.get("id")
    return Verified(payload, str(event_id) if event_id else None)


Verifier = Callable[[bytes, Mapping[str, str], str, datetime], Verified]

VERIFIERS: dict[str, Verifier] = {
    "greenhouse": verify_greenhouse,
    "lever": verify_lever,
    "ashby": verify_ashby,
    "workable": verify_workable,
    "generic": verify_generic,
}


# --- signing, as each provider signs (tests, the benchmark, and anyone sending generic) -----


def sign_generic(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "X-Skilltick-Timestamp": str(timestamp),
        "X-Skilltick-Signature": f"v1={hmac_hex(secret, f'{timestamp}.'.encode() + body)}",
    }


def sign_headers(provider: str, secret: str, body: bytes, *, timestamp: int = 0) -> dict[str, str]:
    """Headers a provider would send with `body` (Lever signs inside the body: see
    lever_signature)."""
    digest = hmac_hex(secret, body)
    if provider == "greenhouse":
        return {"Signature": f"sha256 {digest}"}
    if provider == "ashby":
        return {"Ashby-Signature": f"sha256={digest}"}
    if provider == "workable":
        return {"X-Workable-Signature": digest}
    if provider == "generic":
        return sign_generic(secret, body, timestamp)
    return {}


def lever_signature(secret: str, token: str, triggered_at: int) -> str:
    return hmac_hex(secret, f"{token}{triggered_at}".encode())
