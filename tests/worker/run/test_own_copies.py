"""An open-roles list sent "to the hiring managers" and its owner: each hiring manager gets only
the roles they manage, the owner the whole list (once, when they manage roles too), through the
real executor and a channel that records its deliveries; a manager whose send failed gets their
own list on the retry. Jobs and their managers are generated; what each should get is worked
out here from the generated assignment."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.factories import make_automation, make_org
from models.errors import DeliveryError
from models.settings import load_settings
from models.store.orgs import create_user
from models.tables.demo_ats import AtsJob
from tests.worker.tick.tick_support import new_worker, runs_of
from worker.delivery.base import Message, Recipient

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DEPARTMENTS = ("Engineering", "Sales", "Design")


class MailRoom:
    """Records what each address got; fails, retryably, the sends to the addresses in `down`."""

    name = "mailroom"
    records_deliveries = True
    in_transaction = False

    def __init__(self, down: set[str]) -> None:
        self.down = down
        self.got: list[tuple[str, Message]] = []

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        if recipient.address in self.down:
            raise DeliveryError("mailbox briefly unavailable", retryable=True)
        self.got.append((recipient.address, message))


def listed(message: Message) -> Counter[str]:
    """The roles a list names: each role's line starts with its title and location."""
    return Counter(re.findall(r"(Role \d+, \w+) — open ", message.text))


def test_each_hiring_manager_gets_their_own_roles_and_the_owner_the_whole_list(
    engine: Engine,
) -> None:
    rng = random.Random(11)
    org = make_org(engine, NOW)
    people = {org.admin_id: org.admin_email, org.member_id: org.member_email}
    for name in ("carol", "dave", "erin"):
        user = create_user(engine, org_id=org.org_id, email=f"{name}@acme.test", name=name, now=NOW)
        people[user.id or 0] = user.email
    managers = [*people, None]  # a role may have no hiring manager
    jobs: list[AtsJob] = []
    for n in range(14):
        manager = rng.choice(managers)
        jobs.append(
            AtsJob(
                org_id=org.org_id,
                title=f"Role {n}",
                department=rng.choice(DEPARTMENTS),
                location=rng.choice(("Berlin", "Lisbon")),
                status=rng.choice(("open", "open", "open", "closed")),
                hiring_manager_id=manager,
                created_at=NOW - timedelta(days=rng.randint(1, 90)),
            )
        )
    with Session(engine) as s:
        s.add_all(jobs)
        s.commit()
        for job in jobs:
            s.refresh(job)
    open_jobs = [j for j in jobs if j.status == "open"]
    expected: dict[str, Counter[str]] = {}
    for job in open_jobs:
        if job.hiring_manager_id is not None:
            address = people[job.hiring_manager_id]
            expected.setdefault(address, Counter())[f"{job.title}, {job.location}"] += 1
    whole = Counter(f"{j.title}, {j.location}" for j in open_jobs)
    # the owner manages roles too: they get the whole list, and only it
    owner = org.admin_email
    assert (
        owner in expected
        and len(expected) >= 3
        and any(j.hiring_manager_id is None for j in open_jobs)
    )
    expected[owner] = whole
    flaky = next(a for a in expected if a != owner)

    auto = make_automation(
        engine,
        org,
        NOW,
        skill="open-roles-report",
        channel="mailroom",
        to=["hiring_manager", "me"],
        owner_id=org.admin_id,
    )
    room = MailRoom(down={flaky})
    worker = new_worker(engine, load_settings(max_attempts=3), mailroom=room)
    assert worker.tick(now=NINE).statuses == {"partial": 1}
    room.down.clear()
    worker.tick(now=NINE + timedelta(hours=1))
    assert [r.status for r in runs_of(engine, auto)] == ["partial", "completed"]

    got = dict(room.got)
    assert len(got) == len(room.got) == len(expected)  # one message each, the retry included
    for address, roles in expected.items():
        message = got[address]
        assert listed(message) == roles, address
        mine = address != owner
        assert message.subject.startswith("Your open roles — " if mine else "Open roles — ")
        assert f"{sum(roles.values())} role" in message.text
        assert (message.html or "").count("Role ") >= sum(roles.values())
