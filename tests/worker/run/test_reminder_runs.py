"""Reminders through the real engine on both databases: said in words, confirmed, run by the
tick and mailed over SMTP (aiosmtpd on loopback) with their text; the run history keeps that a
reminder went out, never its text (which may name candidates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.orgs import get_user
from models.store.run_history import list_runs
from models.tables.deliveries import Delivery
from models.tables.runs import AutomationRun, RunAction, RunTarget
from tests.worker.delivery.test_delivery import Mailbox, smtp_server  # noqa: F401 (fixture)
from tests.worker.delivery.test_email_delivery_e2e import StartServer, smtp_settings
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday
TEXT = "call Priya Shah about the Berlin offer"


def confirmed(tools: Toolset, actor: Actor, words: str) -> int:
    draft = tools.draft_automation(actor, words, tz="UTC", now=NOW)
    assert draft.id is not None, draft.question
    return tools.confirm_draft(actor, draft.id).id


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def stored_history(engine: Engine, automation_id: int) -> str:
    """Every stored row a run leaves, as text; the run's output copy aside (kept for its TTL
    for test previews, then pruned, as for every skill)."""
    rows: list[str] = []
    with Session(engine) as session:
        runs = session.exec(
            select(AutomationRun).where(col(AutomationRun.automation_id) == automation_id)
        ).all()
        for run in runs:
            assert run.output is None or run.output_expires_at is not None
            rows.append(repr(run.model_dump(exclude={"output"})))
            actions = session.exec(select(RunAction).where(col(RunAction.run_id) == run.id))
            targets = session.exec(select(RunTarget).where(col(RunTarget.run_id) == run.id))
            sent = session.exec(select(Delivery).where(col(Delivery.run_id) == run.id))
            rows.extend(repr(row.model_dump()) for row in [*actions, *targets, *sent])
    return "\n".join(rows)


def test_a_weekday_reminder_is_mailed_and_its_text_is_not_kept(
    engine: Engine,
    smtp_server: StartServer,  # noqa: F811
) -> None:
    mailbox = smtp_server(None)
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    member = Actor.of(get_user(engine, org.member_id))
    auto_id = confirmed(tools, member, f"remind me every weekday at 4pm to {TEXT}")
    auto = get_automation(engine, org.org_id, auto_id)
    assert (auto.skill, auto.params, auto.cron_expression) == (
        "reminder",
        {"message": TEXT},
        "0 16 * * 1-5",
    )

    worker = Worker(engine, smtp_settings(mailbox.port))
    assert worker.tick(now=NOW.replace(hour=15, minute=59)).statuses == {}
    report = worker.tick(now=NOW.replace(hour=16))
    assert report.statuses == {"completed": 1}
    (message,) = mailbox.messages
    assert message["To"].addresses[0].addr_spec == org.member_email
    assert message["Subject"] == f"Reminder: {TEXT}"
    assert TEXT in body(message)

    (run,) = list_runs(engine, org.org_id, automation_id=auto_id)
    assert run.output_summary == {"reminder": "sent", "message_chars": len(TEXT)}
    history = stored_history(engine, auto_id)
    for words in ("Priya", "Berlin", TEXT):
        assert words not in history


def test_a_one_off_team_reminder_reaches_everyone_once(
    engine: Engine,
    smtp_server: StartServer,  # noqa: F811
) -> None:
    mailbox = smtp_server(None)
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    member = Actor.of(get_user(engine, org.member_id))
    auto_id = confirmed(tools, member, "remind the team in 2 hours to submit scorecards")
    auto = get_automation(engine, org.org_id, auto_id)
    assert auto.run_once_at is not None
    assert auto.run_once_at.replace(tzinfo=UTC) == NOW + timedelta(hours=2)

    worker = Worker(engine, smtp_settings(mailbox.port))
    assert worker.tick(now=NOW + timedelta(hours=2)).statuses == {"completed": 1}
    got = sorted(m["To"].addresses[0].addr_spec for m in mailbox.messages)
    assert got == sorted([org.admin_email, org.member_email])
    assert all("submit scorecards" in body(m) for m in mailbox.messages)
    worker.tick(now=NOW + timedelta(days=1, hours=2))
    assert len(mailbox.messages) == 2  # once, not again
    assert "submit scorecards" not in stored_history(engine, auto_id)
