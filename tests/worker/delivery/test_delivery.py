"""Delivery against a real SMTP server (aiosmtpd on 127.0.0.1) and the real store."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email import message_from_bytes, message_from_string
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.engine import Engine

from models.engine import session_scope
from models.settings_integrations import SmtpSettings
from models.store import deliveries
from models.tables.orgs import Organization
from worker.delivery.base import Message, Recipient, message_id_for, recipient_key
from worker.delivery.deliver import deliver
from worker.delivery.email import OutboxChannel, SmtpChannel, email_channel
from worker.delivery.noop import NoopChannel

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OCC = "automation:7:2026-03-02T09:00:00Z"
ALICE = Recipient("Alice.Recruiter@example.com", "Alice Recruiter")
BOB = Recipient("bob@example.org", "Bob")
MESSAGE = Message(
    subject="Pipeline summary",
    text="3 candidates in Interview.",
    html="<p>3 candidates in <b>Interview</b>.</p>",
)


class Mailbox:
    """aiosmtpd handler: keeps what it accepts, refuses the addresses in `refuse` with 550."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.received = threading.Event()
        self.port = 0  # set by the smtp_server fixture

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            # echo the address, as real servers do: the stored error must not repeat it
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.received.set()
        return "250 Message accepted for delivery"


def free_port() -> int:
    # aiosmtpd's Controller needs an explicit port: let the OS pick one, then release it
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[Callable[[int | None], Mailbox]]:
    """Starts a server (on a given port or a free one); every server is stopped afterwards."""
    controllers: list[Controller] = []

    def start(port: int | None = None) -> Mailbox:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
        controller.start()
        controllers.append(controller)
        mailbox.port = controller.port
        return mailbox

    yield start
    for controller in controllers:
        controller.stop()


def smtp_settings(port: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, timeout_seconds=5.0)


@pytest.fixture
def org_id(sqlite_engine: Engine) -> int:
    with session_scope(sqlite_engine) as session:
        org = Organization(slug="acme", name="Acme", created_at=NOW)
        session.add(org)
        session.flush()
        assert org.id is not None
        return org.id


def send(engine: Engine, channel: Any, org_id: int, *recipients: Recipient) -> list[Any]:
    return deliver(
        engine, channel, MESSAGE, recipients, org_id=org_id, run_id=None, occurrence_key=OCC,
        now=NOW,
    )  # fmt: skip


def expected_message_id(recipient: Recipient) -> str:
    return message_id_for(OCC, "email", recipient_key(recipient.address))


def test_the_email_arrives_as_text_and_html_with_its_headers_and_message_id(
    sqlite_engine: Engine, org_id: int, smtp_server: Callable[..., Mailbox]
) -> None:
    mailbox = smtp_server()
    [outcome] = send(sqlite_engine, SmtpChannel(smtp_settings(mailbox.port)), org_id, ALICE)

    assert outcome.status == "sent" and not outcome.resent_after_unknown
    assert mailbox.received.wait(5)
    [email] = mailbox.messages
    assert email.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in email.iter_parts()] == ["text/plain", "text/html"]
    text, html = email.get_body(("plain",)), email.get_body(("html",))
    assert text is not None and html is not None
    assert "3 candidates in Interview." in text.get_content()
    assert "<b>Interview</b>" in html.get_content()
    assert email["Subject"] == "Pipeline summary"
    assert email["From"].addresses[0].addr_spec == "automations@skilltick.local"
    assert email["To"].addresses[0].addr_spec == ALICE.address
    assert email["To"].addresses[0].display_name == "Alice Recruiter"
    assert email["Message-ID"] == expected_message_id(ALICE)
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Date"] is not None


def test_a_second_delivery_of_the_same_occurrence_sends_nothing(
    sqlite_engine: Engine, org_id: int, smtp_server: Callable[..., Mailbox]
) -> None:
    mailbox = smtp_server()
    channel = SmtpChannel(smtp_settings(mailbox.port))
    assert [o.status for o in send(sqlite_engine, channel, org_id, ALICE)] == ["sent"]

    [again] = send(sqlite_engine, channel, org_id, ALICE)

    assert again.status == "skipped" and again.skipped_reason == "already_delivered"
    assert len(mailbox.messages) == 1
    assert deliveries.delivered_count(sqlite_engine, occurrence_key=OCC) == 1


def test_a_send_interrupted_by_a_crash_is_resent_with_the_same_message_id(
    sqlite_engine: Engine, org_id: int, smtp_server: Callable[..., Mailbox]
) -> None:
    mailbox = smtp_server()
    # the crashed attempt: claimed (row committed as `sending`), then died before mark_sent
    first = deliveries.claim_send(
        sqlite_engine, org_id=org_id, run_id=None, occurrence_key=OCC, channel="email",
        recipient_key=recipient_key(ALICE.address), message_id=expected_message_id(ALICE),
        now=NOW,
    )  # fmt: skip
    assert first.action == "send"

    [outcome] = send(sqlite_engine, SmtpChannel(smtp_settings(mailbox.port)), org_id, ALICE)

    assert outcome.status == "sent" and outcome.resent_after_unknown
    assert [m["Message-ID"] for m in mailbox.messages] == [expected_message_id(ALICE)]
    [row] = deliveries.list_deliveries(sqlite_engine, occurrence_key=OCC)
    assert (row.status, row.attempts, row.resent_after_unknown) == ("sent", 2, True)


