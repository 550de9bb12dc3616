"""Skipping the organisation's holidays through the tool set, on both stores: for schedules,
zones and holiday sets drawn at random (a holiday on a day without a run among them, windows
across daylight-saving changes), an automation that skips holidays previews exactly the next
runs croniter's wall times give off those dates in its zone, names the runs of the next 90 days
it skips, and starts from the first run off a holiday; turned off, every run is back. A
one-off, an event or a poll trigger is refused in one line, at creation and as a change, and
nothing changes; the change is in the audit log."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from sqlalchemy.engine import Engine

from assistant.tools.holiday_words import holidays_sentence
from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.errors import InvalidInput
from models.settings import load_settings
from models.store import calendars
from models.store.automations import get_automation
from models.store.orgs import get_user

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "UTC")
NOWS = (
    datetime(2027, 3, 12, 12, tzinfo=UTC),  # before the US change
    datetime(2027, 3, 26, 12, tzinfo=UTC),  # before the EU change
    datetime(2026, 12, 20, 12, tzinfo=UTC),  # before Christmas
)


def walls(cron: str, zone: str, start: datetime, end: datetime) -> list[datetime]:
    """Fire times in (start, end]: croniter's wall times mapped through zoneinfo (a time in a
    gap with the offset before it, one in a fold at its first occurrence)."""
    tz = ZoneInfo(zone)
    it = croniter(cron, start.astimezone(tz).replace(tzinfo=None) - timedelta(hours=3))
    limit = end.astimezone(tz).replace(tzinfo=None) + timedelta(hours=3)
    found: set[datetime] = set()
    while (wall := it.get_next(datetime)) < limit:
        instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if start < instant <= end:
            found.add(instant)
    return sorted(found)


def _tools(engine: Engine, now: datetime) -> tuple[Toolset, Actor, int]:
    org = make_org(engine, now)
    tools = Toolset(engine, load_settings(smtp_host=None), clock=lambda: now)
    return tools, Actor.of(get_user(engine, org.member_id)), org.org_id


def test_previews_leave_out_exactly_the_runs_on_holidays(engine: Engine) -> None:
    rng = random.Random(7)
    now = rng.choice(NOWS)
    tools, me, org_id = _tools(engine, now)
    first = now.date()
    days = set(rng.sample([first + timedelta(days=n) for n in range(20)], 6))
    days |= {first + timedelta(days=2), first + timedelta(days=16)}  # the change's day and later
    for day in days:
        calendars.add_holiday(engine, org_id, day, "Day off")
    for n in range(8):
        minute, hour = rng.choice((0, 30)), rng.choice((1, 2, 9, 23))
        cron = f"{minute} {hour} * * {rng.choice(('*', '1-5', '0,6', '3'))}"
        zone = rng.choice(ZONES)
        view = tools.create_automation(
            me,
            AutomationSpec(
                name=f"Report {n}", skill="noop", cron=cron, timezone=zone, skip_holidays=True
            ),
        )
        every = walls(cron, zone, now, now + timedelta(days=120))
        kept = [t for t in every if t.astimezone(ZoneInfo(zone)).date() not in days]
        assert view.skip_holidays and view.next_runs == kept[:3], (cron, zone)
        assert view.next_kept_run_at == kept[0]
        ahead = [t for t in every if t <= now + timedelta(days=90)]
        skipped = [t for t in ahead if t not in kept]
        assert view.holiday_runs == skipped, (cron, zone)
        said = holidays_sentence(view) or ""
        if skipped:
            local = sorted({t.astimezone(ZoneInfo(zone)).date() for t in skipped})
            assert f"{len(local)} in the next 90 days" in said and f"{local[0]:%a}" in said
        else:
            assert "none of them falls on its runs" in said, said

        back = tools.update_automation(me, view.id, {"skip_holidays": False})
        assert (
            not back.skip_holidays and back.holiday_runs == [] and holidays_sentence(back) is None
        )
        assert back.next_runs == every[:3] and back.next_kept_run_at == every[0]
        assert back.next_run_at == view.next_run_at  # the schedule itself stays


def test_only_a_repeating_schedule_skips_holidays_and_changes_are_audited(
    sqlite_engine: Engine,
) -> None:
    now = NOWS[2]
    tools, me, org_id = _tools(sqlite_engine, now)
    refusal = "Only an automation on a repeating schedule can skip holidays"
    for spec in (
        AutomationSpec(name="Once", skill="noop", once=now + timedelta(days=3), skip_holidays=True),
        AutomationSpec(
            name="Event",
            skill="noop",
            trigger_type="event",
            event_type="candidate.stage_changed",
            skip_holidays=True,
        ),
    ):
        with pytest.raises(InvalidInput, match=refusal) as refused:
            tools.create_automation(me, spec)
        assert "\n" not in str(refused.value)
    assert tools.list_automations(me) == []

    view = tools.create_automation(me, AutomationSpec(name="Daily", skill="noop", cron="0 9 * * *"))
    assert not view.skip_holidays  # off unless asked for
    on = tools.update_automation(me, view.id, {"skip_holidays": True})
    assert on.skip_holidays and get_automation(sqlite_engine, org_id, view.id).skip_holidays
    with pytest.raises(InvalidInput, match=refusal):
        tools.update_automation(me, view.id, {"once": now + timedelta(days=2)})
    stored = get_automation(sqlite_engine, org_id, view.id)
    assert stored.cron_expression == "0 9 * * *" and stored.skip_holidays
    (entry, *_) = tools.list_audit(me, automation_id=view.id).items
    assert entry.changes["skip_holidays"] == {"old": False, "new": True}
    assert "skips holidays no → yes" in entry.summary, entry.summary
    empty = tools.understand(me, "every day at 9 except holidays send me my pipeline report")
    assert empty.skip_holidays and "no holidays in its calendar yet" in empty.summary
    calendars.add_holiday(sqlite_engine, org_id, date(2026, 12, 25), "Christmas Day")
    seen = tools.get_automation(me, view.id)
    assert [t.date() for t in seen.holiday_runs] == [date(2026, 12, 25)]
    assert "(Fri 25 Dec)" in (holidays_sentence(seen) or "")
