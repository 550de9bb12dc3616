"""Every tool-set operation that changes anything writes an audit entry. The test calls each
public method of the tool set once, in process, and watches the SQL it sends: a call that
inserts, updates or deletes any row must also insert an audit entry, unless the method is one
of the few whose writes are bookkeeping (named below with why). A new tool-set method fails
the test until it is given a call in audit_calls.CALLS, so a change nobody can see in the log
cannot creep in; the entries written hold no one's address, name or message text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.tools.audit_entries import in_words
from assistant.tools.toolset import Toolset
from models.store.single_writer import write
from models.tables.audit import AUDIT_ACTIONS, AuditEntry
from models.tables.orgs import User
from tests.assistant.tools.audit_calls import CALLS, SECRET, World, make_world

#: building blocks the tools call with objects already read and checked; each reaches the
#: store only through a tool below, whose call covers it
HELPERS = frozenset(
    {
        "activation_checked",
        "admin_only",
        "apply_changes",
        "check_may_act",
        "check_system_skill",
        "departments_checked",
        "event_to_test_with",
        "find_member",
        "history_note",
        "holidays_checked",
        "holidays_of",
        "job_names_checked",
        "listing_owner",
        "mirror_checked",
        "owned_automation",
        "owned_with_owner",
        "pause_checked",
        "paused",
        "person_named",
        "queue_manual_run",
        "queued_run",
        "resumed",
        "run_view_of",
        "spell_job_names",
        "system_skill_refusal",
        "validate",
        "view_of",
        "views_of",
        "zone_of",
    }
)
#: tools whose writes change nothing anyone audits, and why
BOOKKEEPING = {
    "actor_for_token": "notes the token's last use",
    "start_dashboard_session": "a sign-in, not a change",
    "end_dashboard_session": "a sign-out, not a change",
    "draft_automation": "a draft changes nothing until it is confirmed (create is audited)",
    "draft_workflow": "a draft changes nothing until it is confirmed (create is audited)",
    "cancel_draft": "drops a draft that changed nothing",
    "understand": "keeps the words it read for the draft that follows",
    "list_outbox": lambda w: lambda: w.tools.list_outbox(w.admin),
    "get_outbox_message": lambda w: (
        lambda: w.tools.get_outbox_message(w.admin, w.tools.list_outbox(w.admin).items[0].id)
    ),
    "demo_reply": "the demo ATS's own candidate event, kept in the event log",
    "move_demo_candidate": "the demo ATS's own candidate events, kept in the event log",
    "read_inbox": "marks the message read",
    "mark_inbox_unread": "the reader's own read marks",
    "mark_inbox_read": "the reader's own read marks",
    "service_status": "probes whether the database takes writes",
}
WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


def tool_names() -> set[str]:
    return {n for n in dir(Toolset) if not n.startswith("_") and callable(getattr(Toolset, n))}


@pytest.fixture
def world(sqlite_engine: Engine) -> World:
    return make_world(sqlite_engine)


class Watch:
    """The tables the statements sent while it is on write to."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.on, self.tables = engine, False, set[str]()
        event.listen(engine, "before_cursor_execute", self.saw)

    def saw(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        found = WRITE.match(statement)
        if self.on and found:
            self.tables.add(found.group(1).lower())

    def run(self, call: Callable[[], object]) -> set[str]:
        self.tables, self.on = set(), True
        try:
            call()
            write(self.engine, lambda conn: None)  # the writes it left for later are its own
        finally:
            self.on = False
        return self.tables


def _addresses(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return [e for (e,) in s.execute(select(col(User.email)))]


def test_every_tool_is_called_here_or_named_a_helper() -> None:
    missing = tool_names() - set(CALLS) - HELPERS
    assert not missing, (
        f"give these tool-set methods a call in audit_calls.CALLS (or audit them): {missing}"
    )
    assert not (set(CALLS) | HELPERS) - tool_names(), "a call for a method that is gone"
    assert set(BOOKKEEPING) <= set(CALLS)


def test_every_call_that_writes_writes_an_audit_entry_without_pii(world: World) -> None:
    watch = Watch(world.engine)
    unaudited: dict[str, set[str]] = {}
    seen_actions: set[str] = set()
    with Session(world.engine) as s:
        last = s.scalar(select(col(AuditEntry.id)).order_by(col(AuditEntry.id).desc())) or 0
    for name, call in CALLS.items():
        tables = watch.run(call(world))
        if name in BOOKKEEPING:
            continue
        if tables - {"audit_entries"} and "audit_entries" not in tables:
            unaudited[name] = tables
        with Session(world.engine) as s:
            written = list(
                s.scalars(
                    select(AuditEntry).where(col(AuditEntry.id) > last).order_by(col(AuditEntry.id))
                )
            )
        if written:
            last = written[-1].id or last
            seen_actions |= {e.action for e in written}
            for e in written:  # each reads in words, not as its bare action
                bare = (e.action, f"{e.action} #{e.automation_id}")
                assert in_words(e, {}) not in bare, (name, e.action)
            text = json.dumps([e.changes for e in written], default=str)
            for secret in [SECRET, "Priya", *_addresses(world.engine)]:
                assert secret not in text, (name, secret)
    assert not unaudited, f"tools that change things without an audit entry: {unaudited}"
    # every action the log knows is written by some tool, and reads in words
    assert set(AUDIT_ACTIONS) - seen_actions <= {"slack_install", "slack_uninstall"}, (
        set(AUDIT_ACTIONS) - seen_actions
    )


def test_a_generated_name_that_follows_an_edit_is_in_the_entry(world: World) -> None:
    made = world.tools.draft_automation(world.member, "remind me every monday at 9 to call Priya")
    assert made.id is not None
    auto = world.tools.confirm_draft(world.member, made.id)
    world.tools.update_in_words(world.member, auto.id, "make it 7am")
    [edit, *_] = world.tools.list_audit(world.member, automation_id=auto.id).items
    assert edit.changes["name"] == {
        "old": "Reminder, Mondays 9:00",
        "new": "Reminder, Mondays 7:00",
        "generated": True,
    }
    assert "name “Reminder, Mondays 9:00” → “Reminder, Mondays 7:00”" in edit.summary
    assert "Priya" not in json.dumps(edit.changes)
