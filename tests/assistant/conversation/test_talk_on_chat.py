"""`skilltick chat` as a recruiter talks to it: pleasantries around a request, undoing a saved
change, "bring it back" while a which-one question waits, previews, and the hint an activation
gives for each kind of automation, each hint then said back in the same conversation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.store.automations import get_automation, list_automations
from tests.assistant.conversation.member_chat import MemberChat
from tests.chat_process import chat_home, chat_replies


def test_a_recruiter_chats_politely_and_undoes(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    weekly = make_automation(
        engine, org, NOW, name="Weekly pipeline report", skill="pipeline-report",
        channel="email", cron="0 9 * * 1",
    )  # fmt: skip
    said = [
        "thanks",
        "hello",
        "every day at 8am send me a summary of my pipeline",
        "ok thanks",
        "yes",
        "thanks!",
        "stop the pipeline one for two weeks",
        "bring it back",
        "the first one",
        "pause everything",
        "yes",
        "undo",
        f"change #{weekly.id} to 7:30",
        "actually cancel that",
        "show me a preview",
        "send me a sample",
    ]
    user = ["--org", "acme", "--user", org.member_email, "--tz", "Europe/London"]
    replies = chat_replies(env, NOW, user, said)
    kinds = [r["kind"] for r in replies]
    assert kinds == [
        "info", "info", "draft", "info", "done", "info", "choose", "choose", "info",
        "confirm", "done", "done", "done", "done", "info", "info",
    ], [r["text"] for r in replies]  # fmt: skip
    assert "Try “Every Monday" in replies[1]["text"]
    assert "still waits" in replies[3]["text"] and "replaces" not in replies[2]["text"]
    made = replies[4]["automation_id"]
    assert "Say “pause it”, “move it to 9am” or “delete it”" in replies[4]["text"]
    assert f"#{made}" in replies[5]["text"]
    assert "Which automation" in replies[7]["text"]  # asked again, for the resume
    assert "already active" in replies[8]["text"]
    assert replies[11]["text"].startswith("Undone")
    assert all(a.enabled for a in list_automations(engine, org.org_id, owner_id=org.member_id))
    assert "09:00 AM" in replies[13]["text"]
    assert get_automation(engine, org.org_id, weekly.id or 0).cron_expression == "0 9 * * 1"
    assert replies[14]["text"].startswith("Test run") and "nothing was sent" in replies[14]["text"]
    engine.dispose()


@pytest.mark.parametrize(
    "request_words",
    [
        "every weekday at 8am send me a summary of my pipeline",
        "remind me tomorrow at 10am to call Sam",
        "when a candidate moves to interview, email me their prep",
        "check for new applicants every hour and email me",
    ],
)
def test_each_activation_hint_works_for_its_kind(sqlite_engine: Engine, request_words: str) -> None:
    chat = MemberChat(sqlite_engine)
    assert chat.say(request_words).kind == "draft"
    activated = chat.say("yes")
    assert activated.kind == "done", activated.text
    hint = activated.text.split("Say ", 1)[1]
    hinted = [part.split("”")[0] for part in hint.split("“")[1:]]
    assert "pause it" in hinted and "delete it" in hinted
    # each hint said in the same conversation does what it says (a delete asks first)
    for phrase in hinted:
        reply = chat.say(phrase)
        assert reply.kind in ("done", "info", "confirm"), (phrase, reply.text)
        assert reply.automation_id == activated.automation_id
        if phrase.startswith("move it to"):
            assert reply.text.startswith("Changed"), reply.text
