"""Webhook delivery: a signed JSON POST to a URL the automation names.

Body (UTF-8 JSON):
    {"id": "<message id>", "subject": ..., "text": ..., "html": ... | null,
     "blocks": [...] | null, "org_id": N, "sent_at": "<ISO 8601 UTC>", "url": "<the address>"}
(`blocks`: a report's Slack Block Kit when the Slack app's layout was handed over, else null;
`url`: the address the message was sent to, as the automation names it)

Headers:
    Content-Type: application/json
    X-Skilltick-Message-Id: the message id, the same on every attempt (deduplicate on it)
    X-Skilltick-Timestamp: Unix seconds when this attempt was signed
    X-Skilltick-Signature: "v1=" + hex(HMAC-SHA256(secret, f"{timestamp}.{body}"))

To verify: recompute the HMAC over the timestamp header, a dot and the raw body bytes with the
organisation's signing secret (`org_signing_secret`: derived from SKILLTICK_WEBHOOK_SIGNING_SECRET
and the organisation's id, shown to its admins), compare in constant time, and refuse
timestamps more than five minutes old (replays), then check that `url` is the receiver's own
address. Each organisation has its own secret, so one organisation's receivers cannot sign a
message another organisation's receivers accept; within one, every member may send webhooks to
an address of their own, so a message signed for one address must not be taken at another.

Destinations are guarded (server-side request forgery): the host is resolved and every address
it resolves to must be public — not private, loopback, link-local, multicast, reserved,
unspecified or a cloud metadata address — unless SKILLTICK_WEBHOOK_ALLOWLIST names the host or
the address (IP or CIDR). The connection then goes to the address that was checked (with the
original Host header and TLS server name), so a second DNS answer cannot redirect it (DNS
rebinding). Redirects are never followed. The timeout bounds the whole exchange (not each
read), and at most 2 KiB of the answer is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from models.errors import DeliveryError
from models.settings_integrations import WebhookSettings
from worker.delivery.base import ChatLayout, Message, Recipient
from worker.delivery.breaker import Breakers
from worker.delivery.guard import Destination, check_destination

USER_AGENT = "skilltick-webhook/1"
_REPLY_MAX_CHARS = 120


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Skilltick-Signature value for this timestamp and body."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def org_signing_secret(service_secret: str, org_id: int | None) -> str:
    """The secret an organisation's receivers verify with: an HMAC of its id under the
    service's secret, so the service keeps one secret and no organisation learns another's."""
    label = f"skilltick webhook signing secret for organisation {org_id or 0}"
    mac = hmac.new(service_secret.encode("utf-8"), label.encode("utf-8"), hashlib.sha256)
    return "whsec_" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (used by the tests' receiver): constant-time comparison."""
    try:
        expected = sign(secret, int(timestamp), body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature)


def webhook_destination(url: str) -> str:
    """A webhook URL's destination as breakers and status name it ("webhook host:port"): two
    services on one host fail (and are sent to) independently."""
    parts = urlsplit(url.strip())
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"webhook {parts.hostname or 'host'}{port}"


