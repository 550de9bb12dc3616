"""A retried delivery to "team" goes to the team its occurrence's first attempt resolved, as the
organisation has it now: whoever did not get it yet gets it once, someone removed in between
does not, and someone who joined in between gets the next run, not this occurrence's retry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.errors import DeliveryError
from models.settings import load_settings
from models.store.members import remove_user
from models.store.orgs import create_user
from tests.worker.tick.tick_support import new_worker, runs_of
from worker.delivery.base import Message, Recipient

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FlakyChannel:
    """Records its deliveries (a retry skips whoever got the message) and fails, retryably,
    the sends to the addresses in `down` while they are there."""

    name = "flaky"
    records_deliveries = True
    in_transaction = False

    def __init__(self, down: set[str]) -> None:
        self.down = down
        self.got: list[str] = []

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if recipient.address in self.down:
            raise DeliveryError("mailbox briefly unavailable", retryable=True)
        self.got.append(recipient.address)


def test_a_team_retry_reaches_the_first_attempts_team_as_it_is_now(engine: Engine) -> None:
    org = make_org(engine, NOW)
    carol, dave = (
        create_user(engine, org_id=org.org_id, email=f"{n}@acme.test", name=n.title(), now=NOW)
        for n in ("carol", "dave")
    )
    auto = make_automation(engine, org, NOW, cron="0 9 * * *", channel="flaky", to=["team"])
    channel = FlakyChannel(down={carol.email, dave.email})
    worker = new_worker(engine, load_settings(max_attempts=3), flaky=channel)

    first = worker.tick(now=NINE)
    assert first.statuses == {"partial": 1}
    assert sorted(channel.got) == sorted([org.admin_email, org.member_email])

    # between the attempts: carol leaves, erin joins, the mail servers recover
    remove_user(engine, org.org_id, carol.id or 0, heir_id=org.admin_id, now=NINE)
    create_user(engine, org_id=org.org_id, email="erin@acme.test", name="Erin", now=NINE)
    channel.down.clear()
    channel.got.clear()
    retry = worker.tick(now=NINE + timedelta(minutes=5))
    assert retry.statuses == {"completed": 1}
    assert channel.got == [dave.email]
    run_a, run_b = runs_of(engine, auto)
    assert (run_a.attempt, run_a.status, run_b.attempt, run_b.status) == (
        1,
        "partial",
        2,
        "completed",
    )

    # the next occurrence goes to the team as it is then
    channel.got.clear()
    worker.tick(now=NINE + timedelta(days=1))
    assert sorted(channel.got) == sorted(
        [org.admin_email, org.member_email, dave.email, "erin@acme.test"]
    )
