"""A long outage is counted in full: an every-minute schedule down for 19 hours records every
occurrence it missed, whatever the missed-run policy, though only the last few are kept in
memory while walking the schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from tests.worker.tick.tick_support import at, hm, new_worker, runs_of

DOWN_FROM = at("2026-03-02T09:00:00Z")
BACK_AT = DOWN_FROM + timedelta(hours=19)  # 04:00 the next day
DUE = 19 * 60  # 09:01 .. 04:00 the next day, every minute


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # 04:00 runs once, late, standing for the 1,139 before it
        ("latest", [("04:00", "completed", DUE - 1)]),
        # past the 120 s grace: 09:01 .. 03:57; 04:00 is on time and runs
        ("skip", [("03:57", "skipped", DUE - 3), ("04:00", "completed", 0)]),
        # the last ten run; the first of them counts the 1,130 before
        ("catch_up", [("03:51", "completed", DUE - 10)] + [("", "completed", 0)] * 9),
    ],
)
def test_an_every_minute_schedule_down_19_hours_counts_every_missed_occurrence(
    engine: Engine, policy: str, expected: list[tuple[str, str, int]]
) -> None:
    created = DOWN_FROM - timedelta(seconds=30)
    org = make_org(engine, created)
    auto = make_automation(engine, org, created, cron="* * * * *", misfire_policy=policy)
    worker = new_worker(engine)
    worker.tick(now=DOWN_FROM)
    worker.tick(now=BACK_AT)
    runs = runs_of(engine, auto)
    assert (hm(runs[0].scheduled_for), runs[0].missed_count) == ("09:00", 0)
    got = [(hm(r.scheduled_for), r.status, r.missed_count) for r in runs[1:]]
    if policy == "catch_up":
        got = got[:1] + [("", status, missed) for _, status, missed in got[1:]]
    assert got == expected
