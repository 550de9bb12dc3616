"""A shift said without its direction ("move it 30 minutes"), through the real conversation
engine, on a draft waiting for "yes" and on an active automation: it asks "30 minutes earlier or
later?", and "later" / "earlier" (in a few wordings) give the same schedule as the change said
with its direction at once."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation
from models.errors import InvalidInput
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import MemberChat

AMOUNTS = ["30 minutes", "half an hour", "2 hours", "an hour and a half", "15 mins"]
ASKING = ["move it {}", "shift it by {}", "push it {}", "move it by {}", "bump it {}"]
ANSWERS = {
    "later": "later",
    "earlier": "earlier",
    "a bit later": "later",
    "make it earlier": "earlier",
    "later please": "later",
    "back": "later",
    "forward": "earlier",
}


def _cases() -> list[tuple[str, str, str, str]]:
    answers = itertools.cycle(ANSWERS.items())
    return [
        (amount, asking.format(amount), *next(answers))
        for amount, asking in itertools.product(AMOUNTS, ASKING)
    ]


def test_a_draft_moved_without_a_direction_asks_which_way(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    request = "every weekday at 4pm send me a summary of my pipeline"
    for n, (amount, asking, answer, way) in enumerate(_cases()):
        chat.key = f"draft-{n}"
        assert chat.say(request).kind == "draft"
        asked = chat.say(asking)
        assert asked.kind == "error", (asking, asked.text)
        # the amount asked back in full words ("15 mins" is "15 minutes")
        assert asked.text.lower() == f"{amount.replace('mins', 'minutes')} earlier or later?"
        moved = chat.say(answer)
        assert moved.kind == "draft", (asking, answer, moved.text)
        # the same draft, changed with its direction said at once
        chat.key = f"direct-{n}"
        assert chat.say(request).kind == "draft"
        direct = chat.say(f"{amount} {way}")
        assert direct.kind == "draft", direct.text
        assert chat.draft(moved)["schedule"] == chat.draft(direct)["schedule"], (asking, answer)


def test_an_automation_moved_without_a_direction_asks_which_way(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    for n, (amount, asking, answer, way) in enumerate(_cases()):
        chat.key = f"saved-{n}"
        saved = make_automation(
            sqlite_engine, chat.org, NOW, cron="30 9 * * 1-5", name=f"Digest {n}"
        )
        twin = make_automation(sqlite_engine, chat.org, NOW, cron="30 9 * * 1-5", name=f"Twin {n}")
        assert chat.say(f"show #{saved.id}").kind == "info"
        assert chat.say(asking).kind == "error"
        assert chat.say(answer).kind == "done", (asking, answer)
        assert chat.say(f"show #{twin.id}").kind == "info"
        assert chat.say(f"{amount} {way}").kind == "done"
        after = get_automation(sqlite_engine, chat.org.org_id, saved.id or 0)
        direct = get_automation(sqlite_engine, chat.org.org_id, twin.id or 0)
        assert after.cron_expression == direct.cron_expression != "30 9 * * 1-5", (asking, answer)


def test_an_answer_that_is_no_direction_changes_nothing(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    saved = make_automation(sqlite_engine, chat.org, NOW, cron="0 9 * * 1-5", name="Digest")
    chat.say(f"show #{saved.id}")
    assert chat.say("move it 30 minutes").text == "30 minutes earlier or later?"
    assert chat.say("sideways").kind != "done"
    assert chat.say("later").kind != "done"  # the question is no longer open
    after = get_automation(sqlite_engine, chat.org.org_id, saved.id or 0)
    assert after.cron_expression == "0 9 * * 1-5"


def test_the_parser_asks_instead_of_guessing() -> None:
    from datetime import UTC, datetime

    from assistant.language.edits import changes_in_words
    from models.tables.automations import Automation

    now = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
    auto = Automation(
        org_id=1,
        owner_id=1,
        name="Pipeline",
        skill="pipeline-report",
        params={},
        trigger_type="cron",
        cron_expression="0 9 * * 1-5",
        timezone="UTC",
        output_channel="email",
        output_config={"to": ["me"]},
        created_at=now,
        updated_at=now,
    )
    for said in ("move it 30 minutes", "shift it by 2 hours", "push it 45 minutes"):
        with pytest.raises(InvalidInput, match="earlier or later"):
            changes_in_words(auto, said, now)
