"""Follow-ups a recruiter types after a draft or a listing, through the real conversation
engine: another output after Slack was refused, listings by state, "it" when nothing was spoken
about yet or while a draft waits, corrections and a recipient added. Times of day:
test_time_followups.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.store.automations import get_automation, list_automations
from models.store.conversations import get_draft
from tests.assistant.conversation.member_chat import NoSlackChat
from tests.chat_process import chat_home, chat_replies


def test_slack_refused_at_activation_keeps_the_draft_for_another_output(engine: Engine) -> None:
    chat = NoSlackChat(engine)  # no bot token, no workspace: Slack cannot deliver here
    for made_before, (change, channel) in enumerate(
        (
            ("email instead", "email"),
            ("email", "email"),
            ("send it by email", "email"),
            ("in app", "in_app"),
        )
    ):
        chat.key = change
        draft = chat.say("every weekday at 8:30 post a summary of my pipeline in #hiring")
        assert draft.kind == "draft" and "Slack is not configured" in draft.text
        refused = chat.say("yes")
        assert refused.kind == "error", refused.text
        assert "choose another output: email, in_app" in refused.text
        assert "The draft is kept" in refused.text
        assert chat.state()["pending"]["kind"] == "draft"
        pending_id = chat.state()["pending"]["draft_id"]
        assert get_draft(engine, chat.org.org_id, pending_id).status == "pending"
        assert len(list_automations(engine, chat.org.org_id)) == made_before
        again = chat.say(change)
        assert again.kind == "draft", again.text
        assert "Confirm to activate?" in again.text and "Slack is not configured" not in again.text
        done = chat.say("yes")
        assert done.kind == "done" and done.text.startswith("Activated"), done.text
        made = get_automation(engine, chat.org.org_id, done.automation_id or 0)
        assert (made.output_channel, made.output_config["to"]) == (channel, ["me"])
        assert made.cron_expression == "30 8 * * 1-5"
    assert len(list_automations(engine, chat.org.org_id)) == 4


def test_a_draft_changed_to_slack_says_it_cannot_be_activated(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    assert chat.say("every weekday at 8:30 send me a summary of my pipeline").kind == "draft"
    moved = chat.say("post it in #hiring instead")
    assert "Slack is not configured" in moved.text and "cannot be activated" in moved.text
    assert chat.say("yes").kind == "error"
    assert chat.say("email instead").kind == "draft"
    assert chat.say("yes").kind == "done"


def test_the_chat_process_recovers_from_slack_refused(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    said = [
        "every weekday at 8:30 post a summary of my pipeline in #hiring",
        "yes",
        "email instead",
        "yes",
    ]
    user = ["--org", "acme", "--user", org.member_email, "--tz", "UTC"]
    replies = chat_replies(env, NOW, user, said)
    assert [r["kind"] for r in replies] == ["draft", "error", "draft", "done"]
    assert "choose another output" in replies[1]["text"]
    (made,) = list_automations(engine, org.org_id)
    assert made.output_channel == "email" and made.cron_expression == "30 8 * * 1-5"
    engine.dispose()


@pytest.mark.parametrize("asked", ["list paused", "what is paused?", "show my paused automations"])
def test_listing_by_state(sqlite_engine: Engine, asked: str) -> None:
    chat = NoSlackChat(sqlite_engine)
    on = make_automation(sqlite_engine, chat.org, NOW, name="Morning digest")
    off = make_automation(sqlite_engine, chat.org, NOW, name="Friday recap", enabled=False)
    reply = chat.say(asked)
    assert reply.kind == "list" and [v["id"] for v in reply.data] == [off.id]
    assert "Friday recap" in reply.text and "Morning digest" not in reply.text
    assert chat.state()["listed"] == [off.id] and chat.state()["focus"] == off.id
    assert chat.say("resume it").kind == "done"
    assert get_automation(sqlite_engine, chat.org.org_id, off.id or 0).enabled
    assert chat.say("list paused").text == "None of the automations is paused."
    assert [v["id"] for v in chat.say("which are active?").data] == [on.id, off.id]


def test_it_resolves_only_when_there_is_one_candidate(engine: Engine) -> None:
    chat = NoSlackChat(engine)
    only = make_automation(engine, chat.org, NOW, name="Morning digest")
    make_automation(engine, chat.org, NOW, name="Admin's own", owner_id=chat.org.admin_id)
    shown = chat.say("show it")  # the member's only automation
    assert shown.kind == "info" and shown.automation_id == only.id
    chat.key = "second"
    other = make_automation(engine, chat.org, NOW, name="Friday recap")
    asked = chat.say("pause it until monday")
    assert asked.kind == "choose", asked.text
    assert "Morning digest" in asked.text and "Friday recap" in asked.text
    assert "Admin's own" not in asked.text
    assert [c.say for c in asked.choices] == [f"#{only.id}", f"#{other.id}"]
    assert all(a.enabled for a in list_automations(engine, chat.org.org_id))
    done = chat.say("the second one")
    assert done.kind == "done" and done.automation_id == other.id
    paused = get_automation(engine, chat.org.org_id, other.id or 0)
    assert not paused.enabled and paused.paused_until is not None
    assert chat.say("history of it").automation_id == other.id


def test_it_while_a_draft_waits_is_the_draft(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    other = make_automation(sqlite_engine, chat.org, NOW, name="Morning digest")
    chat.say(f"show #{other.id}")  # spoken about before the draft
    draft = chat.say("every weekday at 8:30 send me a summary of my pipeline")
    for asked in ("show it", "when does it run next?", "what time does it run?"):
        reply = chat.say(asked)
        assert (reply.kind, reply.text, reply.draft_id) == ("draft", draft.text, draft.draft_id)
    assert chat.state()["pending"]["draft_id"] == draft.draft_id
    assert chat.say("yes").kind == "done"
    assert chat.say("show it").automation_id not in (None, other.id)


def test_corrections_and_questions_a_recruiter_types_after_a_draft(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    assert chat.say("every monday at 9am send me a summary of my pipeline").kind == "draft"
    for said, trigger in (
        ("actually make it 10", "At 10:00 AM, only on Monday"),
        ("no, 11am", "At 11:00 AM, only on Monday"),
        ("sorry, tuesdays", "At 11:00 AM, only on Tuesday"),
        ("wait, biweekly", "Every 2 weeks on Tuesday at 11:00"),
    ):
        reply = chat.say(said)
        assert reply.kind == "draft" and trigger in reply.text, (said, reply.text)
    done = chat.say("yes")
    assert done.kind == "done", done.text
    for said in ("is it paused?", "what does it do?"):
        reply = chat.say(said)
        assert reply.kind == "info" and reply.automation_id == done.automation_id, said
    stopped = chat.say("stop sending it")
    assert stopped.kind == "done" and stopped.text.startswith("Paused")
    assert not get_automation(sqlite_engine, chat.org.org_id, done.automation_id or 0).enabled
    assert chat.say("no thanks").kind == "error"  # nothing was waiting; nothing changed


def test_add_a_recipient_to_a_draft_and_an_automation(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    assert chat.say("every monday at 9am send me a summary of my pipeline").kind == "draft"
    reply = chat.say("can you add boss@example.com")
    assert reply.kind == "draft" and "email to you and boss@example.com" in reply.text, reply.text
    done = chat.say("yes")
    assert chat.say("cc lead@example.com too").kind == "done"
    made = get_automation(sqlite_engine, chat.org.org_id, done.automation_id or 0)
    assert made.output_config["to"] == ["me", "boss@example.com", "lead@example.com"]
