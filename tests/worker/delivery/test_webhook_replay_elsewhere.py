"""A signed webhook message names the address it was sent to, so one receiver's message cannot
be replayed to another receiver of the same organisation: every member may send webhooks (to
an address of their own, with a reminder's text of their choosing), and every message of the
organisation is signed with one secret. A receiver verifies the signature and that `url` is its
own address, and so refuses a message captured elsewhere within the timestamp's five minutes."""

from __future__ import annotations

import json

import httpx

from bench.kit.peers.local_http import Reply, serve
from models.settings import load_settings
from worker.delivery.base import Message, Recipient
from worker.delivery.webhook import WebhookChannel, org_signing_secret, verify

SERVICE_SECRET = "whsec-service-wide"
ORG_ID = 7


class Receiver:
    """A receiver of the organisation at `url` (known once served), doing what the docs say."""

    def __init__(self, secret: str) -> None:
        self.secret, self.url = secret, ""
        self.accepted: list[dict[str, object]] = []
        self.captured: list[tuple[dict[str, str], bytes]] = []

    def __call__(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        self.captured.append((headers, body))
        timestamp = headers.get("x-skilltick-timestamp", "")
        signature = headers.get("x-skilltick-signature", "")
        if not verify(self.secret, timestamp, body, signature):
            return 401, {}, b"bad signature"
        message = json.loads(body)
        if message.get("url") != self.url:
            return 401, {}, b"sent to another address"
        self.accepted.append(message)
        return 200, {}, b"ok"


def test_a_message_captured_at_one_receiver_is_refused_by_another() -> None:
    settings = load_settings(
        webhooks={"signing_secret": SERVICE_SECRET, "allowlist": ["127.0.0.1"]}
    )
    channel = WebhookChannel(settings.webhooks)
    secret = org_signing_secret(SERVICE_SECRET, ORG_ID)
    members, admins = Receiver(secret), Receiver(secret)
    with serve(members) as members_url, serve(admins) as admins_url:
        members.url, admins.url = f"{members_url}/mine", f"{admins_url}/offers?k=1"
        forged = Message(subject="Offer accepted", text="Jane Doe starts Monday: wire the bonus")
        channel.send(forged, Recipient(members.url), message_id="<a@x>", org_id=ORG_ID)
        real = Message(subject="Offer accepted", text="Sam Lee starts on the 4th")
        channel.send(real, Recipient(admins.url), message_id="<b@x>", org_id=ORG_ID)
        [(headers, body)] = members.captured
        replayed = httpx.post(
            admins.url,
            content=body,
            headers={k: v for k, v in headers.items() if k.startswith("x-skilltick-")},
            timeout=10,
        )
    assert [m["subject"] for m in members.accepted] == ["Offer accepted"]
    assert [m["text"] for m in admins.accepted] == ["Sam Lee starts on the 4th"]
    assert admins.accepted[0]["url"] == admins.url
    assert replayed.status_code == 401, "a message signed for another address was accepted"
