"""In-app delivery: the message lands in the recipient's skilltick inbox (dashboard, CLI
`skilltick inbox`, the tool set's list_inbox / read_inbox).

The recipient is a user of the automation's organisation, named by email ("me" is the owner).
The message id is the inbox row's key, so a resend after an unknown outcome stores it once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from models.errors import DeliveryError, NotFound
from models.store.inbox import add_inbox_message
from worker.delivery.base import Message, Recipient


def _utcnow() -> datetime:
    return datetime.now(UTC)


class InAppChannel:
    name: str = "in_app"
    records_deliveries: bool = True

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.engine = engine
        # the channel protocol carries no `now`; tests pin the clock here
        self.clock = clock

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if org_id is None:
            raise DeliveryError("an in-app message needs an organisation", retryable=False)
        try:
            add_inbox_message(
                self.engine,
                org_id=org_id,
                user_email=recipient.address,
                message_key=message_id,
                subject=" ".join(message.subject.split()),
                text=message.text,
                html=message.html,
                now=self.clock(),
            )
        except NotFound as exc:
            raise DeliveryError(exc.message, retryable=False) from None
        except SQLAlchemyError as exc:
            raise DeliveryError(
                f"the message could not be stored in the inbox ({type(exc).__name__})",
                retryable=True,
            ) from exc
