"""Outgoing webhooks are signed with a secret per organisation, shown to its admins: each
organisation's receiver verifies its own messages, and no organisation's secret verifies (or
signs) another's."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from bench.kit.peers.local_http import Reply, serve
from models.errors import DeliveryError
from models.settings import load_settings
from tests.assistant.http.service_harness import (
    client,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in
from worker.delivery.base import Message, Recipient
from worker.delivery.webhook import WebhookChannel, verify

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SERVICE_SECRET = "whsec-service-wide"


class Receiver:
    """Records whether each post verifies with the secret its organisation's admin was shown."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.verified: list[bool] = []

    def __call__(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        ok = verify(
            self.secret,
            headers.get("x-skilltick-timestamp", ""),
            body,
            headers.get("x-skilltick-signature", ""),
        )
        self.verified.append(ok)
        return (200, {}, b"ok") if ok else (401, {}, b"bad signature")


def test_each_organisation_verifies_its_own_messages_and_not_anothers(
    sqlite_engine: Engine,
) -> None:
    engine = sqlite_engine
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    other = make_org_with_tokens(engine, NOW, slug="other")
    settings = load_settings(
        webhooks={"signing_secret": SERVICE_SECRET, "allowlist": ["127.0.0.1"]}
    )
    with live_server(make_context(engine, settings)) as url:
        shown: dict[int, str] = {}
        for org in (acme, other):
            with client(url, org.admin_token) as api:
                answer = api.get("/api/admin/webhook-secret")
                assert answer.status_code == 200, answer.text
                shown[org.fixture.org_id] = answer.json()["secret"]
        with client(url, acme.member_token) as api:
            assert api.get("/api/admin/webhook-secret").status_code == 403
        # the dashboard's admin page shows an admin the same secret
        with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as browser:
            assert sign_in(browser, acme.admin_token).status_code == 303
            page = browser.get("/admin").text
            assert f'<code id="webhook-secret">{shown[acme.fixture.org_id]}</code>' in page
    assert len(set(shown.values())) == 2 and SERVICE_SECRET not in shown.values()

    channel = WebhookChannel(settings.webhooks)
    message = Message(subject="3 new applicants", text="Backend Engineer: 3")
    for sender in shown:
        for receiver_org, secret in shown.items():
            receiver = Receiver(secret)
            with serve(receiver) as hook:
                with contextlib.suppress(DeliveryError):  # refused: 401
                    channel.send(message, Recipient(hook), message_id="<m@x>", org_id=sender)
            assert receiver.verified == [sender == receiver_org], (sender, receiver_org)
