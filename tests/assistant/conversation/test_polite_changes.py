"""A change asked for politely ("can we do it at 8:30 instead", "could we move it to
Fridays") is the change itself: read as the same intent as the words without the lead-in,
never as a new request."""

from __future__ import annotations

import itertools

import pytest

from assistant.conversation.intents import classify

LEADS = ["can we", "could we", "shall we", "please, can we", "ok so could we"]
CHANGES = [
    "do it at 8:30 instead",
    "move it to 8:30",
    "make it fridays only",
    "send it to #hiring instead",
    "have it go out at 7am",
    "push it back an hour",
    "switch it to slack",
    "change it to every other week",
]


@pytest.mark.parametrize(("lead", "change"), list(itertools.product(LEADS, CHANGES)))
def test_a_polite_change_is_the_change(lead: str, change: str) -> None:
    plain = classify(change)
    polite = classify(f"{lead} {change}?")
    assert plain.kind in ("edit", "recipients"), (change, plain)
    assert (polite.kind, polite.ref) == (plain.kind, plain.ref), (lead, change, polite)
