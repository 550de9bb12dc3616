"""A teammate a draft goes to reads back by name and address ("Sam Sourcer
(sam.sourcer@acme.test)"), whether the request named them or a change to the draft did ("email
it to sam too", by first name in any case or by address), and keeps reading so through later
changes ("make it 8am") and "undo". Teammates are generated; their names and addresses are the
generator's."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from models.settings import load_settings
from models.store.orgs import create_user
from tests.assistant.conversation.member_chat import MemberChat

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
FIRST = ("Sam", "Priya", "Jonas", "Lena", "Tomasz", "Aiko", "Rafael", "Noor")
LAST = ("Sourcer", "Patel", "Berg", "Park", "Nowak", "Sato", "Lima", "Haddad")


def test_a_teammate_added_on_a_draft_reads_back_by_name(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine, "Europe/London", now=NOW, settings=load_settings())
    pick = random.Random(11)
    people = [(first, pick.choice(LAST)) for first in pick.sample(FIRST, 5)]
    for first, last in people:
        email = f"{first.lower()}.{last.lower()}@acme.test"
        create_user(
            sqlite_engine, org_id=chat.org.org_id, email=email, name=f"{first} {last}", now=NOW
        )
    for n, (first, last) in enumerate(people):
        chat.key = f"c{n}"
        email = f"{first.lower()}.{last.lower()}@acme.test"
        shown = f"{first} {last} ({email})"
        assert chat.say("every monday at 9 send me my pipeline summary").kind == "draft"
        said = pick.choice((first.lower(), first, first.upper(), email))
        added = chat.say(f"email it to {said} too")
        assert added.kind == "draft", added.text
        assert f"- Output: email to you and {shown}" in added.text, added.text
        moved = chat.say("make it 8am")
        assert f"- Output: email to you and {shown}" in moved.text, moved.text
        assert chat.say("undo").kind == "draft"
        assert f"{shown}" in chat.say("show it").text
