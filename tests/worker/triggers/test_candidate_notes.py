"""Candidate notes through signed webhooks, the tick and SMTP on both databases: a Greenhouse
rejection mails the candidate one kind note by first name; the same rejection reported twice
(a replay, or the ATS sending it again under a new id) still mails one; outside the candidate's
working hours the note waits for their morning; the run history names nobody."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.app import AppContext
from assistant.http.app import create_app
from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from models.settings import load_settings
from models.store.events import add_connection
from models.store.orgs import get_user
from models.store.run_history import list_runs
from models.tables import table_of
from models.tables.demo_ats import AtsApplication, AtsCandidate
from skills.ats.demo import DemoAts
from skills.ats.seed import DemoOrg, seed_demo
from tests.worker.delivery.test_delivery import Mailbox, smtp_server  # noqa: F401 (fixture)
from tests.worker.delivery.test_email_delivery_e2e import StartServer, smtp_settings
from tests.worker.run.test_reminder_runs import stored_history
from tests.worker.triggers.trigger_support import (
    SECRET,
    Delivery,
    generic_event,
    http,
    make_context,
    serve,
)
from worker.tick.factory import build_worker
from worker.triggers.signatures import sign_headers

# when this module was imported: a slow suite runs its tests minutes later, and the webhook
# stamps events with the real clock then; compare those with the clock read around the call
NOW = datetime.now(UTC)
ZONE = "America/Chicago"


@dataclass(frozen=True)
class Rejecting:
    """The app on a real socket over a seeded demo organisation, an SMTP server on loopback,
    and a candidate-note automation for rejections."""

    ctx: AppContext
    engine: Engine
    url: str
    demo: DemoOrg
    mailbox: Mailbox
    automation_id: int

    def send(self, delivery: Delivery) -> str:
        response = http.post(self.url, content=delivery.body, headers=delivery.headers)
        assert response.status_code == 200, response.text
        return str(response.json()["status"])

    def tick(self, now: datetime) -> dict[str, int]:
        worker = build_worker(self.engine, smtp_settings(self.mailbox.port))
        return dict(worker.tick(now=now).statuses)


@pytest.fixture
def rejecting(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    smtp_server: StartServer,  # noqa: F811
) -> Iterator[Rejecting]:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=12)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    actor = Actor.of(get_user(engine, demo.member_ids[0]))
    auto = tools.create_automation(
        actor,
        AutomationSpec(
            name="Rejection notes",
            skill="candidate-note",
            params={"kind": "rejection", "message": "Thank you for meeting the team."},
            trigger_type="event",
            event_type="candidate.rejected",
            output_channel="email",
            to=["candidate"],
        ),
    )
    connection = add_connection(
        engine, org_id=demo.org_id, provider="greenhouse", secret=SECRET, now=NOW
    )
    ctx = make_context(tmp_path, db_url)
    try:
        with serve(create_app(ctx)) as base:
            yield Rejecting(
                ctx,
                engine,
                f"{base}/webhooks/ats/greenhouse/{connection.key}",
                demo,
                smtp_server(None),
                auto.id,
            )
    finally:
        ctx.engine.dispose()


def applicant(engine: Engine) -> tuple[AtsCandidate, AtsApplication]:
    """An active demo application's candidate, living in ZONE."""
    with Session(engine) as session:
        app = session.exec(
            select(AtsApplication)
            .where(col(AtsApplication.status) == "active")
            .order_by(col(AtsApplication.id))
        ).first()
        assert app is not None
        session.execute(
            update(table_of(AtsCandidate))
            .where(table_of(AtsCandidate).c.id == app.candidate_id)
            .values(timezone=ZONE)
        )
        session.commit()
        candidate = session.get(AtsCandidate, app.candidate_id)
        assert candidate is not None
        return candidate, app


def reject_candidate(candidate_id: int, application_id: int, event_id: str) -> Delivery:
    """Greenhouse's reject_candidate webhook, as Greenhouse signs it."""
    payload: dict[str, Any] = {
        "action": "reject_candidate",
        "payload": {
            "application": {
                "id": application_id,
                "status": "rejected",
                # Greenhouse tells deliveries apart by their body: a resend differs here
                "rejection_details": {"rejected_at": event_id},
                "candidate": {
                    "id": candidate_id,
                    "first_name": "Giuseppe",
                    "last_name": "Hurley",
                    "email_addresses": [{"value": "giuseppe@example.com", "type": "personal"}],
                },
                "jobs": [{"id": 3485, "name": "Designer"}],
            }
        },
    }
    body = json.dumps(payload).encode()
    return Delivery(
        body,
        {
            **sign_headers("greenhouse", SECRET, body),
            "Greenhouse-Event-ID": event_id,
            "Content-Type": "application/json",
        },
    )


