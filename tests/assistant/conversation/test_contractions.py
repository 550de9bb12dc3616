"""Contractions typed without their apostrophe ("why didnt it run?", "whats scheduled?") read as
spelled, once, where a turn of the conversation comes in: each question form with a contraction
is generated with and without its apostrophe, and both are the same question to every rule.
Quoted words, addresses, channels and longer words that start alike are left as said."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from sqlalchemy.engine import Engine

from assistant.conversation.intents import classify
from assistant.language.contractions import with_apostrophes
from tests.assistant.conversation.member_chat import MemberChat

REFS = ("it", "#1", "my pipeline report")
# how it may be typed: as is, capitalised, in capitals
CASES: tuple[Callable[[str], str], ...] = (lambda s: s, str.capitalize, str.upper)
# question forms with a contraction, and what each asks
QUESTIONS = (
    *((f"why {c} {{ref}} run?", "why") for c in ("didn't", "doesn't", "hasn't", "won't")),
    *((f"why {c} {{ref}} running?", "why") for c in ("isn't", "wasn't")),
    ("what's {ref}?", "show"),
    ("what's in {ref}?", "show"),
    ("why didn't {ref} send anything?", "why"),
    ("what's scheduled?", None),
    ("what's coming up?", None),
    ("who's in the team?", None),
    ("who's on my team?", None),
    ("when's {ref} next?", None),
    ("i don't want {ref} any more", None),
    ("that's not right", None),
)


def _bare(said: str) -> str:
    return said.replace("'", "")


def test_every_question_form_reads_alike_without_its_apostrophes() -> None:
    for (form, kind), ref in itertools.product(QUESTIONS, REFS):
        said = form.format(ref=ref)
        for case in CASES:
            assert with_apostrophes(case(_bare(said))) == case(said), said
        assert classify(with_apostrophes(_bare(said))) == classify(said), said
        if kind is not None:
            assert classify(said).kind == kind, said


def test_words_that_only_look_like_a_contraction_are_left_as_said() -> None:
    for said in (
        'remind me to say "dont panic" every friday at 4pm',
        "post it in #dont-panic",
        "email cant@acme.test every monday",
        "send it on WhatsApp",
        "the wonts and cants of it",
        "dontcare",
        "it's fine, isn't it",
    ):
        assert with_apostrophes(said) == said, said


def test_a_why_without_its_apostrophe_is_answered_as_with_it(engine: Engine) -> None:
    chat = MemberChat(engine)
    chat.say("every weekday at 9am send me my pipeline")
    assert chat.say("yes").kind == "done"
    for said in ("why didn't it run?", "what's scheduled?", "what's coming up?"):
        typed = chat.say(_bare(said))
        spelled = chat.say(said)
        assert (typed.kind, typed.text) == (spelled.kind, spelled.text), said
        assert "I couldn't" not in typed.text and "can't answer" not in typed.text, typed.text
