"""“Did it run last Monday?” is answered yes or no, by the runs of that day of the speaker's
calendar, generated: weekdays by the ways of naming one ("last Monday", "on Monday",
"Monday", "this past Monday") by ran/failed, against runs written at fixed instants; the
expected day and answer are counted here from the calendar, not by the code under test.
"Monday" said on a Monday is today; "last Monday" is the one before."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.factories import make_automation, make_org
from models.tables.runs import AutomationRun
from tests.assistant.conversation.member_chat import Chat

ZONE = "America/New_York"
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)  # Wednesday 11 March, 11:00 in New York
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SAID = ("last {}", "on {}", "{}", "this past {}", "on last {}")


def _day_meant(said: str, day: str, today: date) -> date:
    """The date the words name: the latest such day, today's included unless "last"/"past"."""
    back = (today.weekday() - DAYS.index(day)) % 7
    if back == 0 and ("last" in said or "past" in said):
        back = 7
    return today - timedelta(days=back)


def test_did_it_run_on_a_day_is_yes_or_no(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    auto = make_automation(sqlite_engine, org, NOW, name="Digest", tz=ZONE).id or 0
    zone = ZoneInfo(ZONE)
    today = NOW.astimezone(zone).date()
    # a completed run late on Monday 2 and Tuesday 10, a failed one on Friday 6
    written = {
        date(2026, 3, 2): "completed",
        date(2026, 3, 6): "failed",
        date(2026, 3, 10): "completed",
    }
    with Session(sqlite_engine) as s:
        for on, status in written.items():
            at = datetime.combine(on, time(23, 30), zone)  # late: the next day in UTC
            s.add(
                AutomationRun(
                    org_id=org.org_id,
                    automation_id=auto,
                    triggered_by="schedule",
                    scheduled_for=at,
                    not_before=at,
                    status=status,
                    created_at=at,
                )
            )
        s.commit()
    chat = Chat(sqlite_engine, org.member_id, key="day", tz=ZONE, now=NOW)
    chat.say(f"show #{auto}")
    for (said, day), failed in itertools.product(itertools.product(SAID, DAYS), (False, True)):
        meant = _day_meant(said, day, today)
        found = written.get(meant)
        yes = found == "failed" if failed else found is not None
        asked = f"did it {'fail' if failed else 'run'} {said.format(day)}?"
        reply = chat.say(asked)
        assert reply.kind != "error", (asked, reply.text)
        assert reply.text.startswith("Yes:" if yes else "No:"), (asked, meant, reply.text)
        assert f"on {meant:%a %d %b}" in reply.text, (asked, meant, reply.text)
