"""A conversation's draft confirmed through another door (REST or MCP confirm by its id) stays
confirmed when the conversation goes on, on both stores: a change said next is the change of
the automation it made, not a second draft that would make a second automation. One cancelled
so is not drafted again by what is said next."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from assistant.conversation.draft_turns import CANCELLED
from assistant.conversation.drafts import edit_draft
from models.store.automations import list_automations
from models.store.conversations import get_draft
from tests.assistant.conversation.member_chat import MemberChat


def test_a_change_after_the_draft_was_confirmed_elsewhere_changes_its_automation(
    engine: Engine,
) -> None:
    chat = MemberChat(engine)
    drafted = chat.say("every weekday at 8:30 send me my pipeline")
    assert drafted.kind == "draft" and drafted.draft_id
    made = chat.tools.confirm_draft(chat.actor, drafted.draft_id)  # as REST or MCP does

    moved = chat.say("make it 9am")
    row = get_draft(engine, chat.org.org_id, drafted.draft_id)
    assert (row.status, row.automation_id) == ("confirmed", made.id)
    (auto,) = list_automations(engine, chat.org.org_id)
    assert (auto.id, auto.cron_expression) == (made.id, "0 9 * * 1-5"), moved.text
    assert moved.kind == "done" and moved.draft_id is None, moved
    assert not chat.pending()


def test_a_change_racing_the_confirm_leaves_the_confirmed_draft_confirmed(engine: Engine) -> None:
    """The change read the draft just before another door confirmed it: the changed draft
    waits, and the confirmed one is not marked cancelled under its automation."""
    chat = MemberChat(engine)
    drafted = chat.say("every weekday at 8:30 send me my pipeline")
    made = chat.tools.confirm_draft(chat.actor, drafted.draft_id or 0)
    new_id, _ = edit_draft(chat.tools, chat.actor, drafted.draft_id or 0, "make it 9am")
    row = get_draft(engine, chat.org.org_id, drafted.draft_id or 0)
    assert (row.status, row.automation_id) == ("confirmed", made.id)
    assert get_draft(engine, chat.org.org_id, new_id).status == "pending"


def test_a_draft_cancelled_elsewhere_is_not_drafted_again(engine: Engine) -> None:
    """Cancelled through REST or MCP by its id, the draft waits no more: "yes", a change or
    "undo" said next answers that it was cancelled, and nothing is drafted or made from it."""
    chat = MemberChat(engine)
    for said in ("make it 9am", "yes", "also send it to sam@acme.test", "undo", "show it"):
        drafted = chat.say("every weekday at 8:30 send me my pipeline")
        assert drafted.kind == "draft" and drafted.draft_id
        chat.tools.cancel_draft(chat.actor, drafted.draft_id)  # as REST or MCP does

        answer = chat.say(said)
        assert (answer.kind, answer.text) == ("error", CANCELLED), (said, answer.text)
        assert answer.draft_id is None and not chat.pending(), said
        assert get_draft(engine, chat.org.org_id, drafted.draft_id).status == "cancelled"
        assert list_automations(engine, chat.org.org_id) == [], said
    # what is said after that is read as it would be with nothing waiting
    assert chat.say("every weekday at 8:30 send me my pipeline").kind == "draft"
