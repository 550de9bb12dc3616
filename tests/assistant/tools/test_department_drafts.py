"""Departments named in a request are checked against the organisation's jobs when it is
drafted, on both stores: a department no job has is one line naming the departments there are,
and nothing can be confirmed; one that exists is kept as the ATS spells it, and the automation
confirmed holds it. An open-roles list for the hiring managers reaches each of theirs, with
their own roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.engine import session_scope
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user
from models.store.run_queue import queue_run
from models.tables.demo_ats import AtsJob
from worker.delivery.base import Message, Recipient
from worker.delivery.channels import ChannelRegistry
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_department_is_checked_against_the_organisations_jobs(engine: Engine) -> None:
    org = make_org(engine, NOW)
    with session_scope(engine) as session:
        for title, department in (
            ("Backend Engineer", "Engineering"),
            ("Account Executive", "Sales"),
            ("Closed role", "Legal"),
        ):
            session.add(
                AtsJob(org_id=org.org_id, title=title, department=department, created_at=NOW)
            )
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)

    typo = tools.draft_automation(me, "every monday send me open roles for the Engneering team")
    assert typo.id is None and typo.status == "question"
    assert typo.question == (
        "No jobs in a 'Engneering' department; the departments are: Engineering, Legal, Sales."
    )
    assert list_automations(engine, org.org_id) == []
    # a job's title where a department is kept to: the job's department is named
    job = tools.draft_automation(
        me, "every monday at 9 send me a summary of my pipeline only for the Backend Engineer role"
    )
    assert job.id is None and job.question == (
        "It keeps to departments, not single jobs: the Backend Engineer job is in Engineering; "
        "say “only Engineering jobs” to keep to those."
    )

    draft = tools.draft_automation(
        me, "every monday at 9 send me hiring metrics, only engineering and sales jobs"
    )
    assert draft.status == "ok" and draft.id is not None
    assert draft.draft["params"]["departments"] == ["Engineering", "Sales"]
    assert "only jobs in Engineering or Sales" in draft.summary
    view = tools.confirm_draft(me, draft.id)
    assert view.skill == "hiring-metrics" and view.params["departments"] == ["Engineering", "Sales"]


class RecordingMail:
    """Keeps who each message went to."""

    name = "email"
    records_deliveries = True

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        self.sent.append((recipient.address, message.subject))


def test_open_roles_for_the_hiring_managers_reach_each_of_theirs(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    with session_scope(sqlite_engine) as session:
        for title, manager, days in (
            ("Backend Engineer", org.admin_id, 90),
            ("Account Executive", org.member_id, 45),
            ("Designer", org.member_id, 5),  # open too briefly: not listed
        ):
            session.add(
                AtsJob(
                    org_id=org.org_id,
                    title=title,
                    department="Engineering",
                    hiring_manager_id=manager,
                    created_at=NOW - timedelta(days=days),
                )
            )
    user = get_user(sqlite_engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    draft = tools.draft_automation(
        me,
        "every Monday send the hiring managers a list of open roles that have been open for "
        "more than 30 days",
    )
    assert draft.status == "ok" and draft.id is not None, draft.question
    view = tools.confirm_draft(me, draft.id)
    assert view.params["older_than_days"] == 30 and view.params["group_by"] == "hiring_manager"
    run_id = queue_run(
        sqlite_engine, automation_id=view.id, org_id=org.org_id, triggered_by="manual", now=NOW
    )
    mail = RecordingMail()
    channels = ChannelRegistry(sqlite_engine, load_settings())
    channels.register("email", mail)
    Worker(sqlite_engine, load_settings(), channels=channels).run_one(run_id, NOW)
    # each gets their own role, not the whole list
    assert sorted(mail.sent) == sorted(
        (address, "Your open roles — 1 open more than 30 days (Mon Nov 30)")
        for address in (org.admin_email, org.member_email)
    )


def test_a_report_is_narrowed_to_departments_in_words(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    with session_scope(sqlite_engine) as session:
        for department in ("Engineering", "Sales"):
            session.add(
                AtsJob(org_id=org.org_id, title="Role", department=department, created_at=NOW)
            )
    user = get_user(sqlite_engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    draft = tools.draft_automation(me, "every monday at 9 send me my pipeline")
    auto = tools.confirm_draft(me, draft.id or 0)
    changed = tools.update_in_words(me, auto.id, "only engineering and sales roles")
    assert changed.params["departments"] == ["Engineering", "Sales"]
    with pytest.raises(InvalidInput, match=r"^No jobs in a 'desgin' department; the departments"):
        tools.update_in_words(me, auto.id, "only desgin jobs")
    assert tools.get_automation(me, auto.id).params["departments"] == ["Engineering", "Sales"]
    assert tools.update_in_words(me, auto.id, "for every department").params["departments"] == []
