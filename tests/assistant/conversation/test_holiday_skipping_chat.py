"""Skipping holidays in the chat, end to end: an admin adds Christmas to the calendar; a
recruiter asks for a weekday report "except bank holidays" and the read-back names the
holidays it skips and leaves them out of its next runs; the worker records the Christmas run
as skipped for a holiday and runs the days around it; "why" names the next run past the
holiday, then says why that one was skipped; "run it on holidays too"
and "skip holidays for #N" turn it off and on, each said in one reply; a one-off is asked
about instead, and a request without the words notes the holidays it would run on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from bench.kit.factories import make_org
from models.settings import load_settings
from models.store import calendars
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import Chat
from tests.worker.tick.tick_support import new_worker, runs_of

NOW = datetime(2026, 12, 23, 15, 0, tzinfo=UTC)  # a Wednesday afternoon
ZONE = "Europe/London"


def test_a_weekday_report_except_bank_holidays(engine: Engine) -> None:
    org = make_org(engine, NOW)
    admin = Chat(engine, org.admin_id, key="a", tz=ZONE, now=NOW)
    said = admin.say("add December 25 as a holiday called Christmas Day").text
    assert said.startswith("Added Fri 25 Dec 2026 (Christmas Day)"), said
    calendars.add_holiday(engine, org.org_id, date(2027, 1, 1), "New Year's Day")
    calendars.add_holiday(engine, org.org_id, date(2026, 12, 27), "A Sunday off")

    me = Chat(engine, org.member_id, tz=ZONE, now=NOW)
    draft = me.say("every weekday at 9am send me a summary of my pipeline except bank holidays")
    text = draft.text
    assert "I can't yet do" not in text, text
    assert (
        "- Holidays: skips your organisation's 2 holidays on its runs in the next 90 days: "
        "Fri 25 Dec, Fri 1 Jan"
    ) in text, text  # Sunday the 27th is no run day of a weekday report
    assert "Next runs: Thu 24 Dec 2026 09:00 GMT; Mon 28 Dec 2026 09:00 GMT;" in text, text
    assert me.draft(draft)["skip_holidays"] is True

    done = me.say("yes")
    auto = get_automation(engine, org.org_id, done.automation_id or 0)
    assert auto.skip_holidays and auto.cron_expression == "0 9 * * 1-5"
    assert "Mon 28 Dec" in me.say("when does it run next?").text

    worker = new_worker(engine, load_settings(smtp_host=None))
    worker.tick(now=datetime(2026, 12, 24, 9, 0, 5, tzinfo=UTC))
    eve = Chat(engine, org.member_id, tz=ZONE, now=datetime(2026, 12, 24, 12, tzinfo=UTC))
    said = eve.say(f"why didn't #{auto.id} run?").text
    assert "the next run is Mon 28 Dec 2026 09:00 GMT" in said, said  # past Christmas
    worker.tick(now=datetime(2026, 12, 25, 9, 0, 5, tzinfo=UTC))
    after = Chat(engine, org.member_id, tz=ZONE, now=datetime(2026, 12, 25, 12, tzinfo=UTC))
    why = after.say(f"why didn't #{auto.id} run today?").text
    assert "skipped: it fell on one of your organisation's holidays" in why, why
    worker.tick(now=datetime(2026, 12, 28, 9, 0, 5, tzinfo=UTC))
    runs = {r.scheduled_for.day: (r.status, r.skipped_reason) for r in runs_of(engine, auto)}
    assert runs[25] == ("skipped", "holiday") and runs[24][0] == runs[28][0] == "completed"
    assert get_automation(engine, org.org_id, auto.id or 0).enabled

    back = me.say(f"run #{auto.id} on holidays too").text
    assert "It runs on your organisation's holidays too." in back and "\n" not in back, back
    assert not get_automation(engine, org.org_id, auto.id or 0).skip_holidays
    again = me.say(f"skip bank holidays for #{auto.id}").text
    assert "It skips your organisation's holidays: 2 in the next 90 days" in again, again
    assert get_automation(engine, org.org_id, auto.id or 0).skip_holidays

    once = me.say("tomorrow at 9am send me a summary of my pipeline except holidays").text
    assert once.startswith("Only a repeating schedule can skip holidays"), once
    me.say("cancel")
    plain = me.say("every weekday at 8am send me a summary of my pipeline").text
    assert "it runs on your organisation's holidays too (Fri 25 Dec, Fri 1 Jan" in plain, plain
