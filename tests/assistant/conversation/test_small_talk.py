"""Pleasantries: read from generated phrasings (a kind's phrase by lead by ending by case, the kind
being the ground truth of how each was built), never read as requests; and through the real
engine on both stores, every kind of waiting answer survives every form of small talk."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.small_talk import small_talk
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation
from tests.assistant.conversation.member_chat import MemberChat

PHRASES = {
    "greeting": ["hello", "hi", "hi there", "hey", "good morning", "hiya", "how are you"],
    "thanks": ["thanks", "thank you", "thanks a lot", "thank you so much", "cheers", "ty"],
    "ack": ["great", "cool", "perfect", "awesome", "nice one", "got it", "sounds great"],
    "bye": ["bye", "goodbye", "see you later", "that's all", "have a good day", "good night"],
}
LEADS = ["", "oh ", "ok ", "ok, ", "great, "]
ENDINGS = ["", "!", ".", "!!", " :)", " 🙂", " skilltick"]
CASES: list[Callable[[str], str]] = [str.lower, str.capitalize, str.upper]
# a lead word that is itself a pleasantry decides the kind when it ranks first
_RANK = ["greeting", "bye", "thanks", "ack"]


def _expected(kind: str, lead: str) -> str:
    said = {kind} | ({"ack"} if lead.startswith("great") else set())
    return next(k for k in _RANK if k in said)


@pytest.mark.parametrize("kind", sorted(PHRASES))
def test_pleasantries_are_read_as_their_kind(kind: str) -> None:
    for phrase, lead, ending, case in itertools.product(PHRASES[kind], LEADS, ENDINGS, CASES):
        said = case(f"{lead}{phrase}{ending}")
        assert small_talk(said) == _expected(kind, lead), said


@pytest.mark.parametrize(
    "said",
    [
        "ok",
        "yes",
        "ok then",
        "hi, pause it",
        "thanks, send me a pipeline report every monday at 9",
        "great, move it to 8am",
        "hello, list my automations",
        "thanks for nothing, delete #3",
        "later",
        "evening",
        "morning",
        "send thanks to the candidates",
        "good candidates report every friday",
    ],
)
def test_anything_more_than_a_pleasantry_is_not_small_talk(said: str) -> None:
    assert small_talk(said) is None


def _question(chat: MemberChat) -> None:
    assert chat.say("send a report").kind == "question"


def _draft(chat: MemberChat) -> None:
    assert chat.say("every monday at 9am send me a summary of my pipeline").kind == "draft"


def _delete(chat: MemberChat) -> None:
    auto = make_automation(chat.engine, chat.org, NOW, name="Morning digest")
    assert chat.say(f"delete #{auto.id}").kind == "confirm"


def _bulk(chat: MemberChat) -> None:
    make_automation(chat.engine, chat.org, NOW, name="Morning digest")
    assert chat.say("pause all my automations").kind == "confirm"


def _group(chat: MemberChat) -> None:
    make_automation(chat.engine, chat.org, NOW, name="Morning digest")
    make_automation(chat.engine, chat.org, NOW, name="Evening digest")
    assert chat.say("list").kind == "list"
    assert chat.say("pause them").kind == "confirm"


def _choose(chat: MemberChat) -> None:
    make_automation(chat.engine, chat.org, NOW, name="Morning digest")
    make_automation(chat.engine, chat.org, NOW, name="Evening digest")
    assert chat.say("pause the digest").kind == "choose"


def _asked(chat: MemberChat) -> None:
    auto = make_automation(chat.engine, chat.org, NOW, name="Morning digest")
    assert chat.say(f"move #{auto.id} 30 minutes").kind == "error"
    assert chat.state().get("asked"), "the change asks earlier or later"


WAITING: dict[str, Callable[[MemberChat], None]] = {
    "question": _question,
    "draft": _draft,
    "delete": _delete,
    "bulk": _bulk,
    "group": _group,
    "choose": _choose,
    "asked": _asked,
}
SAID = [f"{lead}{phrase}{ending}" for phrase, lead, ending in zip(
    [p for kind in sorted(PHRASES) for p in PHRASES[kind][:3]],
    itertools.cycle(LEADS),
    itertools.cycle(ENDINGS),
    strict=False,
)]  # fmt: skip


def _kept(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k != "turns"}


@pytest.mark.parametrize("waiting", sorted(WAITING))
def test_small_talk_leaves_what_waits_as_it_was(engine: Engine, waiting: str) -> None:
    chat = MemberChat(engine)
    WAITING[waiting](chat)
    before = _kept(chat.state())
    for said in SAID:
        reply = chat.say(said)
        assert reply.kind == "info", (said, reply.text)
        assert "couldn't tell" not in reply.text and "replaces" not in reply.text
        assert _kept(chat.state()) == before, said
        # what still waits is said again, after the friendly line
        last = reply.text.split("\n")[-1]
        assert last.startswith("(") and "wait" in last.lower(), (said, reply.text)


def test_small_talk_with_nothing_waiting_never_becomes_a_request(engine: Engine) -> None:
    chat = MemberChat(engine)
    hello = chat.say("Hi there!")
    assert hello.kind == "info" and "Try “Every Monday" in hello.text
    for said in SAID:
        assert chat.say(said).kind == "info"
        assert chat.state().get("pending") is None, said
    # the next request is the request alone: nothing earlier is replaced
    reply = chat.say("every monday at 9am send me a summary of my pipeline")
    assert reply.kind == "draft" and "replaces" not in reply.text


def test_thanks_after_an_activation_names_the_automation(engine: Engine) -> None:
    chat = MemberChat(engine)
    _draft(chat)
    made = chat.say("yes")
    assert made.kind == "done" and made.automation_id is not None
    thanks = chat.say("thanks!")
    assert thanks.kind == "info" and f"#{made.automation_id}" in thanks.text
    assert "is active" in thanks.text and "Next run" in thanks.text
    # only right after it: later thanks is plain
    assert f"#{made.automation_id}" not in chat.say("thank you").text
