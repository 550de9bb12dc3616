"""Skipping chosen occurrences, on both stores: for schedules and dates drawn at random, the tick
run through every occurrence records exactly the chosen ones as skipped (as asked, with when)
and runs every other one; the automation stays active all along, passed skips are dropped, and
a day with no occurrence or a skip past the cap changes nothing. The occurrences are found
here from the local calendar, not by the schedule maths under test."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import OrgFixture, make_automation, make_org
from models.clock import local_time
from models.errors import InvalidInput
from models.settings import load_settings
from models.skip_list import MOST_SKIPS, asked_at, read_skips
from models.store.automations import get_automation
from models.store.orgs import get_user
from tests.worker.tick.tick_support import new_worker, runs_of

NOW = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # a Monday evening
DAYS = 10
# (cron, zone, local minutes of the day, weekdays it fires on)
SCHEDULES: list[tuple[str, str, Sequence[int], Sequence[int]]] = [
    ("0 9 * * 1", "America/New_York", (9 * 60,), (0,)),
    ("0 7,17 * * 2,4", "Asia/Tokyo", (7 * 60, 17 * 60), (1, 3)),
    ("15 23 * * *", "Australia/Sydney", (23 * 60 + 15,), range(7)),
    ("0 12 1-31/2 * *", "UTC", (12 * 60,), range(7)),  # odd days of the month only
]


def fires(minutes: Sequence[int], days: Sequence[int], zone: str, odd_days: bool) -> list[datetime]:
    """The occurrences of the next DAYS days, from the local calendar."""
    tz = ZoneInfo(zone)
    first = NOW.astimezone(tz).date()
    out = []
    for n in range(DAYS + 1):
        day = first + timedelta(days=n)
        if day.weekday() not in days or (odd_days and day.day % 2 == 0):
            continue
        for minute in minutes:
            local = datetime.combine(day, time(minute // 60, minute % 60), tz)
            if NOW < local < NOW + timedelta(days=DAYS):
                out.append(local.astimezone(UTC))
    return out


def _owner(engine: Engine) -> tuple[Toolset, Actor, OrgFixture]:
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(smtp_host=None), clock=lambda: NOW)
    return tools, Actor.of(get_user(engine, org.member_id)), org


@pytest.mark.parametrize("seed", [3])
def test_the_tick_skips_exactly_the_chosen_occurrences_and_runs_every_other(
    engine: Engine, seed: int
) -> None:
    rng = random.Random(seed)
    tools, owner, org = _owner(engine)
    chosen: dict[int, list[datetime]] = {}
    expected: dict[int, list[datetime]] = {}
    for cron, zone, minutes, days in SCHEDULES:
        auto = make_automation(engine, org, NOW, cron=cron, tz=zone)
        occurrences = fires(minutes, days, zone, odd_days="1-31/2" in cron)
        picked = sorted(rng.sample(occurrences, k=min(len(occurrences), rng.randint(1, 4))))
        by_date = rng.random() < 0.5  # said as local dates, or handed over as instants
        if by_date:
            local = sorted({t.astimezone(ZoneInfo(zone)).date() for t in picked})
            said = " and ".join(f"{d:%b} {d.day}" for d in local)
            done = tools.skip_runs(owner, auto.id or 0, said)
            # a date names every occurrence on that local day
            picked = [t for t in occurrences if t.astimezone(ZoneInfo(zone)).date() in local]
        else:
            done = tools.skip_runs(owner, auto.id or 0, at=picked)
        assert done.skipped == picked and done.automation.enabled, (cron, picked)
        kept = [t for t in occurrences if t not in picked]
        assert done.next_run_at is not None and done.next_run_at not in picked
        assert done.next_run_at == kept[0] if kept else done.next_run_at > occurrences[-1]
        chosen[auto.id or 0] = picked
        expected[auto.id or 0] = occurrences

    worker = new_worker(engine, load_settings(smtp_host=None))
    ticks = sorted({t for ts in expected.values() for t in ts})
    for instant in ticks:
        worker.tick(now=instant + timedelta(seconds=5))

    for auto_id, occurrences in expected.items():
        auto = get_automation(engine, org.org_id, auto_id)
        assert auto.enabled and auto.status != "paused"
        runs = [r for r in runs_of(engine, auto) if r.scheduled_for <= ticks[-1]]
        skipped = [r.scheduled_for for r in runs if r.status == "skipped"]
        ran = [r.scheduled_for for r in runs if r.status == "completed"]
        past = [t for t in occurrences if t <= ticks[-1]]
        assert skipped == [t for t in chosen[auto_id] if t in past], auto.cron_expression
        assert ran == [t for t in past if t not in chosen[auto_id]], auto.cron_expression
        assert all(asked_at(r.skipped_reason) == NOW for r in runs if r.status == "skipped")
        assert all(r.missed_count == 0 for r in runs)
        # the skips the tick ran through are of no use any more: they are dropped
        assert all(t > ticks[-1] for t in read_skips(auto.skips)), auto.skips


def test_a_skipped_run_says_why_in_the_history_and_a_day_without_one_changes_nothing(
    engine: Engine,
) -> None:
    tools, owner, org = _owner(engine)
    auto = make_automation(engine, org, NOW, cron="0 9 * * 1-5", tz="Europe/London")
    aid = auto.id or 0
    with pytest.raises(InvalidInput, match=r"has no run on Sat 05 Dec .*nothing changed"):
        tools.skip_runs(owner, aid, "Dec 5")
    done = tools.skip_runs(owner, aid, "tomorrow")
    assert done.skipped == [datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
    with pytest.raises(InvalidInput, match=f"than the {MOST_SKIPS} it may skip"):
        tools.skip_runs(owner, aid, "everything between Dec 2 and Mar 31")
    assert list(read_skips(get_automation(engine, org.org_id, aid).skips)) == done.skipped

    new_worker(engine, load_settings(smtp_host=None)).tick(
        now=done.skipped[0] + timedelta(seconds=5)
    )
    (run,) = runs_of(engine, get_automation(engine, org.org_id, aid))
    assert (run.status, run.scheduled_for) == ("skipped", done.skipped[0])
    tools.clock = lambda: done.skipped[0] + timedelta(minutes=1)
    why = tools.why(owner, aid).answer
    # said in the asker's zone (here the organisation's: UTC), not the automation's London
    asked = local_time(datetime(2026, 11, 30, 22, 0, tzinfo=UTC), tools.zone_of(owner))
    assert f"skipped as you asked on {asked}" in why, why
    (line,) = tools.history(owner, aid)
    assert line.skipped_reason == "asked:2026-11-30T22:00Z"
