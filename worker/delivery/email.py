"""Email delivery: build a multipart text + HTML message, send it over SMTP, or keep it in the
local outbox when no SMTP server is configured (one command, no credentials)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, parseaddr

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from models.addresses import is_email_address, shown
from models.errors import DeliveryError
from models.settings_integrations import SmtpSettings
from models.store.deliveries import add_outbox_message
from worker.delivery.base import Channel, Message, Recipient, redact_addresses
from worker.delivery.breaker import Breakers

_REPLY_MAX_CHARS = 200


def build_email(
    message: Message,
    recipient: Recipient,
    *,
    message_id: str,
    mail_from: str,
    date: datetime | None = None,
) -> EmailMessage:
    """text/plain alone, or multipart/alternative (text/plain, then text/html) when there is
    HTML. Raises ValueError for an address or header that cannot be put in a message."""
    address = recipient.address.strip()
    if not is_email_address(address):  # an ATS record may hold "a@x.test, b@y.test"
        raise ValueError(f"{shown(address)} is not one e-mail address")
    email = EmailMessage()
    email["From"] = mail_from
    # a name is one line, whatever its source (an ATS record) put in it; an Address, not a
    # formatted string, so that a name with a colon and an @ is encoded whole
    name = " ".join(recipient.name.split())
    email["To"] = Address(display_name=name, addr_spec=address)
    # headers may not contain line breaks; a rendered subject sometimes does
    email["Subject"] = " ".join(message.subject.split())
    email["Date"] = format_datetime(date.astimezone(UTC)) if date else formatdate(usegmt=True)
    email["Message-ID"] = message_id
    # RFC 3834: tells auto-responders (out-of-office) not to answer an automation
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.text)
    if message.html is not None:
        email.add_alternative(message.html, subtype="html")
    return email


class SmtpChannel:
    """SMTP with optional STARTTLS and login; one connection per send, which keeps failures
    independent (a dropped connection cannot poison the next recipient)."""

    name: str = "email"
    records_deliveries: bool = True

    def __init__(self, settings: SmtpSettings) -> None:
        if not settings.host:
            raise ValueError("SmtpChannel needs an SMTP host")
        self.host = settings.host
        self.port = settings.port
        self.username = settings.username
        self.password = settings.password
        self.starttls = settings.starttls
        self.timeout = settings.timeout_seconds
        self.mail_from = settings.mail_from
        self.envelope_from = parseaddr(settings.mail_from)[1] or settings.mail_from
        self.breakers = Breakers()

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    def destination(self, recipient: Recipient) -> str:
        return f"SMTP server {self.server}"

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        try:
            email = build_email(message, recipient, message_id=message_id, mail_from=self.mail_from)
        except ValueError as exc:
            raise DeliveryError(
                "the message could not be built (invalid address or header)", retryable=False
            ) from exc
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(
                    email, from_addr=self.envelope_from, to_addrs=[recipient.address.strip()]
                )
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (550, b""))
            raise self._refusal("refused the recipient", code, reply) from exc
        except smtplib.SMTPResponseException as exc:
            # sender refused, data refused, auth failed, bad greeting: 4xx is temporary
            raise self._refusal("refused the message", exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPNotSupportedError as exc:
            # STARTTLS / SMTPUTF8 not offered: a configuration problem, retrying will not help
            raise DeliveryError(
                f"SMTP server {self.server} does not support a required extension "
                f"({redact_addresses(str(exc))[:_REPLY_MAX_CHARS]})",
                retryable=False,
            ) from exc
        except smtplib.SMTPServerDisconnected as exc:
            # smtplib reports a reply that timed out as a disconnection; say which it was
            if isinstance(exc.__context__, TimeoutError):
                raise self._timeout() from exc
            raise DeliveryError(
                f"SMTP server {self.server} closed the connection", retryable=True
            ) from exc
        except ConnectionRefusedError as exc:
            raise DeliveryError(
                f"SMTP server {self.server} refused the connection", retryable=True
            ) from exc
        except TimeoutError as exc:
            raise self._timeout() from exc
        except (OSError, smtplib.SMTPException) as exc:
            # DNS failures, resets, TLS errors: the server may be back on the next attempt
            raise DeliveryError(
                f"SMTP server {self.server} could not be reached ({type(exc).__name__})",
                retryable=True,
            ) from exc

    def _timeout(self) -> DeliveryError:
        return DeliveryError(
            f"SMTP server {self.server} did not answer within {self.timeout:g} s", retryable=True
        )

    def _refusal(self, what: str, code: int, reply: bytes | str) -> DeliveryError:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        text = redact_addresses(" ".join(text.split()))[:_REPLY_MAX_CHARS]
        return DeliveryError(
            f"SMTP server {self.server} {what}: {code} {text}".rstrip(),
            retryable=not 500 <= code < 600,
        )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxChannel:
    """Keeps the full RFC 5322 message in the outbox table (dashboard / CLI show it)."""

    name: str = "email"
    records_deliveries: bool = True

    def __init__(
        self,
        engine: Engine,
        *,
        mail_from: str = SmtpSettings.model_fields["mail_from"].default,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.engine = engine
        self.mail_from = mail_from
        # the channel protocol carries no `now`; tests pin the clock here
        self.clock = clock

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        self._store(message, recipient, message_id=message_id, org_id=org_id, sent=None)

    def send_recorded(
        self,
        message: Message,
        recipient: Recipient,
        *,
        message_id: str,
        org_id: int | None,
        delivery_id: int,
        now: datetime,
    ) -> None:
        """Store the message and mark delivery `delivery_id` sent, in one transaction."""
        self._store(
            message, recipient, message_id=message_id, org_id=org_id, sent=(delivery_id, now)
        )

    def _store(
        self,
        message: Message,
        recipient: Recipient,
        *,
        message_id: str,
        org_id: int | None,
        sent: tuple[int, datetime] | None,
    ) -> None:
        now = self.clock()
        try:
            email = build_email(
                message, recipient, message_id=message_id, mail_from=self.mail_from, date=now
            )
        except ValueError as exc:
            raise DeliveryError(
                "the message could not be built (invalid address or header)", retryable=False
            ) from exc
        try:
            add_outbox_message(
                self.engine,
                org_id=org_id,
                message_id=message_id,
                to_addr=recipient.address.strip(),
                subject=str(email["Subject"]),
                raw=email.as_string(),
                now=now,
                mark_sent=sent,
            )
        except SQLAlchemyError as exc:
            raise DeliveryError(
                f"the message could not be stored in the outbox ({type(exc).__name__})",
                retryable=True,
            ) from exc


def email_channel(settings: SmtpSettings, engine: Engine) -> Channel:
    """SMTP when a server is configured, else the local outbox."""
    if settings.host:
        return SmtpChannel(settings)
    return OutboxChannel(engine, mail_from=settings.mail_from)
