"""Event alerts end to end on both databases: an automation made from words ("tell me when
someone is hired for the … role", "email the hiring manager when a candidate withdraws"), the
event through a signed webhook on a real socket, the tick, and the mail on a real SMTP server:
the alert says what happened to whom for which job, with the ids to find it, goes only for the
job said, to the person the words named; the run history keeps ids, the job and the stage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.app import AppContext
from assistant.http.app import create_app
from assistant.tools.toolset import Actor, Toolset
from models.settings import load_settings
from models.store.events import add_connection
from models.store.orgs import get_user
from models.store.run_history import list_runs
from models.tables.demo_ats import AtsApplication
from skills.ats.demo import DemoAts
from skills.ats.records import ApplicationInfo
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

NOW = datetime.now(UTC)


@dataclass(frozen=True)
class Watching:
    """The app on a real socket over a seeded demo organisation, an SMTP server on loopback,
    and a Greenhouse and a generic connection."""

    ctx: AppContext
    engine: Engine
    base: str
    greenhouse: str
    generic: str
    demo: DemoOrg
    mailbox: Mailbox

    def post(self, url: str, delivery: Delivery) -> None:
        response = http.post(url, content=delivery.body, headers=delivery.headers)
        assert response.json()["status"] == "received", response.text

    def tick(self) -> dict[str, int]:
        worker = build_worker(self.engine, smtp_settings(self.mailbox.port))
        return dict(worker.tick(now=datetime.now(UTC) + timedelta(minutes=1)).statuses)

    def automation_from(self, words: str) -> int:
        """An automation made as a recruiter makes it: the words, then "yes"."""
        tools = Toolset(self.engine, load_settings(), clock=lambda: NOW)
        actor = Actor.of(get_user(self.engine, self.demo.member_ids[0]))
        draft = tools.draft_automation(actor, words, tz="UTC", now=NOW)
        assert draft.id is not None and draft.draft["skill"] == "event-alert", draft.question
        return tools.confirm_draft(actor, draft.id).id


@pytest.fixture
def watching(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    smtp_server: StartServer,  # noqa: F811
) -> Iterator[Watching]:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=12)
    greenhouse = add_connection(
        engine, org_id=demo.org_id, provider="greenhouse", secret=SECRET, now=NOW
    )
    generic = add_connection(engine, org_id=demo.org_id, provider="generic", secret=SECRET, now=NOW)
    ctx = make_context(tmp_path, db_url)
    try:
        with serve(create_app(ctx)) as base:
            yield Watching(
                ctx,
                engine,
                base,
                f"{base}/webhooks/ats/greenhouse/{greenhouse.key}",
                f"{base}/webhooks/ats/generic/{generic.key}",
                demo,
                smtp_server(None),
            )
    finally:
        ctx.engine.dispose()


def active_applications(watching: Watching) -> list[ApplicationInfo]:
    """Active demo applications, one per job, with a hiring manager."""
    ats = DemoAts(watching.engine, watching.demo.org_id)
    with Session(watching.engine) as session:
        ids = session.exec(
            select(col(AtsApplication.id))
            .where(col(AtsApplication.status) == "active")
            .order_by(col(AtsApplication.id))
        ).all()
    by_job: dict[str, ApplicationInfo] = {}
    for app in ats.applications([int(i) for i in ids if i is not None]):
        if app.hiring_manager_id is not None:
            by_job.setdefault(app.job_title, app)
    assert len(by_job) >= 2
    return list(by_job.values())


def hire(app: ApplicationInfo, event_id: str) -> Delivery:
    """Greenhouse's hire_candidate webhook, as Greenhouse signs it."""
    payload: dict[str, Any] = {
        "action": "hire_candidate",
        "payload": {
            "application": {
                "id": app.id,
                "status": "hired",
                "hired_at": event_id,
                "candidate": {"id": app.candidate_id, "first_name": "Not", "last_name": "Stored"},
                "jobs": [{"id": app.job_id, "name": app.job_title}],
            }
        },
    }
    body = json.dumps(payload).encode()
    headers = {**sign_headers("greenhouse", SECRET, body), "Greenhouse-Event-ID": event_id}
    return Delivery(body, {**headers, "Content-Type": "application/json"})


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_alerts_made_from_words_tell_who_the_words_named_what_happened(
    watching: Watching,
) -> None:
    """One test per store: the organisation, the app and the SMTP server are set up once."""
    wanted, other = active_applications(watching)[:2]
    hires = watching.automation_from(
        f"tell me when someone is hired for the {wanted.job_title} role"
    )
    watching.automation_from("email the hiring manager when a candidate withdraws")
    watching.post(watching.greenhouse, hire(other, "gh-h0"))  # another job: no alert of it
    watching.post(watching.greenhouse, hire(wanted, "gh-h1"))
    data = {"candidate_id": str(other.candidate_id), "application_id": str(other.id)}
    watching.post(watching.generic, generic_event("candidate.withdrawn", event_id="w1", data=data))

    assert watching.tick() == {"completed": 2}
    by_subject = {str(m["Subject"]): m for m in watching.mailbox.messages}
    assert len(by_subject) == 2

    # the hire: to the requester, for the job said, with the ids to find it
    hired = by_subject.pop(f"{wanted.candidate_name} was hired for {wanted.job_title}")
    owner = get_user(watching.engine, watching.demo.member_ids[0])
    assert hired["To"].addresses[0].addr_spec == owner.email
    text = text_of(hired)
    assert f"{wanted.candidate_name} was hired for {wanted.job_title}." in text
    assert f"candidate {wanted.candidate_id}; application {wanted.id}" in text
    assert "from greenhouse" in text
    (run,) = list_runs(watching.engine, watching.demo.org_id, automation_id=hires)
    assert run.output_summary == {
        "event": "candidate.hired",
        "candidate_id": wanted.candidate_id,
        "application_id": wanted.id,
        "job": wanted.job_title,
        "stage": wanted.stage,
    }
    history = stored_history(watching.engine, hires)
    for words in (*wanted.candidate_name.split(), "Stored"):
        assert words not in history

    # the withdrawal: to the job's hiring manager, with the stage they left at
    said = f"{other.candidate_name} withdrew from {other.job_title} (stage: {other.stage})"
    (withdrew,) = by_subject.values()
    assert withdrew["Subject"] == said and f"{said}." in text_of(withdrew)
    manager = DemoAts(watching.engine, watching.demo.org_id).user(other.hiring_manager_id or 0)
    assert withdrew["To"].addresses[0].addr_spec == manager.email


