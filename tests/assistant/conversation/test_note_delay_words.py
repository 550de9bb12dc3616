"""How long a candidate note waits after its event, changed in words through the real
conversation engine on both databases: each way of saying a wait (generated with its value)
stores that wait in the automation's trigger and reads it back; "right away" stores none; a
negative wait, one said "before" the event or one past 30 days gets one line and changes
nothing. The same words change a draft before it is activated."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.language.delay_words import MAX_DELAY_DAYS, read_delay
from assistant.language.draft import event_words
from models.errors import InvalidInput
from models.store.automations import get_automation
from tests.assistant.conversation.test_relative_changes import Chat
from tests.examples import examples

UNITS = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}
# each way of asking for a wait of {n} {unit}s
WAITS = (
    "make it {n} {unit} after",
    "send it {n} {unit} after they're rejected",
    "wait {n} {unit}",
    "wait {n} {unit} instead",
    "actually, wait {n} {unit}",
    "change the delay to {n} {unit}",
    "delay it by {n} {unit}",
    "make it go out {n} {unit} after the rejection",
)
AT_ONCE = (
    "send it right away instead",
    "send it straight away",
    "no delay",
    "send it without waiting",
    "make it right away instead of 2 days after",
)
REFUSED = (
    ("make it -2 days after", "negative wait"),
    ("make it 2 days before", "not before"),
    ("wait 45 days", f"at most {MAX_DELAY_DAYS} days"),
    ("make it 5 weeks after", f"at most {MAX_DELAY_DAYS} days"),
    ("send it several days after", "too vague"),
)


def said(template: str, amount: int, unit: str) -> str:
    return template.format(n=amount, unit=unit + ("" if amount == 1 else "s"))


@settings(max_examples=examples(300), deadline=None)
@given(
    template=st.sampled_from(WAITS),
    unit=st.sampled_from(sorted(UNITS)),
    amount=st.integers(min_value=1, max_value=60 * 24 * 31),
)
def test_each_way_of_saying_a_wait_reads_its_value_or_refuses_past_the_limit(
    template: str, unit: str, amount: int
) -> None:
    minutes = amount * UNITS[unit]
    words = said(template, amount, unit)
    if minutes > MAX_DELAY_DAYS * 1440:
        with pytest.raises(InvalidInput, match=f"at most {MAX_DELAY_DAYS} days"):
            read_delay(words)
    else:
        assert read_delay(words) == minutes, words


def note_chat(engine: Engine) -> tuple[Chat, int]:
    chat = Chat(engine)
    draft = chat.say("2 days after a candidate is rejected, send them a kind note")
    assert draft.kind == "draft", draft.text
    done = chat.say("yes")
    assert done.kind == "done", done.text
    assert done.automation_id is not None
    return chat, done.automation_id


def stored_filter(chat: Chat, automation_id: int) -> dict[str, object]:
    return dict(get_automation(chat.engine, chat.org.org_id, automation_id).event_filter or {})


def test_a_wait_said_in_words_is_stored_and_read_back(engine: Engine) -> None:
    chat, automation_id = note_chat(engine)
    assert stored_filter(chat, automation_id) == {"relative_to": "event", "offset_minutes": 2880}
    pick = random.Random(8)
    cases = [
        (template, unit, amount)
        for template, unit in itertools.product(WAITS, ("hour", "day", "week"))
        for amount in [pick.randint(1, {"hour": 72, "day": 30, "week": 4}[unit])]
    ]
    for template, unit, amount in cases:
        reply = chat.say(said(template, amount, unit))
        minutes = amount * UNITS[unit]
        expected = {"relative_to": "event", "offset_minutes": minutes}
        assert reply.kind == "done", (template, reply.text)
        assert stored_filter(chat, automation_id) == expected
        assert event_words("candidate.rejected", expected) in reply.text
        auto = get_automation(chat.engine, chat.org.org_id, automation_id)
        assert auto.name == f"Candidate note: {event_words('candidate.rejected', expected)}"


def test_right_away_stores_no_wait_and_a_bad_wait_changes_nothing(engine: Engine) -> None:
    chat, automation_id = note_chat(engine)
    assert chat.say(f"rename #{automation_id} to Kind rejections").kind == "done"
    for words in AT_ONCE:
        chat.say("wait 3 days")
        reply = chat.say(words)
        assert reply.kind == "done", (words, reply.text)
        assert stored_filter(chat, automation_id) == {}
        assert "When a candidate is rejected" in reply.text
        # a name of the owner's own stays as it is
        assert get_automation(chat.engine, chat.org.org_id, automation_id).name == "Kind rejections"

    chat.say("wait 3 days")
    for words, why in REFUSED:
        reply = chat.say(words)
        assert reply.kind == "error", (words, reply.text)
        assert why in reply.text and "\n" not in reply.text
        assert stored_filter(chat, automation_id) == {
            "relative_to": "event",
            "offset_minutes": 3 * 1440,
        }


def test_a_wait_said_before_activating_changes_the_draft(engine: Engine) -> None:
    chat = Chat(engine)
    assert chat.say("when a candidate is rejected, send them a kind note").kind == "draft"
    reply = chat.say("make it 3 days after")
    assert reply.kind == "draft", reply.text
    assert "3 days after a candidate is rejected" in reply.text
    assert chat.draft()["event"]["filter"] == {"relative_to": "event", "offset_minutes": 4320}
    done = chat.say("yes")
    assert done.kind == "done" and done.automation_id is not None
    named = get_automation(chat.engine, chat.org.org_id, done.automation_id).name
    assert named == "Candidate note: 3 days after a candidate is rejected"
    assert stored_filter(chat, done.automation_id) == {
        "relative_to": "event",
        "offset_minutes": 4320,
    }
