"""Undoing the last change made in the conversation to a stored automation, through the real
engine on both stores: for every kind of change, the change and then "undo" (in its several
phrasings) leave the stored automation exactly as it was; a change made since by someone else
is not overwritten; a delete cannot be undone and says so; only the speaker's own change."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor
from assistant.tools.undo import CHANGEABLE
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation
from models.store.audit import list_entries
from models.store.automations import get_automation
from models.store.orgs import get_user
from models.tables.automations import Automation
from tests.assistant.conversation.member_chat import MemberChat

#: every column a change or its undo may write, compared exactly (updated_at aside)
COMPARED = (*CHANGEABLE, "status", "consecutive_failures", "next_run_at")
UNDO_WORDS = ["undo", "Undo that.", "change it back", "put it back", "undo the last change"]


def stored(engine: Engine, auto: Automation) -> dict[str, Any]:
    row = get_automation(engine, auto.org_id, auto.id or 0)
    return {name: getattr(row, name) for name in COMPARED}


# change kind -> (set up the automation's state, what is said: one or two messages)
CHANGES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "time": ({}, ["move #{id} to 7:30am"]),
    "schedule": ({}, ["make #{id} weekdays only"]),
    "days": ({}, ["show #{id}", "only on mondays and thursdays"]),
    "recipients": ({}, ["cc priya@example.com on #{id}"]),
    "channel": ({}, ["show #{id}", "post it in the app instead"]),
    "slack": ({}, ["show #{id}", "send it to #hiring instead"]),
    "name": ({}, ["rename #{id} to Friday wrap"]),
    "pause": ({}, ["pause #{id}"]),
    "pause until": ({}, ["pause #{id} until monday"]),
    "resume": (
        {"enabled": False, "status": "paused", "paused_reason": "by hand"},
        ["resume #{id}"],
    ),
    "bulk pause": ({}, ["pause all my automations", "yes"]),
    "bulk resume": (
        {"enabled": False, "status": "paused", "consecutive_failures": 2},
        ["resume all my automations", "yes"],
    ),
    "group pause": ({}, ["list", "pause them", "yes"]),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_change_then_undo_restores_the_stored_automation(engine: Engine, change: str) -> None:
    chat = MemberChat(engine)
    fields, said = CHANGES[change]
    auto = make_automation(
        engine, chat.org, NOW, name="Morning digest", skill="pipeline-report", channel="email",
        **fields,
    )  # fmt: skip
    other = make_automation(
        engine, chat.org, NOW, name="Other", owner_id=chat.org.admin_id, enabled=False
    )
    before, untouched = stored(engine, auto), stored(engine, other)
    for message in said:
        reply = chat.say(message.format(id=auto.id))
        assert reply.kind != "error", (message, reply.text)
    assert reply.kind == "done", reply.text
    assert stored(engine, auto) != before, "the change changed something"
    for words in UNDO_WORDS[: 2 if change.startswith(("bulk", "group")) else len(UNDO_WORDS)]:
        undone = chat.say(words)
        assert undone.kind == "done" and undone.text.startswith("Undone"), undone.text
        assert stored(engine, auto) == before, words
        # taking a change back is in the audit log, by the speaker, like the change itself
        newest = list_entries(engine, chat.org.org_id, automation_id=auto.id, limit=1)[0]
        assert (newest.entry.action, newest.entry.actor_user_id) == ("undo", chat.org.member_id)
        assert stored(engine, other) == untouched
        again = chat.say("undo")  # once only: the undo is not undone
        assert again.kind == "error" and "already undone" in again.text
        assert stored(engine, auto) == before
        for message in said:  # the same change again, for the next phrasing
            chat.say(message.format(id=auto.id))


def test_cancel_right_after_a_change_undoes_it_and_only_then(engine: Engine) -> None:
    chat = MemberChat(engine)
    auto = make_automation(engine, chat.org, NOW, name="Morning digest", channel="email")
    before = stored(engine, auto)
    assert chat.say(f"change #{auto.id} to 7:30").kind == "done"
    undone = chat.say("actually cancel that")
    assert undone.kind == "done" and "09:00 AM" in undone.text
    assert stored(engine, auto) == before
    assert chat.say(f"change #{auto.id} to 7:30").kind == "done"
    assert chat.say("show it").kind == "info"
    late = chat.say("cancel that")  # not right after: nothing waits to be cancelled
    assert late.kind == "error" and "Nothing is waiting" in late.text
    assert stored(engine, auto) != before


def test_a_change_made_since_by_someone_else_is_not_undone(engine: Engine) -> None:
    chat = MemberChat(engine)
    auto = make_automation(engine, chat.org, NOW, name="Morning digest", channel="email")
    assert chat.say(f"move #{auto.id} to 7:30am").kind == "done"
    admin = Actor.of(get_user(engine, chat.org.admin_id))
    chat.tools.update_automation(admin, auto.id or 0, {"name": "Renamed by the admin"})
    theirs = stored(engine, auto)
    refused = chat.say("undo")
    assert refused.kind == "error" and "changed since" in refused.text, refused.text
    assert stored(engine, auto) == theirs


def test_undo_is_the_speakers_own_and_a_delete_says_it_cannot(engine: Engine) -> None:
    chat = MemberChat(engine)
    auto = make_automation(engine, chat.org, NOW, name="Morning digest", channel="email")
    assert chat.say(f"pause #{auto.id}").kind == "done"
    chat.key = "elsewhere"  # another conversation of the same person, or someone else's
    nothing = chat.say("undo")
    assert nothing.kind == "error" and "nothing to undo" in nothing.text
    assert not stored(engine, auto)["enabled"]
    chat.key = "t"
    assert chat.say(f"delete #{auto.id}").kind == "confirm"
    assert chat.say("yes").kind == "done"
    gone = chat.say("undo")
    assert gone.kind == "error" and "cannot be undone" in gone.text
    assert "“pause it”" in gone.text and "Morning digest" in gone.text


def test_undo_with_nothing_changed_says_so_and_the_hints_hold(engine: Engine) -> None:
    chat = MemberChat(engine)
    nothing = chat.say("undo")
    assert nothing.kind == "error" and "nothing to undo" in nothing.text
    assert chat.state().get("pending") is None