def local(day_offset: int, hour: int, weekday: int) -> datetime:
    """The first `weekday` (0 Monday) at `hour` in ZONE at least `day_offset` days from NOW."""
    start = (NOW + timedelta(days=day_offset)).astimezone(ZoneInfo(ZONE))
    days = (weekday - start.weekday()) % 7
    moment = (start + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    if moment <= NOW:
        moment += timedelta(days=7)
    return moment.astimezone(UTC)


def working_after(moment: datetime) -> datetime:
    """The first whole hour from `moment` within a weekday's 10:00-17:00 in ZONE."""
    moment = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while not (
        moment.astimezone(ZoneInfo(ZONE)).weekday() < 5
        and 10 <= moment.astimezone(ZoneInfo(ZONE)).hour < 17
    ):
        moment += timedelta(hours=1)
    return moment


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_rejection_mails_the_candidate_one_kind_note_even_when_reported_twice(
    rejecting: Rejecting,
) -> None:
    candidate, app = applicant(rejecting.engine)
    assert rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-r1")) == "received"
    # the same delivery replayed, then the rejection reported again under a new event id
    rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-r1"))
    assert rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-r2")) == "received"

    tuesday = local(1, 10, 1)
    statuses = rejecting.tick(tuesday)
    assert statuses.get("completed") == 1
    (message,) = rejecting.mailbox.messages
    assert message["To"].addresses[0].addr_spec == candidate.email
    (info,) = [
        a
        for a in DemoAts(rejecting.engine, rejecting.demo.org_id).applications_of(candidate.id or 0)
        if a.id == app.id
    ]
    assert message["Subject"] == f"Your application for {info.job_title}"
    text = body(message)
    assert text.startswith(f"Hi {candidate.first_name},")
    assert "not to move forward" in text and "Thank you for meeting the team." in text

    rejecting.tick(tuesday + timedelta(days=1))
    assert len(rejecting.mailbox.messages) == 1  # never a second note
    runs = list_runs(rejecting.engine, rejecting.demo.org_id, automation_id=rejecting.automation_id)
    assert sorted((r.status, r.skipped_reason) for r in runs) == [
        ("completed", None),
        ("skipped", "already_sent"),
    ]
    sent = next(r for r in runs if r.status == "completed")
    assert sent.output_summary == {
        "note": "rejection",
        "candidate_id": candidate.id,
        "application_id": app.id,
        "job_id": app.job_id,
    }
    history = stored_history(rejecting.engine, rejecting.automation_id)
    for words in (candidate.first_name, candidate.last_name, candidate.email, "Giuseppe"):
        assert words not in history


def test_a_rejection_at_night_waits_for_the_candidates_working_hours(
    rejecting: Rejecting,
) -> None:
    candidate, app = applicant(rejecting.engine)
    rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, f"gh-{time.monotonic_ns()}"))

    saturday_night = local(1, 2, 5)
    assert rejecting.tick(saturday_night) == {"skipped": 1}
    assert rejecting.mailbox.messages == []
    runs = list_runs(rejecting.engine, rejecting.demo.org_id, automation_id=rejecting.automation_id)
    assert [r.skipped_reason for r in runs if r.status == "skipped"] == ["quiet_hours"]

    monday_early = saturday_night + timedelta(days=2)  # 02:00 on Monday: still night there
    assert rejecting.tick(monday_early) == {}
    assert rejecting.mailbox.messages == []
    monday_nine = monday_early.astimezone(ZoneInfo(ZONE)).replace(hour=9).astimezone(UTC)
    assert rejecting.tick(monday_nine) == {"completed": 1}
    (message,) = rejecting.mailbox.messages
    assert message["To"].addresses[0].addr_spec == candidate.email
    assert body(message).startswith(f"Hi {candidate.first_name},")


