"""The in-app channel: an automation's output lands in its recipient's inbox through the worker
tick, once per occurrence; the owner lists and reads it, nobody else can; recipients of slack
and in_app automations are checked when the automation is created."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_automation, make_org
from models.errors import InvalidInput, NotFound
from models.settings import load_settings
from models.store.run_queue import queue_run
from models.tables.runs import AutomationRun
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=1)


def run_manually(engine: Engine, auto_id: int, org_id: int) -> AutomationRun:
    run_id = queue_run(
        engine, automation_id=auto_id, org_id=org_id, triggered_by="manual", now=LATER
    )
    Worker(engine, load_settings(smtp_host=None)).tick(LATER)
    with Session(engine) as session:
        run = session.get(AutomationRun, run_id)
    assert run is not None
    return run


def test_an_in_app_automation_puts_its_output_in_the_owners_inbox_once(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW, skill="noop", channel="in_app", to=["me"])
    tools = Toolset(engine, load_settings(), clock=lambda: LATER)
    member = Actor(org.org_id, org.member_id, "member", org.member_email)
    admin = Actor(org.org_id, org.admin_id, "admin", org.admin_email)

    run = run_manually(engine, auto.id or 0, org.org_id)
    assert run.status == "completed"
    [item] = tools.list_inbox(member)
    assert not item.read and item.subject
    assert tools.list_inbox(member, unread_only=True) == [item]
    assert tools.list_inbox(admin) == []  # the admin's inbox is their own
    with pytest.raises(NotFound):
        tools.read_inbox(admin, item.id)
    message = tools.read_inbox(member, item.id)
    assert message.read and message.subject == item.subject
    assert tools.list_inbox(member, unread_only=True) == []
    with pytest.raises(InvalidInput, match="limit"):
        tools.list_inbox(member, limit=0)


def test_a_rescued_occurrence_does_not_store_the_message_twice(engine: Engine) -> None:
    from worker.delivery.base import Message, Recipient
    from worker.delivery.deliver import deliver
    from worker.delivery.inapp import InAppChannel

    org = make_org(engine, NOW)
    channel = InAppChannel(engine, clock=lambda: NOW)
    for _ in range(2):
        deliver(
            engine,
            channel,
            Message("Hello", "text"),
            [Recipient(org.member_email)],
            org_id=org.org_id,
            run_id=None,
            occurrence_key="a9:t",
            now=NOW,
        )
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    assert len(tools.list_inbox(Actor(org.org_id, org.member_id, "member", org.member_email))) == 1


def test_an_in_app_recipient_who_is_not_a_user_fails_the_run_without_retrying(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(
        sqlite_engine, org, NOW, skill="noop", channel="in_app", to=["stranger@elsewhere.test"]
    )
    run = run_manually(sqlite_engine, auto.id or 0, org.org_id)
    assert run.status == "failed" and run.error_code == "delivery_failed"
    assert "not a user of this organisation" in (run.error_message or "")
    assert "stranger" not in (run.error_message or "")


@pytest.mark.parametrize(
    ("channel", "to", "words"),
    [
        ("slack", ["hiring"], "not a Slack channel"),
        ("slack", ["#Hiring Team"], "not a Slack channel"),
        ("slack", ["candidate"], "Candidates are not reachable by slack"),
        ("in_app", ["candidate"], "Candidates are not reachable by in-app"),
        ("in_app", ["Dana"], "not a user's email address"),
        ("email", ["dana at acme"], "not an email address"),
    ],
)
def test_recipients_that_a_channel_cannot_reach_are_refused_at_creation(
    sqlite_engine: Engine,
    channel: str,
    to: list[str],
    words: str,
) -> None:
    org = make_org(sqlite_engine, NOW)
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    actor = Actor(org.org_id, org.member_id, "member", org.member_email)
    with pytest.raises(InvalidInput, match=words):
        tools.create_automation(
            actor,
            AutomationSpec(name="x", skill="noop", cron="0 9 * * *", output_channel=channel, to=to),
        )
    assert tools.list_automations(actor) == []


@pytest.mark.parametrize(
    ("channel", "to"),
    [
        ("slack", ["#hiring", "C0123ABCD", "U0DANA001", "me", "dana@acme.test", "hiring_manager"]),
        ("in_app", ["me", "admin@acme.test", "hiring_manager"]),
    ],
)
def test_recipients_a_channel_can_reach_are_accepted(
    sqlite_engine: Engine,
    channel: str,
    to: list[str],
) -> None:
    org = make_org(sqlite_engine, NOW)
    settings = load_settings(slack_bot_token="xoxb-configured")  # Slack output needs a bot
    tools = Toolset(sqlite_engine, settings, clock=lambda: NOW)
    actor = Actor(org.org_id, org.member_id, "member", org.member_email)
    # a skill whose runs name a hiring manager (each open job's)
    spec = AutomationSpec(
        name="x", skill="open-roles-report", cron="0 9 * * *", output_channel=channel, to=to
    )
    view = tools.create_automation(actor, spec)
    assert view.id
