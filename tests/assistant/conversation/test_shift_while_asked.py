"""A shift ("push it back an hour", "30 minutes earlier") while a question waits for the time:
nothing is set up to move, so the question is asked again, the request kept as it was; the
answer that follows is read alone (the shift's words never become part of the schedule), and
a shift of the draft it makes moves the draft's time by the amount said."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from tests.assistant.conversation.member_chat import Chat

SHIFTS = {
    "push it back an hour": 60,
    "an hour later": 60,
    "30 minutes earlier": -30,
    "make it 2 hours later": 120,
    "move it 15 minutes earlier": -15,
}


def test_a_shift_waits_for_a_time_to_move(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    for n, (shift, minutes) in enumerate(SHIFTS.items()):
        chat = Chat(sqlite_engine, org.member_id, key=f"shift-{n}")
        asked = chat.say("remind me to call Priya")
        assert asked.kind == "question", asked.text
        waiting = chat.pending()["request"]
        again = chat.say(shift)
        assert again.kind == "question" and "once it is set up" in again.text, (shift, again.text)
        assert chat.pending()["request"] == waiting, shift
        draft = chat.say("friday at 10am")
        assert draft.kind == "draft", (shift, draft.text)
        assert "10:00" in draft.text, (shift, draft.text)
        moved = chat.say(shift)
        hour, minute = divmod(10 * 60 + minutes, 60)
        assert moved.kind == "draft" and f"{hour:02d}:{minute:02d}" in moved.text, (
            shift,
            moved.text,
        )
