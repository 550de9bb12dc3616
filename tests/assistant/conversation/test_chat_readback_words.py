"""`skilltick chat` as a recruiter runs it (a real subprocess): the read-back of a request and
"show it" and a change afterwards say the automation's settings in words, the same words both times, while
the stored params keep their codes."""

from __future__ import annotations

from pathlib import Path

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from models.store.automations import list_automations
from tests.chat_process import chat_home, chat_replies

ACTION = (
    "- Action: a summary of your pipeline (pipeline-report), flagging candidates not contacted "
    "for 10 days"
)


def test_a_readback_and_show_it_say_the_settings_in_words(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    try:
        org = make_org(engine, NOW, slug="acme")
        said = [
            "every monday at 9am send me a summary of my pipeline, flag anyone not contacted "
            "in 10 days",
            "yes",
            "show it",
            "move it to 8am",
        ]
        user = ["--org", "acme", "--user", org.member_email]
        draft, activated, shown, changed = chat_replies(env, NOW, user, said)
        assert draft["kind"] == "draft" and ACTION in draft["text"].splitlines(), draft["text"]
        assert "- Output: email to you" in draft["text"].splitlines()
        assert activated["kind"] == "done", activated["text"]
        assert shown["kind"] == "info" and ACTION in shown["text"].splitlines(), shown["text"]
        assert "- Output: email to you" in shown["text"].splitlines()
        assert changed["kind"] == "done" and "email to you." in changed["text"], changed["text"]
        for reply in (draft, shown, changed):
            assert not any(code in reply["text"] for code in ("stale_days", "scope", "[", "{"))
        (auto,) = list_automations(engine, org.org_id)
        assert auto.params == {
            "scope": "mine",
            "stale_days": 10,
            "period": "weekly",
            "departments": [],
        }
    finally:
        engine.dispose()