def test_a_demo_move_to_hired_lands_the_alert_in_the_requesters_inbox(
    sqlite_engine: Engine,
) -> None:
    """`skilltick demo move ID Hired`, in-process: the demo ATS records the hire, the tick runs
    the alert, and it lands in the app's inbox (one store: the demo path is the same on both)."""
    demo = seed_demo(sqlite_engine, now=NOW - timedelta(hours=1), candidates=12)
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    actor = Actor.of(get_user(sqlite_engine, demo.member_ids[0]))
    draft = tools.draft_automation(actor, "notify me in the app when someone is hired", now=NOW)
    assert draft.id is not None and draft.draft["skill"] == "event-alert", draft.question
    tools.confirm_draft(actor, draft.id)
    with Session(sqlite_engine) as session:
        app_id = session.exec(
            select(col(AtsApplication.id)).where(col(AtsApplication.status) == "active")
        ).first()
    app = DemoAts(sqlite_engine, demo.org_id).application(int(app_id or 0))

    moved = tools.move_demo_candidate(actor, app.candidate_id, "Hired")
    assert [v.event_type for v in moved] == ["candidate.stage_changed", "candidate.hired"]
    worker = build_worker(sqlite_engine, load_settings(smtp_host=None))
    assert dict(worker.tick(now=NOW + timedelta(minutes=1)).statuses) == {"completed": 1}
    (item,) = tools.list_inbox(actor)
    assert item.subject == f"{app.candidate_name} was hired for {app.job_title}"
