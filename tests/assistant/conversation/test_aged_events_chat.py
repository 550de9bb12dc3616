"""Asked about candidates said by an event and an age ("who applied over 30 days ago"), the
question offers the ones still waiting in that event's stage, and an answer that takes the
offer ("yes", "the ones still waiting", "and are still in Applied") makes the list of those,
its wait the age said. Events, ages and answers are generated; the stage and the wait are the
generator's."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from models.settings import load_settings
from tests.assistant.conversation.member_chat import MemberChat

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
EVENTS = [
    ("who applied", "Applied"),
    ("that moved to Offer", "Offer"),
    ("who reached Screen", "Screen"),
]
ANSWERS = ("yes", "the ones still waiting", "and are still in {stage}", "still in {stage}")


def test_an_answer_taking_the_offer_lists_those_still_in_the_stage(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine, "UTC", now=NOW, settings=load_settings())
    for n, ((said, stage), answer) in enumerate(itertools.product(EVENTS, ANSWERS)):
        weeks = 2 + n % 3
        chat.key = f"c{n}"
        asked = chat.say(f"every Monday at 9am send me candidates {said} over {weeks} weeks ago")
        assert asked.kind == "question", asked.text
        assert f"I can list the ones still waiting in {stage}" in asked.text, asked.text
        reply = chat.say(answer.format(stage=stage))
        assert reply.kind == "draft", (answer, reply.text)
        params = chat.draft(reply)["params"]
        assert params["stage"] == stage and params["measure"] == "stage", params
        assert params["business_days"] == weeks * 5, params