def test_a_test_run_shows_the_note_to_the_requester_and_sends_nothing(
    rejecting: Rejecting,
) -> None:
    candidate, app = applicant(rejecting.engine)
    rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-t1"))
    saturday_night = local(1, 2, 5)  # quiet hours do not hold a test back: nothing is sent
    tools = Toolset(rejecting.engine, load_settings(), clock=lambda: saturday_night)
    actor = Actor.of(get_user(rejecting.engine, rejecting.demo.member_ids[0]))

    view = tools.test(actor, rejecting.automation_id)
    assert view.status == "completed" and view.triggered_by == "test"
    assert (view.output or "").count(f"Hi {candidate.first_name},") >= 1
    assert [a.skipped_reason for a in view.actions if a.action_type == "deliver"] == ["test_run"]
    assert rejecting.mailbox.messages == []

    # the test took nothing from the event: the candidate still gets their one note
    assert rejecting.tick(local(1, 10, 1)) == {"completed": 1}
    (message,) = rejecting.mailbox.messages
    assert message["To"].addresses[0].addr_spec == candidate.email


def test_a_note_two_days_after_the_rejection_waits_that_long_and_goes_once(
    rejecting: Rejecting,
) -> None:
    candidate, app = applicant(rejecting.engine)
    tools = Toolset(rejecting.engine, load_settings(), clock=lambda: NOW)
    actor = Actor.of(get_user(rejecting.engine, rejecting.demo.member_ids[0]))
    draft = tools.draft_automation(
        actor, "2 days after they're rejected, send them a kind note", tz=ZONE, now=NOW
    )
    assert draft.id is not None, draft.question
    later = tools.confirm_draft(actor, draft.id).id
    tools.pause(actor, rejecting.automation_id)  # only the delayed note in this test
    # the webhook stamps an event with the real clock: NOW is when the module was imported
    sent_from = datetime.now(UTC)
    rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-d1"))
    sent_by = datetime.now(UTC)

    assert rejecting.tick(NOW + timedelta(days=1)) == {}  # not yet: it is due two days on
    assert rejecting.mailbox.messages == []
    # the ATS reports the rejection again while the note waits: still one note
    rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-d2"))
    assert rejecting.tick(working_after(sent_by + timedelta(days=2, minutes=10))) == {
        "completed": 1
    }
    (message,) = rejecting.mailbox.messages
    assert message["To"].addresses[0].addr_spec == candidate.email
    runs = list_runs(rejecting.engine, rejecting.demo.org_id, automation_id=later)
    assert sorted((r.status, r.skipped_reason) for r in runs) == [
        ("completed", None),
        ("skipped", "already_sent"),
    ]
    (run,) = [r for r in runs if r.status == "completed"]
    received = run.scheduled_for.replace(tzinfo=UTC) - timedelta(days=2)
    # two days after the event arrived
    assert sent_from - timedelta(minutes=1) <= received <= sent_by + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("event_type", "kind", "subject"),
    [
        ("application.created", "acknowledgement", "We received your application for "),
        ("candidate.withdrawn", "withdrawal", "Thank you for considering the "),
    ],
)
def test_an_application_or_a_withdrawal_from_a_generic_webhook_mails_its_note(
    rejecting: Rejecting, event_type: str, kind: str, subject: str
) -> None:
    candidate, app = applicant(rejecting.engine)
    tools = Toolset(rejecting.engine, load_settings(), clock=lambda: NOW)
    actor = Actor.of(get_user(rejecting.engine, rejecting.demo.member_ids[0]))
    auto = tools.create_automation(
        actor,
        AutomationSpec(
            name=f"{kind} notes",
            skill="candidate-note",
            params={"kind": kind},
            trigger_type="event",
            event_type=event_type,
            output_channel="email",
            to=["candidate"],
        ),
    )
    generic = add_connection(
        rejecting.engine, org_id=rejecting.demo.org_id, provider="generic", secret=SECRET, now=NOW
    )
    url = rejecting.url.replace("greenhouse/", "generic/").rsplit("/", 1)[0] + f"/{generic.key}"
    data = {"candidate_id": str(candidate.id), "application_id": str(app.id)}
    for copy in ("first", "second"):  # the ATS sends it twice, under two ids
        delivery = generic_event(event_type, event_id=f"ev-{kind}-{copy}", data=data)
        response = http.post(url, content=delivery.body, headers=delivery.headers)
        assert response.json()["status"] == "received", response.text

    assert rejecting.tick(local(1, 10, 1)) == {"completed": 1}
    (message,) = rejecting.mailbox.messages
    assert message["To"].addresses[0].addr_spec == candidate.email
    assert str(message["Subject"]).startswith(subject)
    assert body(message).startswith(f"Hi {candidate.first_name},")
    runs = list_runs(rejecting.engine, rejecting.demo.org_id, automation_id=auto.id)
    assert sorted((r.status, r.skipped_reason) for r in runs) == [
        ("completed", None),
        ("skipped", "already_sent"),
    ]
    assert next(r for r in runs if r.status == "completed").output_summary["note"] == kind
