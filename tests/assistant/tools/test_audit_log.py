"""The audit log, on both stores: every change made through the tool set is one entry naming who
made it (the service itself: "system"), the action, the automation and what changed by field;
an entry never holds message text, candidate data or anyone's address; a change that fails
writes none; members read their own automations' entries; the worker's pauses are "system";
entries are pruned after their retention."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.errors import NotFound, PlanLimit
from models.settings import load_settings
from models.store.automations import delete_automation, get_automation_and_owner
from models.store.orgs import get_user
from models.tables.audit import AuditEntry
from tests.worker.tick.tick_support import at, new_worker
from worker.run.retention import prune

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SECRET_TEXT = "call Priya Patel about her offer"


def _entries(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))  # type: ignore[arg-type]


def _tools(engine: Engine, **settings: object) -> Toolset:
    return Toolset(engine, load_settings(**settings), clock=lambda: NOW)


def test_each_change_is_one_entry_of_who_what_and_which_fields_and_holds_no_pii(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW, slug="acme")
    tools = _tools(engine)
    admin = Actor.of(get_user(engine, org.admin_id))
    member = Actor.of(get_user(engine, org.member_id))
    reminder = tools.create_automation(
        member,
        AutomationSpec(
            name="Chase offers",
            skill="reminder",
            params={"message": SECRET_TEXT},
            cron="0 9 * * 1",
            output_channel="email",
            to=["me"],
        ),
    )
    auto_id = reminder.id
    tools.update_automation(member, auto_id, {"cron": "0 7 * * 1"})
    tools.change_recipients(member, auto_id, add=["admin@acme.test"], remove=[])
    tools.pause(admin, auto_id)
    tools.resume(member, auto_id)
    tools.run_now(member, auto_id)
    token = tools.create_api_token(admin, name="ci", user_email="member@acme.test")
    tools.revoke_api_token(admin, token.id)
    tools.add_user(admin, email="pat@acme.test", name="Pat Partner")
    tools.set_user_role(admin, "pat@acme.test", "admin")
    invited = tools.invite_user(admin, email="ivy@acme.test")
    tools.revoke_invitation(admin, invited.id)
    tools.delete(member, auto_id, confirm=True)

    page = tools.list_audit(admin, limit=200)
    shown = [(i.actor, i.action, i.automation_id) for i in reversed(page.items)]
    ada, max_ = "Ada Admin (admin@acme.test)", "Max Member (member@acme.test)"
    assert shown == [
        (max_, "create", auto_id),
        (max_, "edit", auto_id),
        (max_, "recipients", auto_id),
        (ada, "pause", auto_id),
        (max_, "resume", auto_id),
        (max_, "run_now", auto_id),
        (ada, "token_create", None),
        (ada, "token_revoke", None),
        (ada, "user_add", None),
        (ada, "user_role", None),
        (ada, "invite", None),
        (ada, "invite_revoke", None),
        (max_, "delete", auto_id),
    ]
    by_action = {i.action: i for i in page.items}
    assert by_action["edit"].changes == {
        "cron_expression": {"old": "0 9 * * 1", "new": "0 7 * * 1"}
    }
    assert by_action["edit"].summary == f"changed #{auto_id}: schedule Mondays 9:00 → Mondays 7:00"
    assert by_action["recipients"].changes == {"recipients": {"old": 1, "new": 2}}
    assert by_action["pause"].changes == {"enabled": {"old": True, "new": False}}
    assert by_action["user_role"].summary == "made Pat Partner (pat@acme.test) admin (was member)"
    assert by_action["create"].changes["skill"] == {"old": None, "new": "reminder"}
    assert by_action["create"].summary == f"created #{auto_id} (reminder, Mondays 9:00, by email)"
    # the history keeps no message text, candidate name or address: scan every stored row
    for entry in _entries(engine):
        stored = json.dumps(entry.changes)
        assert "@" not in stored and "Priya" not in stored and SECRET_TEXT not in stored, stored


def test_a_change_that_fails_writes_no_entry(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme", plan="free")
    tools = _tools(engine)
    member = Actor.of(get_user(engine, org.member_id))
    first = tools.create_automation(
        member, AutomationSpec(name="Digest", skill="pipeline-report", cron="0 9 * * 1")
    )
    before = len(_entries(engine))
    # deleted by someone else between reading it and writing the change
    auto, owner_email = get_automation_and_owner(engine, org.org_id, first.id)
    delete_automation(engine, org.org_id, first.id)
    with pytest.raises(NotFound):
        tools.apply_changes(member, auto, owner_email, {"cron": "0 7 * * 1"}, NOW)
    assert len(_entries(engine)) == before

    # the free plan's five active automations: a sixth cannot be resumed, and no entry says so
    made = [
        tools.create_automation(
            member, AutomationSpec(name=f"Report {n}", skill="pipeline-report", cron="0 9 * * 1")
        )
        for n in range(5)
    ]
    paused = tools.create_automation(
        member,
        AutomationSpec(name="Later", skill="pipeline-report", cron="0 9 * * 1", enabled=False),
    )
    count = len(_entries(engine))
    with pytest.raises(PlanLimit):
        tools.resume(member, paused.id)
    assert len(_entries(engine)) == count
    assert len(made) == 5


def test_members_read_their_own_automations_entries_a_page_at_a_time(
    sqlite_engine: Engine,
) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    tools = _tools(sqlite_engine)
    admin = Actor.of(get_user(sqlite_engine, org.admin_id))
    member = Actor.of(get_user(sqlite_engine, org.member_id))
    mine = tools.create_automation(
        member, AutomationSpec(name="Mine", skill="pipeline-report", cron="0 9 * * 1")
    )
    theirs = tools.create_automation(
        admin, AutomationSpec(name="Admin's", skill="pipeline-report", cron="0 9 * * 1")
    )
    for _ in range(3):
        tools.pause(admin, mine.id)
        tools.resume(admin, mine.id)
    tools.pause(admin, theirs.id)

    seen = tools.list_audit(member, limit=200).items
    assert {i.automation_id for i in seen} == {mine.id}
    assert len(seen) == 7  # created, then three pauses and resumes (by the admin)
    pages, cursor = [], None
    while True:
        page = tools.list_audit(member, cursor=cursor, limit=3)
        pages.append([i.id for i in page.items])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [n for p in pages for n in p] == [i.id for i in seen] and len(pages) == 3
    assert {i.automation_id for i in tools.list_audit(admin).items} == {mine.id, theirs.id}
    only = tools.list_audit(admin, automation_id=theirs.id).items
    assert [i.action for i in only] == ["pause", "create"]
    assert "Ada Admin (admin@acme.test) paused" in tools.audit_answer(admin, theirs.id, "paused")


def test_the_worker_resuming_at_the_end_of_a_pause_is_a_system_entry(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    tools = _tools(engine)
    member = Actor.of(get_user(engine, org.member_id))
    auto = tools.create_automation(
        member, AutomationSpec(name="Digest", skill="pipeline-report", cron="0 9 * * *")
    )
    tools.pause(member, auto.id, until=at("2026-03-02T09:30:00Z"))
    new_worker(engine).tick(now=at("2026-03-02T09:30:00Z"))
    latest = tools.list_audit(member).items[0]
    assert (latest.actor, latest.actor_user_id, latest.action) == ("system", None, "resume")
    assert latest.summary == f"resumed #{auto.id} when its pause ended"
    paused = tools.list_audit(member).items[1]
    assert paused.changes["paused_until"]["new"].startswith("2026-03-02T09:30")
    answer = tools.audit_answer(member, auto.id, "paused")
    assert answer.startswith("Max Member (member@acme.test) paused #")
    assert "until Mon 02 Mar 2026 09:30 UTC" in answer and "resumed since" in answer
    # a reader reads the instant in their own zone; the stored change keeps it in ISO form
    east = replace(member, timezone="America/New_York")
    (said,) = [i.summary for i in tools.list_audit(east).items if i.action == "pause"]
    assert said == f"paused #{auto.id} until Mon 02 Mar 2026 04:30 EST", said


def test_entries_are_pruned_after_the_audit_retention(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    member = Actor.of(get_user(sqlite_engine, org.member_id))
    old = _tools(sqlite_engine)
    old.clock = lambda: NOW - timedelta(days=40)
    auto = old.create_automation(
        member, AutomationSpec(name="Digest", skill="pipeline-report", cron="0 9 * * 1")
    )
    _tools(sqlite_engine).pause(member, auto.id)
    settings = load_settings(audit_retention_days=30)
    prune(sqlite_engine, settings.core, NOW)
    assert [e.action for e in _entries(sqlite_engine)] == ["pause"]
    prune(sqlite_engine, load_settings().core, NOW + timedelta(days=364))
    assert [e.action for e in _entries(sqlite_engine)] == ["pause"]  # kept 365 days by default
    prune(sqlite_engine, load_settings().core, NOW + timedelta(days=366))
    assert _entries(sqlite_engine) == []
