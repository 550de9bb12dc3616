"""Sequences follow every ATS, not only the demo one: signed Greenhouse, Lever and generic
webhooks that hire, reject, withdraw or answer a candidate stop that candidate's enrolments
through the same reaction the demo ATS's events use, a new prospect enrols into automatic
sequences, and an event naming another organisation's candidate changes nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.app import AppContext
from assistant.http.app import create_app
from bench.kit.factories import make_org
from models.store import sequences as sequences_store
from models.store.events import add_connection, list_events
from models.tables.demo_ats import AtsApplication
from models.tables.sequences import Enrolment
from skills.ats.seed import DemoOrg, seed_demo
from tests.worker.triggers.trigger_support import (
    SECRET,
    Delivery,
    generic_event,
    http,
    make_context,
    serve,
)
from worker.tick.factory import build_worker
from worker.triggers.signatures import lever_signature, sign_headers

# when this module was imported: a slow suite runs its tests minutes later, and the webhook
# stamps events with the real clock then; compare those with the clock read around the call
NOW = datetime.now(UTC)
DAY = 24 * 3600


@dataclass(frozen=True)
class Provider:
    """The app on a real socket over a seeded demo organisation."""

    ctx: AppContext
    base: str
    demo: DemoOrg

    def url(self, provider: str, org_id: int | None = None) -> str:
        connection = add_connection(
            self.ctx.engine,
            org_id=org_id or self.demo.org_id,
            provider=provider,
            secret=SECRET,
            now=NOW,
        )
        return f"{self.base}/webhooks/ats/{provider}/{connection.key}"

    def send(self, provider: str, delivery: Delivery, org_id: int | None = None) -> None:
        response = http.post(
            self.url(provider, org_id), content=delivery.body, headers=delivery.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "received", response.text

    def tick(self) -> None:
        build_worker(self.ctx.engine, self.ctx.settings).tick(now=datetime.now(UTC))


@pytest.fixture
def provider(engine: Engine, db_url: str, tmp_path: Path) -> Iterator[Provider]:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=12)
    ctx = make_context(tmp_path, db_url)
    try:
        with serve(create_app(ctx)) as base:
            yield Provider(ctx, base, demo)
    finally:
        ctx.engine.dispose()


def _candidate(engine: Engine, offset: int = 0) -> tuple[int, int]:
    """(candidate id, application id) of an active demo application."""
    with Session(engine) as session:
        row = session.exec(
            select(AtsApplication)
            .where(col(AtsApplication.status) == "active")
            .order_by(col(AtsApplication.id))
            .offset(offset)
        ).first()
    assert row is not None and row.id is not None
    return row.candidate_id, row.id


def _sequence(engine: Engine, org_id: int, name: str, **rules: Any) -> int:
    """A sequence whose first step waits a day, so no step runs inside these tests."""
    steps = [{"action": "create_task", "delay_seconds": DAY, "subject": "Check in"}]
    return sequences_store.create_sequence(engine, org_id, name, steps, now=NOW, **rules)


def _enrolment(engine: Engine, sequence_id: int, candidate_id: int) -> Enrolment | None:
    with Session(engine) as session:
        return session.exec(
            select(Enrolment).where(
                col(Enrolment.sequence_id) == sequence_id,
                col(Enrolment.candidate_id) == candidate_id,
            )
        ).first()


# --- deliveries, in each provider's documented shape -----------------------------------------


def greenhouse(action: str, candidate_id: int, application_id: int, stage: str = "") -> Delivery:
    application: dict[str, Any] = {
        "id": application_id,
        "candidate": {"id": candidate_id, "first_name": "Giuseppe", "last_name": "Hurley"},
        "jobs": [{"id": 3485, "name": "Designer"}],
    }
    if stage:
        application["current_stage"] = {"id": 71416, "name": stage}
    body = json.dumps({"action": action, "payload": {"application": application}}).encode()
    return Delivery(
        body,
        {
            **sign_headers("greenhouse", SECRET, body),
            "Greenhouse-Event-ID": f"gh-{time.monotonic_ns()}",
            "Content-Type": "application/json",
        },
    )


def lever(event: str, contact_id: str, opportunity_id: str, **data: Any) -> Delivery:
    triggered = int(time.time() * 1000)
    token = f"tok{time.monotonic_ns()}"
    payload = {
        "id": f"lv-{token}",
        "event": event,
        "triggeredAt": triggered,
        "token": token,
        "signature": lever_signature(SECRET, token, triggered),
        "data": {"contactId": contact_id, "opportunityId": opportunity_id, **data},
    }
    return Delivery(json.dumps(payload).encode(), {"Content-Type": "application/json"})


def generic(event_type: str, candidate_id: int, application_id: int) -> Delivery:
    return generic_event(
        event_type,
        event_id=f"ev-{time.monotonic_ns()}",
        data={"candidate_id": str(candidate_id), "application_id": str(application_id)},
    )


Stop = Callable[[int, int], tuple[str, Delivery]]

STOPS: dict[str, tuple[Stop, str]] = {
    "greenhouse hire_candidate": (
        lambda c, a: ("greenhouse", greenhouse("hire_candidate", c, a)),
        "hired",
    ),
    "greenhouse reject_candidate": (
        lambda c, a: ("greenhouse", greenhouse("reject_candidate", c, a)),
        "rejected",
    ),
    "greenhouse stage change into Hired": (
        lambda c, a: ("greenhouse", greenhouse("candidate_stage_change", c, a, "Hired")),
        "hired",
    ),
    "lever candidateHired": (
        lambda c, a: ("lever", lever("candidateHired", str(c), str(a))),
        "hired",
    ),
    "lever archived": (
        lambda c, a: (
            "lever",
            lever("candidateArchiveChange", str(c), str(a), toArchived={"reason": "r-1"}),
        ),
        "rejected",
    ),
    "generic candidate.replied": (
        lambda c, a: ("generic", generic("candidate.replied", c, a)),
        "replied",
    ),
    "generic candidate.withdrawn": (
        lambda c, a: ("generic", generic("candidate.withdrawn", c, a)),
        "withdrawn",
    ),
}


@pytest.mark.parametrize("case", list(STOPS))
def test_a_provider_event_ends_the_candidates_enrolments(provider: Provider, case: str) -> None:
    engine, org_id = provider.ctx.engine, provider.demo.org_id
    candidate, application = _candidate(engine)
    bystander, _ = _candidate(engine, offset=1)
    sequence = _sequence(engine, org_id, "Warm leads")
    for person in (candidate, bystander):
        sequences_store.enrol(engine, org_id, sequence, person, now=NOW)

    build, reason = STOPS[case]
    name, delivery = build(candidate, application)
    provider.send(name, delivery)
    provider.tick()

    ended = _enrolment(engine, sequence, candidate)
    assert ended is not None and (ended.status, ended.stop_reason) == ("stopped", reason)
    untouched = _enrolment(engine, sequence, bystander)
    assert untouched is not None and untouched.status == "pending"
    [event] = [e for e in list_events(engine, org_id) if e.provider == name]
    assert (event.status, event.error) == ("processed", None)


def test_a_stage_change_elsewhere_ends_only_sequences_bound_to_the_stage_left(
    provider: Provider,
) -> None:
    engine, org_id = provider.ctx.engine, provider.demo.org_id
    candidate, application = _candidate(engine)
    bound = _sequence(engine, org_id, "Screen nudges", stage="Screen")
    kept = _sequence(engine, org_id, "Screen, kept", stage="Screen", keep_on_stage_change=True)
    free = _sequence(engine, org_id, "Any stage")
    for sequence in (bound, kept, free):
        sequences_store.enrol(engine, org_id, sequence, candidate, now=NOW)

    provider.send(
        "greenhouse", greenhouse("candidate_stage_change", candidate, application, "Offer")
    )
    provider.tick()

    statuses = {
        sequence: (row.status, row.stop_reason)
        for sequence in (bound, kept, free)
        if (row := _enrolment(engine, sequence, candidate)) is not None
    }
    assert statuses == {
        bound: ("stopped", "left_stage"),
        kept: ("pending", None),
        free: ("pending", None),
    }


@pytest.mark.parametrize("provider_name", ["greenhouse", "generic"])
def test_a_new_prospect_enrols_into_automatic_sequences(
    provider: Provider, provider_name: str
) -> None:
    engine, org_id = provider.ctx.engine, provider.demo.org_id
    candidate, application = _candidate(engine)
    automatic = _sequence(engine, org_id, "Welcome, automatically", automatic=True)
    manual = _sequence(engine, org_id, "Only by hand")

    delivery = (
        greenhouse("prospect_created", candidate, application)
        if provider_name == "greenhouse"
        else generic("candidate.created", candidate, application)
    )
    provider.send(provider_name, delivery)
    provider.tick()

    enrolled = _enrolment(engine, automatic, candidate)
    assert enrolled is not None
    assert (enrolled.status, enrolled.enrolled_by, enrolled.next_step) == (
        "pending",
        "automatic",
        1,
    )
    assert _enrolment(engine, manual, candidate) is None


def test_events_naming_no_enrolment_of_the_organisation_change_nothing(
    provider: Provider,
) -> None:
    engine, org_id = provider.ctx.engine, provider.demo.org_id
    candidate, application = _candidate(engine)
    sequence = _sequence(engine, org_id, "Warm leads")
    sequences_store.enrol(engine, org_id, sequence, candidate, now=NOW)
    other = make_org(engine, NOW, slug="other")

    # the same candidate id from another organisation's ATS names another person
    provider.send("greenhouse", greenhouse("hire_candidate", candidate, application), other.org_id)
    # a Lever contact id that is not a whole number names no enrolment
    lever_hire = lever("candidateHired", "9b1c5a0e-2f4d-4c1a-9e7b-1a2b3c4d5e6f", "o-1")
    provider.send("lever", lever_hire)
    provider.tick()

    row = _enrolment(engine, sequence, candidate)
    assert row is not None and row.status == "pending"
    for org in (org_id, other.org_id):
        assert {(e.status, e.error) for e in list_events(engine, org)} == {("processed", None)}
