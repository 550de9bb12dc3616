"""Delivery that cannot stall the worker or send twice: a failing destination's breaker opens
and fails fast, then lets one trial through; destinations of one message are sent to in
parallel; the local outbox stores a message and marks its delivery in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bench.kit.factories import make_org
from bench.kit.peers.local_http import Reply, serve
from models.settings_integrations import SmtpSettings, WebhookSettings
from models.store import deliveries
from tests.worker.delivery.test_delivery import (  # noqa: F401 (fixture)
    Mailbox,
    free_port,
    smtp_server,
)
from worker.delivery.base import Message, Recipient, message_id_for, recipient_key
from worker.delivery.deliver import deliver
from worker.delivery.email import OutboxChannel, SmtpChannel
from worker.delivery.webhook import WebhookChannel

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MESSAGE = Message(subject="Pipeline summary", text="3 new candidates")
ALICE = Recipient("alice@example.com", "Alice")


def send(engine: Engine, channel: Any, org_id: int, key: str, now: datetime, *to: Recipient) -> Any:
    return deliver(
        engine, channel, MESSAGE, to, org_id=org_id, run_id=None, occurrence_key=key, now=now
    )


def test_a_failing_smtp_server_opens_its_breaker_fails_fast_and_closes_after_a_trial(
    engine: Engine,
    smtp_server: Any,  # noqa: F811
) -> None:
    org = make_org(engine, NOW)
    port = free_port()  # nothing listens: every connection is refused
    channel = SmtpChannel(SmtpSettings(host="127.0.0.1", port=port))
    server = f"SMTP server 127.0.0.1:{port}"

    errors = [
        send(engine, channel, org.org_id, f"occ{i}", NOW + timedelta(seconds=i), ALICE)[0].error
        for i in range(5)
    ]

    assert errors[:3] == [f"{server} refused the connection"] * 3
    for error in errors[3:]:
        assert error.startswith(f"{server} failed 3 times in a row, so sends to it are paused")
        assert error.endswith(f"(last error: {server} refused the connection)")
    [shown] = channel.breakers.open()
    assert shown["destination"] == server and shown["failures"] == 3
    assert shown["since"] == (NOW + timedelta(seconds=2)).isoformat()

    mailbox: Mailbox = smtp_server(port)  # the server is back
    [early] = send(engine, channel, org.org_id, "occ-early", NOW + timedelta(seconds=30), ALICE)
    assert early.status == "failed" and early.retryable and mailbox.messages == []
    [trial] = send(engine, channel, org.org_id, "occ-trial", NOW + timedelta(seconds=63), ALICE)
    assert trial.status == "sent" and len(mailbox.messages) == 1
    assert channel.breakers.open() == []


def test_a_refused_recipient_does_not_open_the_breaker(
    engine: Engine,
    smtp_server: Any,  # noqa: F811
) -> None:
    org = make_org(engine, NOW)
    mailbox: Mailbox = smtp_server()
    mailbox.refuse.add(ALICE.address)
    channel = SmtpChannel(SmtpSettings(host="127.0.0.1", port=mailbox.port))

    outcomes = [send(engine, channel, org.org_id, f"o{i}", NOW, ALICE)[0] for i in range(5)]

    assert [o.retryable for o in outcomes] == [False] * 5
    assert all("550" in (o.error or "") for o in outcomes)
    assert channel.breakers.open() == []


class HeldReceiver:
    """Answers only once `release` is set (or after `limit` seconds), noting whether it was."""

    def __init__(self, release: threading.Event, limit: float = 10.0) -> None:
        self.release, self.limit = release, limit
        self.released_in_time: bool | None = None

    def __call__(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        self.released_in_time = self.release.wait(self.limit)
        return 200, {}, b"ok"


def test_webhook_destinations_of_one_message_are_sent_to_in_parallel(engine: Engine) -> None:
    org = make_org(engine, NOW)
    fast_arrived = threading.Event()

    def fast(verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        fast_arrived.set()
        return 200, {}, b"ok"

    held = HeldReceiver(fast_arrived)
    channel = WebhookChannel(WebhookSettings(signing_secret="s", allowlist=["127.0.0.1"]))
    with serve(held) as slow_url, serve(fast) as fast_url:
        outcomes = send(
            engine, channel, org.org_id, "occ", NOW, Recipient(slow_url), Recipient(fast_url)
        )

    assert [o.status for o in outcomes] == ["sent", "sent"]
    # the held receiver was still waiting when the other destination got its post
    assert held.released_in_time is True


@contextmanager
def failing_updates_of(engine: Engine, table: str) -> Iterator[None]:
    """Every UPDATE of `table` fails, as if the process died right before it."""

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(f"UPDATE {table.upper()} "):
            raise OperationalError(statement, None, RuntimeError(f"killed before {table}"))

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", refuse)


def test_the_outbox_message_and_its_delivery_mark_are_one_transaction(engine: Engine) -> None:
    org = make_org(engine, NOW)
    channel = OutboxChannel(engine, clock=lambda: NOW)
    key = message_id_for("occ", "email", recipient_key(ALICE.address))

    with failing_updates_of(engine, "deliveries"):
        [interrupted] = send(engine, channel, org.org_id, "occ", NOW, ALICE)
    # nothing was kept without its mark, so the retry is the only message
    assert interrupted.status == "failed" and interrupted.retryable
    assert deliveries.list_outbox(engine, org_id=org.org_id) == []

    [retried] = send(engine, channel, org.org_id, "occ", NOW + timedelta(minutes=1), ALICE)
    assert retried.status == "sent"
    assert [m.message_id for m in deliveries.list_outbox(engine, org_id=org.org_id)] == [key]
    [row] = deliveries.list_deliveries(engine, occurrence_key="occ")
    assert row.status == "sent"