def test_smtp_down_fails_retryably_without_the_address_and_a_later_delivery_sends_it(
    sqlite_engine: Engine, org_id: int, smtp_server: Callable[..., Mailbox]
) -> None:
    port = free_port()  # nothing listens here yet
    channel = SmtpChannel(smtp_settings(port))

    [down] = send(sqlite_engine, channel, org_id, ALICE)

    assert down.status == "failed" and down.retryable
    assert down.error == f"SMTP server 127.0.0.1:{port} refused the connection"
    assert "@" not in down.error

    mailbox = smtp_server(port)
    [later] = send(sqlite_engine, channel, org_id, ALICE)

    assert later.status == "sent" and not later.resent_after_unknown
    assert len(mailbox.messages) == 1


def test_a_recipient_refused_with_550_fails_permanently(
    sqlite_engine: Engine, org_id: int, smtp_server: Callable[..., Mailbox]
) -> None:
    mailbox = smtp_server()
    mailbox.refuse.add(BOB.address)

    [refused] = send(sqlite_engine, SmtpChannel(smtp_settings(mailbox.port)), org_id, BOB)

    assert refused.status == "failed" and not refused.retryable
    assert refused.error is not None and "550" in refused.error
    assert BOB.address not in refused.error and "@" not in refused.error
    assert mailbox.messages == []


def test_one_refused_recipient_does_not_stop_the_others(
    sqlite_engine: Engine, org_id: int, smtp_server: Callable[..., Mailbox]
) -> None:
    mailbox = smtp_server()
    mailbox.refuse.add(BOB.address)

    outcomes = send(sqlite_engine, SmtpChannel(smtp_settings(mailbox.port)), org_id, BOB, ALICE)

    assert [o.status for o in outcomes] == ["failed", "sent"]
    assert [m["To"].addresses[0].addr_spec for m in mailbox.messages] == [ALICE.address]


def test_without_an_smtp_host_email_goes_to_the_outbox(sqlite_engine: Engine, org_id: int) -> None:
    channel = email_channel(SmtpSettings(), sqlite_engine)
    assert isinstance(channel, OutboxChannel) and channel.name == "email"

    [outcome] = send(sqlite_engine, channel, org_id, ALICE)

    assert outcome.status == "sent"
    [kept] = deliveries.list_outbox(sqlite_engine, org_id=org_id)
    assert (kept.subject, kept.to_addr) == ("Pipeline summary", ALICE.address)
    assert kept.message_id == expected_message_id(ALICE)
    parsed = message_from_string(kept.raw, policy=default_policy)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Message-ID"] == expected_message_id(ALICE)
    assert deliveries.get_outbox_message(sqlite_engine, kept.id or 0) == kept
    assert deliveries.get_outbox_message(sqlite_engine, kept.id or 0, org_id=org_id + 1) is None


def test_delivery_rows_hold_no_address(
    sqlite_engine: Engine, org_id: int, smtp_server: Callable[..., Mailbox]
) -> None:
    mailbox = smtp_server()
    mailbox.refuse.add(BOB.address)
    send(sqlite_engine, SmtpChannel(smtp_settings(mailbox.port)), org_id, ALICE, BOB)

    with sqlite_engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM deliveries")).all()

    assert len(rows) == 2
    cells = [str(value).lower() for row in rows for value in row]
    hits = [c for c in cells for r in (ALICE, BOB) if r.address.lower() in c or r.name.lower() in c]
    assert hits == []


def test_the_noop_channel_counts_sends_and_records_nothing(
    sqlite_engine: Engine, org_id: int
) -> None:
    channel = NoopChannel()

    outcomes = send(sqlite_engine, channel, org_id, ALICE, BOB)

    assert [o.status for o in outcomes] == ["sent", "sent"]
    assert channel.sent == 2
    assert deliveries.list_deliveries(sqlite_engine) == []


def test_claim_send_follows_the_row_and_a_race_for_one_key_sends_once(engine: Engine) -> None:
    # on both stores: the PostgreSQL path goes through the unique constraint's IntegrityError
    with session_scope(engine) as session:
        org = Organization(slug="race", name="Race", created_at=NOW)
        session.add(org)
        session.flush()
        org_pk = org.id or 0
    barrier = threading.Barrier(8)
    actions: list[str] = []

    def claim() -> None:
        barrier.wait(5)
        decision = deliveries.claim_send(
            engine, org_id=org_pk, run_id=None, occurrence_key=OCC, channel="email",
            recipient_key="k", message_id="<m@x>", now=NOW,
        )  # fmt: skip
        actions.append(decision.action)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    # one claimer sends; the others find it `sending` (unknown to them) and say so
    assert sorted(actions) == ["resend_unknown"] * 7 + ["send"]
    [row] = deliveries.list_deliveries(engine, occurrence_key=OCC)
    deliveries.mark_failed(engine, row.id or 0, "x" * 600)
    retry = deliveries.claim_send(
        engine, org_id=org_pk, run_id=None, occurrence_key=OCC, channel="email",
        recipient_key="k", message_id="<other@x>", now=NOW,
    )  # fmt: skip
    assert (retry.action, retry.message_id) == ("send", "<m@x>")
    deliveries.mark_sent(engine, retry.delivery_id, NOW)
    [row] = deliveries.list_deliveries(engine, occurrence_key=OCC)
    assert (row.status, row.attempts, row.error, row.sent_at) == ("sent", 9, None, NOW)
