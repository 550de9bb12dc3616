"""After a listing, a position ("the second one", "the 2nd", "number 2", "the top one", "the
last one") means that row of the listing as it was shown, for any verb; past its end the
reply says how many there were; with no listing in the conversation it says so in one line.
Listings of generated sizes, each row's id read from the listing's own text."""

from __future__ import annotations

import random
import re

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import MemberChat

_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def said_forms(row: int, rows: int) -> list[str]:
    """Ways to say the row numbered `row` (from 1) of a listing of `rows` rows."""
    forms = [
        f"the {_WORDS[row - 1]} one",
        _WORDS[row - 1],
        f"the {row}{_SUFFIXES.get(row, 'th')}",
        f"number {row}",
    ]
    if row == 1:
        forms.append("the top one")
    if row == rows:
        forms += ["the last one", "the bottom one"]
    return forms


def test_positions_after_a_listing_are_its_rows(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    rng = random.Random(2)
    made = 0
    assert chat.say("show the second one").text.startswith("There's no list in this conversation")
    for rows in (3, 7, 10):
        while made < rows:  # names in no particular order: the listing decides the order
            make_automation(
                sqlite_engine, chat.org, chat.tools.clock(), name=f"Job {rng.randint(100, 999)}"
            )
            made += 1
        chat.key = f"listing-{rows}"
        listing = chat.say("list my automations")
        shown = [int(n) for n in re.findall(r"^\d+\. #(\d+) ", listing.text, re.M)]
        assert len(shown) == rows, listing.text
        for row in range(1, rows + 1):
            for form in said_forms(row, rows):
                message = rng.choice((f"show {form}", form))  # alone, it shows the row too
                reply = chat.say(message)
                assert reply.automation_id == shown[row - 1], (message, reply.text)
        beyond = chat.say(f"show the {_WORDS[rows]} one" if rows < 10 else "show number 11")
        assert beyond.kind == "error" and beyond.text == f"The last list had only {rows}."
    paused = chat.say("pause the third one")
    assert paused.kind == "done" and paused.automation_id == shown[2], paused.text
    assert not get_automation(sqlite_engine, chat.org.org_id, shown[2]).enabled
