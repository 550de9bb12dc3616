"""The reply to “undo” says what was undone, in plain words, for the kind of change taken
back; a job with no message of its own is not read back as “no message of its own”."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation
from tests.assistant.conversation.member_chat import MemberChat

# the change said, what the undo's reply says of it
CHANGES = [
    ("pause #{id}", "is active again, no longer paused"),
    ("pause #{id} until friday", "is active again, no longer paused"),
    ("move #{id} to 7:30am", "runs at 09:00 AM, only on Monday (UTC) again"),
    ("rename #{id} to Friday wrap", "is called “Pipeline report” again, not “Friday wrap”"),
    ("skip the next run of #{id}", "no longer skips the run you skipped"),
]


@pytest.mark.parametrize(("change", "said"), CHANGES)
@pytest.mark.parametrize("channel", ["noop", "email"])
def test_undo_says_what_it_took_back(
    sqlite_engine: Engine, change: str, said: str, channel: str
) -> None:
    chat = MemberChat(sqlite_engine)
    auto = make_automation(
        sqlite_engine,
        chat.org,
        NOW,
        cron="0 9 * * 1",
        skill="pipeline-report",
        name="Pipeline report",
        params={"scope": "mine"},
        channel=channel,
    )
    assert chat.say(change.format(id=auto.id)).kind == "done"
    undone = chat.say("undo")
    assert undone.kind == "done", undone.text
    assert undone.text.startswith(f"Undone: #{auto.id} “Pipeline report” {said}."), undone.text
    assert "no message of its own" not in undone.text


def test_undoing_a_resume_says_it_is_paused_again(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    auto = make_automation(
        sqlite_engine, chat.org, NOW, cron="0 9 * * 1", name="Digest", enabled=False
    )
    assert chat.say(f"resume #{auto.id}").kind == "done"
    undone = chat.say("undo").text
    assert undone.startswith(f"Undone: #{auto.id} “Digest” is paused again."), undone
    assert "“resume it”" in undone
