"""A send's message id: the same on every attempt of an occurrence for one recipient, given to
every channel that uses one, whichever way the send goes (deliver(), or straight through a
Sender); a channel that declares it uses none is given an empty one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from worker.delivery.base import Message, Recipient, message_id_for, recipient_key
from worker.delivery.deliver import Sender, deliver

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MESSAGE = Message(subject="Pipeline summary", text="3 candidates in Interview.")
ALICE = Recipient("Alice.Recruiter@example.com", "Alice Recruiter")
BOB = Recipient("bob@example.org", "Bob")


class Kept:
    """A channel that keeps the message ids its sends were given."""

    name = "kept"
    records_deliveries = False

    def __init__(self) -> None:
        self.ids: list[str] = []

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        self.ids.append(message_id)


class Nameless(Kept):
    """The same channel, declaring its sends use no message id."""

    message_ids = False


def _sends(engine: Engine, channel: Kept, occurrence: str) -> list[str]:
    """The ids given to a send to Alice straight through a Sender, then to Alice and Bob
    through deliver()."""
    sender = Sender(engine, channel)
    assert sender.direct
    sender.to_one(MESSAGE, ALICE, 1, occurrence)
    deliver(
        engine,
        channel,
        MESSAGE,
        [ALICE, BOB],
        org_id=1,
        run_id=None,
        occurrence_key=occurrence,
        now=NOW,
    )
    return channel.ids


@pytest.mark.parametrize("occurrence", ["a7:2026-03-02T09:00:00+00:00", "run:12"])
def test_a_channel_that_uses_message_ids_gets_the_same_one_on_every_attempt(
    sqlite_engine: Engine, occurrence: str
) -> None:
    first = _sends(sqlite_engine, Kept(), occurrence)
    again = _sends(sqlite_engine, Kept(), occurrence)
    alice, bob = (
        message_id_for(occurrence, "kept", recipient_key(r.address)) for r in (ALICE, BOB)
    )
    assert first == again == [alice, alice, bob]
    assert alice != bob and alice.startswith("<") and alice.endswith("@skilltick.local>")
    assert _sends(sqlite_engine, Kept(), occurrence + "0")[0] != alice


def test_a_channel_that_uses_none_is_given_an_empty_one(sqlite_engine: Engine) -> None:
    assert _sends(sqlite_engine, Nameless(), "a7:2026-03-02T09:00:00+00:00") == ["", "", ""]
