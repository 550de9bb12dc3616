"""Automations that skip the organisation's holidays, on both stores: for schedules, zones,
windows (across daylight-saving changes and the year's end) and holiday sets drawn at random,
the tick run through every occurrence records exactly those on a holiday (a date in the
automation's zone) as skipped for it, runs every other one and keeps its schedule; a holiday
added or removed midway counts from the next occurrence on; an automation without the option
runs on holidays; and each tick reads an organisation's calendar at most once, and only for
automations that skip holidays. The expected occurrences are croniter's wall times mapped
through zoneinfo, not the schedule maths under test."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store import calendars
from models.store.automations import get_automation
from tests.worker.tick.tick_support import new_worker, runs_of
from worker.tick import tick as tick_module

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Tokyo", "UTC")
#: the first local day of each window: a week around a daylight-saving change, or the year's end
STARTS = (date(2027, 3, 10), date(2027, 3, 25), date(2027, 4, 1), date(2026, 12, 22))
DAYS = 9


def _cron(rng: random.Random) -> str:
    hours = ",".join(str(h) for h in sorted(rng.sample((1, 2, 3, 9, 17, 23), rng.randint(1, 2))))
    days = rng.choice(("*", "1-5", "1,3,5", "0,6", "2"))
    return f"{rng.choice((0, 15, 30))} {hours} * * {days}"


def occurrences(cron: str, zone: str, start: datetime, end: datetime) -> list[datetime]:
    """Fire times in (start, end]: croniter's wall times, a time in a gap read with the offset
    before it, a time in a fold at its first occurrence."""
    tz = ZoneInfo(zone)
    walls = croniter(cron, start.astimezone(tz).replace(tzinfo=None) - timedelta(hours=3))
    found: set[datetime] = set()
    while (wall := walls.get_next(datetime)) < end.astimezone(tz).replace(tzinfo=None) + timedelta(
        hours=3
    ):
        instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if start < instant <= end:
            found.add(instant)
    return sorted(found)


def _local_day(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


@pytest.mark.parametrize("seed", [1])
def test_the_tick_skips_exactly_the_occurrences_on_holidays(
    engine: Engine, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    first_day = rng.choice(STARTS)
    now = datetime.combine(first_day, time(), UTC) - timedelta(days=1)
    end = now + timedelta(days=DAYS)
    orgs = [make_org(engine, now, slug=slug) for slug in ("acme", "globex")]
    window = [first_day + timedelta(days=n) for n in range(-1, DAYS + 1)]
    # holidays: a few random days of the window (some fall on days a schedule does not run),
    # always the daylight-saving or Christmas day it is chosen around
    calendar: dict[int, set[date]] = {}  # as the tick finds it
    for org in orgs:
        days = {*rng.sample(window, 3), first_day + timedelta(days=3)}
        calendar[org.org_id] = days
        for day in days:
            calendars.add_holiday(engine, org.org_id, day, "Day off")
    autos: list[tuple[int, int, str, str, bool]] = []  # id, org, cron, zone, skips holidays
    for n in range(6):
        org = orgs[n % 2]
        cron, zone = _cron(rng), rng.choice(ZONES)
        skips = n != 4  # one automation keeps running on holidays
        auto = make_automation(engine, org, now, cron=cron, tz=zone, skip_holidays=skips)
        autos.append((auto.id or 0, org.org_id, cron, zone, skips))

    expected = {aid: occurrences(cron, zone, now, end) for aid, _, cron, zone, _ in autos}
    ticks = sorted({t for ts in expected.values() for t in ts})
    change_at = ticks[len(ticks) // 2]
    # midway, one organisation's calendar changes for the days ahead: one holiday goes, another
    # comes (a day every schedule still reaches)
    ahead = [d for d in window if datetime.combine(d, time(), UTC) > change_at + timedelta(days=1)]
    changed = orgs[0].org_id
    gone = rng.choice(sorted(calendar[changed] & set(ahead)) or [None])
    added = rng.choice(sorted(set(ahead) - calendar[changed]))
    before = {org_id: set(days) for org_id, days in calendar.items()}
    after = {**before, changed: (before[changed] - {gone}) | {added}}

    reads: Counter[int] = Counter()
    read_holidays = calendars.holiday_days

    def counted(engine: Engine, org_id: int) -> Collection[date]:
        reads[org_id] += 1
        return read_holidays(engine, org_id)

    monkeypatch.setattr(tick_module, "holiday_days", counted)
    worker = new_worker(engine, load_settings(smtp_host=None))
    for instant in ticks:
        if instant > change_at and calendar is not after:
            if gone is not None:
                calendars.remove_holiday(engine, changed, gone)
            calendars.add_holiday(engine, changed, added, "Added later")
            calendar = after
        reads.clear()
        worker.tick(now=instant + timedelta(seconds=5))
        due = {(org_id, skips) for aid, org_id, _, _, skips in autos if instant in expected[aid]}
        # once per organisation per tick, only when one of its automations skipping them is due
        assert all(n == 1 and (org_id, True) in due for org_id, n in reads.items()), reads

    total_skipped = 0
    for aid, org_id, cron, zone, skips in autos:

        def on_holiday(t: datetime, org_id: int = org_id, zone: str = zone) -> bool:
            days = before[org_id] if t <= change_at else after[org_id]
            return _local_day(t, zone) in days

        runs = runs_of(engine, get_automation(engine, org_id, aid))
        skipped = [r.scheduled_for for r in runs if r.status == "skipped"]
        ran = [r.scheduled_for for r in runs if r.status == "completed"]
        holiday = [t for t in expected[aid] if skips and on_holiday(t)]
        assert skipped == holiday, (cron, zone)
        assert ran == [t for t in expected[aid] if t not in holiday], (cron, zone)
        total_skipped += len(skipped)
        assert all(r.skipped_reason == "holiday" for r in runs if r.status == "skipped")
        assert all(r.missed_count == 0 for r in runs)
        auto = get_automation(engine, org_id, aid)
        assert auto.enabled and auto.next_run_at is not None and auto.next_run_at > ticks[-1]
    assert total_skipped >= 3  # the draw makes holidays land on runs
