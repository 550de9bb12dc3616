"""A draft's read-back after a change says what the first one said about the organisation's
holidays: the holidays it would run on (a note), or that it skips them, and a draft asked to
skip them still skips them once changed and activated (on both stores)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from bench.kit.factories import make_org
from models.store import calendars
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import Chat

NOW = datetime(2026, 12, 23, 15, 0, tzinfo=UTC)  # a Wednesday afternoon
RUNS_ON = "it runs on your organisation's holidays too (Fri 25 Dec, Fri 1 Jan"
SKIPS = "- Holidays: skips your organisation's 2 holidays on its runs in the next 90 days"
CHANGES = ("make it 8am", "an hour later", "call it Morning pipeline")


def test_the_holidays_read_back_survives_each_change(engine: Engine) -> None:
    org = make_org(engine, NOW)
    calendars.add_holiday(engine, org.org_id, date(2026, 12, 25), "Christmas Day")
    calendars.add_holiday(engine, org.org_id, date(2027, 1, 1), "New Year's Day")
    me = Chat(engine, org.member_id, now=NOW)

    first = me.say("every weekday at 9am send me a summary of my pipeline").text
    assert RUNS_ON in first, first
    for change in CHANGES:
        changed = me.say(change)
        assert changed.kind == "draft", (change, changed.text)
        assert RUNS_ON in changed.text, (change, changed.text)
    me.say("cancel")

    skipping = me.say("every weekday at 9am send me a summary of my pipeline except holidays")
    assert SKIPS in skipping.text, skipping.text
    for change in CHANGES:
        changed = me.say(change)
        assert SKIPS in changed.text and RUNS_ON not in changed.text, (change, changed.text)
        assert me.draft(changed)["skip_holidays"] is True, change
        # its next runs leave the holidays out, as the first read-back's did
        assert "Fri 25 Dec" not in changed.text.split("Next runs:")[1].split("\n")[0]
    done = me.say("yes")
    assert get_automation(engine, org.org_id, done.automation_id or 0).skip_holidays
