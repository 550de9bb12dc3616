""" "Why" questions name the automation whatever the verb and negation around it: "why did #1 not
run?" asks about #1, never about an automation called "#1 not"."""

from __future__ import annotations

import itertools

from assistant.conversation.intents import classify

OPENINGS = ("why did {ref}", "why didn't {ref}", "why has {ref}", "why is {ref}", "why was {ref}")
NEGATIONS = ("", " not", " never", " still")
VERBS = ("run", "fire", "send", "work", "go off", "stopped", "paused", "skipped", "fail")
REFS = ("#1", "it", "the weekly pipeline report")


def test_the_reference_is_what_stands_between_the_question_word_and_the_verb() -> None:
    for opening, negation, verb, ref in itertools.product(OPENINGS, NEGATIONS, VERBS, REFS):
        said = opening.format(ref=ref) + negation + " " + verb + " last monday?"
        intent = classify(said)
        assert (intent.kind, intent.ref) == ("why", ref), said