@dataclass(frozen=True)
class WebhookReply:
    status: int
    reason: str
    body: str


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an already-checked address, with SNI and certificate checks for the host."""

    def __init__(
        self, ip: str, port: int, server_name: str, *, timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(ip, port, timeout=timeout, context=context)
        self._server_name = server_name
        self._tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self._server_name)


class WebhookChannel:
    name: str = "webhook"
    records_deliveries: bool = True

    def __init__(
        self,
        config: WebhookSettings,
        *,
        clock: Callable[[], float] = time.time,
        resolver: Callable[..., list] = socket.getaddrinfo,
        tls: ssl.SSLContext | None = None,
        layout: ChatLayout | None = None,
    ) -> None:
        if not config.signing_secret:
            raise DeliveryError(
                "The webhook channel is not set up on this server: set "
                "SKILLTICK_WEBHOOK_SIGNING_SECRET (receivers verify the signature with it).",
                retryable=False,
            )
        self.secret = config.signing_secret
        self.allowlist = tuple(config.allowlist)
        self.timeout = config.timeout_seconds
        self.clock = clock
        self.resolver = resolver
        # the system's trust store; tests pass a context trusting their own certificate
        self.tls = tls or ssl.create_default_context()
        self.breakers = Breakers()
        self.layout = layout

    def destination(self, recipient: Recipient) -> str:
        return webhook_destination(recipient.address)

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        destination = check_destination(recipient.address, self.allowlist, self.resolver)
        now = self.clock()
        body = json.dumps(
            {
                "id": message_id,
                "subject": message.subject,
                "text": message.text,
                "html": message.html,
                # a report's Block Kit, for receivers that forward it to Slack
                "blocks": self.layout.blocks(message) if self.layout and message.document else None,
                "org_id": org_id,
                "sent_at": datetime.fromtimestamp(now, UTC).isoformat(),
                # signed with the rest: a message captured at one receiver of the organisation
                # (a member's own) names that receiver, and another refuses it
                "url": recipient.address.strip(),
            },
            separators=(",", ":"),
        ).encode("utf-8")
        timestamp = int(now)
        headers = {
            "Host": destination.host_header,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Skilltick-Message-Id": message_id,
            "X-Skilltick-Timestamp": str(timestamp),
            "X-Skilltick-Signature": sign(org_signing_secret(self.secret, org_id), timestamp, body),
        }
        reply = self._post(destination, body, headers)
        if 200 <= reply.status < 300:
            return
        raise _refusal(destination, reply)

    def _post(self, destination: Destination, body: bytes, headers: dict[str, str]) -> WebhookReply:
        connection = self._connect(destination)
        # the timeout bounds the whole exchange, not each read: a receiver that answers a byte
        # at a time cannot hold a worker thread for longer
        expired = threading.Event()
        timer = threading.Timer(self.timeout, _cut, (connection, expired))
        timer.daemon = True
        timer.start()
        try:
            # skip_host: the Host header names the URL's host, not the pinned address
            connection.putrequest(
                "POST", destination.path, skip_host=True, skip_accept_encoding=True
            )
            for key, value in headers.items():
                connection.putheader(key, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            text = response.read(2048).decode("utf-8", "replace")
            if expired.is_set():  # what was read before the cut is not an answer
                raise self._timeout(destination)
            return WebhookReply(response.status, response.reason, text)
        except TimeoutError as exc:
            raise self._timeout(destination) from exc
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                raise self._timeout(destination) from exc
            raise DeliveryError(
                f"webhook {destination.host} could not be reached ({type(exc).__name__})",
                retryable=True,
            ) from exc
        finally:
            timer.cancel()
            connection.close()

    def _connect(self, destination: Destination) -> http.client.HTTPConnection:
        """A connection to the first checked address that answers (IPv6 and IPv4 both
        resolved, one of them unreachable, is common)."""
        failure: OSError | None = None
        for ip in destination.ips:
            connection: http.client.HTTPConnection
            if destination.scheme == "https":
                connection = _PinnedHTTPSConnection(
                    ip, destination.port, destination.host, timeout=self.timeout, context=self.tls
                )
            else:
                connection = http.client.HTTPConnection(ip, destination.port, timeout=self.timeout)
            try:
                connection.connect()
                return connection
            except ssl.SSLError as exc:
                connection.close()
                raise DeliveryError(
                    f"webhook {destination.host}: TLS failed ({exc.reason})", retryable=True
                ) from exc
            except TimeoutError as exc:
                connection.close()
                raise self._timeout(destination) from exc
            except OSError as exc:
                connection.close()
                failure = exc
        raise DeliveryError(
            f"webhook {destination.host} could not be reached ({type(failure).__name__})",
            retryable=True,
        ) from failure

    def _timeout(self, destination: Destination) -> DeliveryError:
        return DeliveryError(
            f"webhook {destination.host} did not answer within {self.timeout:g} s", retryable=True
        )


def _cut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    """Out of time: end the exchange (a blocked read returns at once)."""
    expired.set()
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)


def _refusal(destination: Destination, reply: WebhookReply) -> DeliveryError:
    """4xx (but 408 and 429) will not change on a retry; 3xx (not followed), 5xx, 408 and 429
    may."""
    status = reply.status
    retryable = not (400 <= status < 500) or status in (408, 429)
    detail = " ".join(reply.body.split())[:_REPLY_MAX_CHARS]
    what = "redirected (not followed)" if 300 <= status < 400 else "answered"
    return DeliveryError(
        f"webhook {destination.host} {what} {status} {reply.reason}".rstrip()
        + (f": {detail}" if detail else ""),
        retryable=retryable,
    )
