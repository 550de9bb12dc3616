"""A skill's filter params are set by the same words in a new request and in a change,
generated: for each filter a new-candidate alert declares words for (location, keywords, high
priority only), values by the phrasings that set it when asking anew and when changing the alert
just made (or a draft still waiting). The value each phrase carries is known from the
generator; the params the alert ends with must be it, and the words that lift a filter lift
it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from tests.assistant.conversation.member_chat import Chat

ASKED = "when someone applies, email me {}"
PLACES = ("Berlin", "London", "New York", "Remote")
KEYWORDS = (("python", "go"), ("rust",), ("react", "node", "sql"))
# (param, value, the words carrying it): phrases for a new request, then for a change
NEW: list[tuple[str, Any, str]] = [
    *(
        ("location", place, form.format(place))
        for place, form in itertools.product(
            PLACES, ("only in {}", "only if they're in {}", "for {} candidates only")
        )
    ),
    *(
        ("keywords", list(words), form.format(joined))
        for words, form in itertools.product(KEYWORDS, ("with {} in their CV", "mentioning {}"))
        for joined in (" or ".join(words),)
    ),
    ("high_priority_only", True, "only high-priority ones"),
    ("high_priority_only", True, "for high priority applicants only"),
]
# each value differs from the one before it, so every phrasing changes something
CHANGES: list[tuple[str, Any, str]] = [
    *(
        ("location", place, form.format(place))
        for form, place in itertools.product(
            (
                "actually only if they're in {}",
                "change it to only {} candidates",
                "only {} candidates",
                "just those based in {}",
            ),
            PLACES,
        )
    ),
    *(
        ("keywords", list(words), form.format(", ".join(words)))
        for form, words in itertools.product(
            ("only those with {} in their CV", "actually only ones mentioning {}"), KEYWORDS
        )
    ),
    ("high_priority_only", True, "actually only high-priority ones"),
    ("high_priority_only", True, "just the high priority applicants"),
]
# the words that lift each filter, and the value it is then
LIFTED = {
    "location": (("any location", ""), ("drop the {} filter", "")),
    "keywords": (("any keywords", []),),
    "high_priority_only": (("any priority", False),),
}


@pytest.fixture
def chat(sqlite_engine: Engine) -> Chat:
    org = make_org(sqlite_engine, NOW, slug="acme")
    return Chat(sqlite_engine, org.member_id, key="filters")


def test_a_new_request_sets_the_filter_its_words_say(chat: Chat) -> None:
    for param, value, said in NEW:
        reply = chat.say(ASKED.format(said))
        assert reply.kind == "draft", (said, reply.text)
        params = chat.draft(reply)["params"]
        assert params.get(param) == value, (said, params)
        chat.say("cancel")


def test_a_change_sets_the_filter_as_a_new_request_does(chat: Chat) -> None:
    assert chat.say(ASKED.format("")).kind == "draft"
    made = chat.say("yes").automation_id
    assert made is not None
    lifted_once: set[str] = set()
    for param, value, said in CHANGES:
        before = chat.tools.get_automation(chat.actor, made).params.get(param)
        reply = chat.say(said)
        assert before != value and reply.kind == "done", (said, reply.text)
        assert len(reply.text.splitlines()) == 1, reply.text
        params = chat.tools.get_automation(chat.actor, made).params
        assert params[param] == value, (said, params)
        if param in lifted_once:
            continue
        lifted_once.add(param)  # lifting each filter once is enough
        for lift, lifted in LIFTED[param]:
            chat.say(said)
            lifting = lift.format(value)
            reply = chat.say(lifting)
            assert reply.kind == "done", (lifting, reply.text)
            params = chat.tools.get_automation(chat.actor, made).params
            assert params[param] == lifted, (lifting, params)
    numbered = chat.say(f"change #{made} to only Berlin candidates")
    assert chat.tools.get_automation(chat.actor, made).params["location"] == "Berlin"
    assert "Berlin" in numbered.text


def test_a_waiting_draft_takes_the_filter_too(chat: Chat) -> None:
    for param, value, said in CHANGES[::5]:
        assert chat.say(ASKED.format("")).kind == "draft"
        reply = chat.say(said)
        assert reply.kind == "draft", (said, reply.text)
        assert chat.draft(reply)["params"].get(param) == value, said
        chat.say("cancel")


def test_a_change_to_what_it_already_does_says_so(chat: Chat) -> None:
    assert chat.say(ASKED.format("only in Berlin")).kind == "draft"
    made = chat.say("yes").automation_id
    for said in ("email me", "only in Berlin", "actually only if they're in Berlin"):
        reply = chat.say(said)
        assert reply.text == "It does that already; nothing changed.", (said, reply.text)
    assert chat.tools.get_automation(chat.actor, made or 0).params["location"] == "Berlin"


def test_a_filter_its_skill_lacks_is_refused_in_one_line(chat: Chat) -> None:
    assert chat.say("every Monday at 9am send me the pipeline report").kind == "draft"
    made = chat.say("yes").automation_id
    before = chat.tools.get_automation(chat.actor, made or 0).params
    for said in ("actually only if they're in Berlin", "only high-priority ones"):
        reply = chat.say(said)
        assert reply.kind == "error" and reply.text.startswith("It has no filter for that"), said
        assert len(reply.text.splitlines()) == 1
    assert chat.tools.get_automation(chat.actor, made or 0).params == before
