"""“No, the other one” after “Which one?”, through the real engine on both stores: with two
candidates it is the one not picked, the first pick's change taken back; said before any pick
it is the one not offered first; among more than two it asks again, naming the rest."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import MemberChat

OTHER_WORDS = ["no, the other one", "No, the other one.", "I meant the other one", "the other one"]
DAYS = ("Mondays", "Fridays", "Wednesdays")


def _reports(engine: Engine, chat: MemberChat, count: int) -> list[int]:
    return [
        make_automation(
            engine,
            chat.org,
            NOW,
            cron=f"0 9 * * {n + 1}",
            skill="pipeline-report",
            name=f"Pipeline report, {DAYS[n]} 9:00",
            params={"scope": "mine"},
        ).id
        or 0
        for n in range(count)
    ]


def _enabled(engine: Engine, chat: MemberChat, ids: list[int]) -> list[Any]:
    return [get_automation(engine, chat.org.org_id, n).enabled for n in ids]


@pytest.mark.parametrize("said", OTHER_WORDS)
def test_the_other_one_after_a_pick_takes_it_back_and_does_it_to_the_other(
    engine: Engine, said: str
) -> None:
    chat = MemberChat(engine)
    first, second = _reports(engine, chat, 2)
    assert chat.say("pause the pipeline report").kind == "choose"
    assert chat.say("the first one").kind == "done"
    assert _enabled(engine, chat, [first, second]) == [False, True]

    other = chat.say(said)
    assert other.kind == "done", other.text
    assert _enabled(engine, chat, [first, second]) == [True, False]
    assert f"#{first}" in other.text and f"Paused #{second}" in other.text
    # "undo" now takes back the pause of the other one
    assert chat.say("undo").kind == "done"
    assert _enabled(engine, chat, [first, second]) == [True, True]


def test_the_other_one_before_a_pick_is_the_one_not_offered_first(engine: Engine) -> None:
    chat = MemberChat(engine)
    first, second = _reports(engine, chat, 2)
    assert chat.say("pause the pipeline report").kind == "choose"
    other = chat.say("no, the other one")
    assert (other.kind, other.automation_id) == ("done", second), other.text
    assert _enabled(engine, chat, [first, second]) == [True, False]


def test_among_three_the_other_one_asks_again_naming_the_rest(engine: Engine) -> None:
    chat = MemberChat(engine)
    ids = _reports(engine, chat, 3)
    assert chat.say("pause the pipeline report").kind == "choose"
    assert chat.say("the first one").kind == "done"
    again = chat.say("no, the other one")
    assert again.kind == "choose", again.text
    assert f"#{ids[0]}" not in again.text.split("\n", 1)[1]
    assert all(f"#{n}" in again.text for n in ids[1:])
    assert _enabled(engine, chat, ids) == [True, True, True]  # the first pick taken back
    assert chat.say("the second one").kind == "done"
    assert _enabled(engine, chat, ids) == [True, True, False]
