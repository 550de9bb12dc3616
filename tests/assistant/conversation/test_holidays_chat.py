"""The holiday calendar in the chat: an admin adds a day (with its name), lists the days and
removes one, each answered in one line; a day already there, or not there, is said and changes
nothing; a member may read the calendar but not change it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.calendars import list_holidays
from models.store.orgs import get_user

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def test_an_admin_keeps_the_holidays_and_a_member_reads_them(engine: Engine) -> None:
    org = make_org(engine, NOW)
    chat = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    admin = Actor.of(get_user(engine, org.admin_id))
    member = Actor.of(get_user(engine, org.member_id))

    def say(who: Actor, message: str) -> str:
        reply = chat.handle(Turn(who, f"c{who.user_id}", tz="Europe/London"), message).text
        assert "\n" not in reply, reply
        return reply

    def days() -> dict[date, str]:
        return {h.day: h.name for h in list_holidays(engine, org.org_id)}

    before = days()
    assert say(admin, "add December 31 as a holiday").startswith("Added Thu 31 Dec 2026")
    added = say(admin, "add the 24th of December as a holiday called Christmas Eve")
    assert added.startswith("Added Thu 24 Dec 2026 (Christmas Eve) to the holidays"), added
    assert days() == {**before, date(2026, 12, 31): "", date(2026, 12, 24): "Christmas Eve"}
    assert "already a holiday" in say(admin, "Dec 31 is a holiday")
    listed = say(member, "what are our holidays?")
    assert "Thu 24 Dec 2026 (Christmas Eve)" in listed and "Thu 31 Dec 2026" in listed, listed
    assert "admin" in say(member, "remove December 31 from the holidays")
    assert say(admin, "remove December 31 from the holidays").startswith("Removed Thu 31 Dec")
    assert "nothing changed" in say(admin, "remove December 31 from the holidays")
    assert days() == {**before, date(2026, 12, 24): "Christmas Eve"}
