"""A question about something skilltick does not hold ("what's the weather?") is answered as
such, never looked for among automations; words that could name an automation still are."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.language.automation_refs import automation_vocabulary, could_refer
from assistant.tools.views import AutomationSpec
from skills.builtin import default_registry
from tests.assistant.conversation.member_chat import MemberChat
from tests.examples import examples

# things a person may ask an assistant about that no automation is
NOT_AUTOMATIONS = (
    "weather", "capital of France", "stock price", "football score", "lunch menu",
    "meaning of life", "exchange rate", "traffic", "population of Spain", "recipe for pancakes",
    "square root of two", "news", "horoscope", "tallest mountain", "best pizza place",
    "wifi password", "parking situation", "office address", "price of bitcoin", "film tonight",
    "speed of light", "latest gossip", "holiday party theme", "coffee machine", "printer",
)  # fmt: skip
FRAMES = ("what's {}?", "what is {}?", "tell me about {}", "show me {}", "what's {} like?")
DETERMINERS = ("the ", "", "today's ", "our ")

specs = default_registry().specs()
NAMES = ("Weekly pipeline report", "New candidate alert, weekdays 8:00", "Friday wrap")
VOCABULARY = automation_vocabulary(specs, NAMES)


@settings(max_examples=examples(200), deadline=None)
@given(noun=st.sampled_from(NOT_AUTOMATIONS), det=st.sampled_from(DETERMINERS))
def test_a_thing_no_automation_is_cannot_be_referred_to(noun: str, det: str) -> None:
    assert not could_refer(f"{det}{noun}", VOCABULARY)


def test_words_automations_go_by_can() -> None:
    said = [
        "it", "that one", "#5", "automation 12", "the second one", "sam's", "my pipeline report",
        "the monday one", "the daily one", "friday wrap", "the interview briefing",
        "the sourcing recap", "the alert", "the new candidate alert", "",
    ]  # fmt: skip
    for words in said:
        assert could_refer(words, VOCABULARY), words
    for skill in specs:  # every skill by its own name
        assert could_refer(f"the {skill.replace('-', ' ')}", VOCABULARY), skill


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(noun=st.sampled_from(NOT_AUTOMATIONS), frame=st.sampled_from(FRAMES[:3]))
def test_the_conversation_says_it_cannot_answer_and_still_finds_automations(
    sqlite_engine: Engine, noun: str, frame: str
) -> None:
    chat = _chat(sqlite_engine)
    reply = chat.say(frame.format(f"the {noun}"))
    assert reply.text.startswith("I can't answer that yet"), reply.text
    assert "couldn't find an automation" not in reply.text
    shown = chat.say("what's the friday wrap?")
    assert "Friday wrap" in shown.text, shown.text


_CHATS: dict[int, MemberChat] = {}


def _chat(engine: Engine) -> MemberChat:
    """One organisation per database, with one automation named by a person."""
    if id(engine) not in _CHATS:
        chat = MemberChat(engine)
        chat.tools.create_automation(
            chat.actor,
            AutomationSpec(
                name="Friday wrap", skill="noop", cron="0 16 * * 5", output_channel="noop"
            ),
        )
        _CHATS[id(engine)] = chat
    return _CHATS[id(engine)]
