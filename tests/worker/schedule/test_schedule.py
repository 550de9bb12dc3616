"""Schedule maths: calendar kinds (every other week, the first Monday, the 31st, leap days),
ranges and the cache, descriptions, and bad input refused. Every expected fire time below is
written out by hand as a UTC string; across daylight-saving changes: test_daylight_saving.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from models.errors import ScheduleError
from tests.worker.schedule.schedule_support import LA, LONDON, at, between, first, iso
from worker.schedule import parse as sched
from worker.schedule.builders import (
    daily,
    every_minutes,
    hourly,
    monthly_on_day,
    monthly_on_weekday,
    once,
    weekly,
    yearly,
)
from worker.schedule.describe import describe
from worker.schedule.parse import (
    Schedule,
    ScheduleCache,
    min_interval,
    next_fire,
    next_fires,
    parse_schedule,
)

# ------------------------------------------------------------------ calendar kinds


def test_every_other_week_counts_weeks_from_the_default_anchor() -> None:
    s = parse_schedule(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=9;BYMINUTE=0", tz=LONDON)
    assert iso(next_fires(s, at("2026-03-01T00:00Z"), 3)) == [
        "2026-03-03T09:00Z",
        "2026-03-17T09:00Z",
        "2026-03-31T08:00Z",  # BST
    ]


def test_every_other_week_counts_weeks_from_a_given_anchor() -> None:
    s = weekly(["TU"], 9, 0, LONDON, every_weeks=2, anchor=at("2026-01-12T00:00Z"))
    assert iso(next_fires(s, at("2026-03-01T00:00Z"), 3)) == [
        "2026-03-10T09:00Z",
        "2026-03-24T09:00Z",
        "2026-04-07T08:00Z",
    ]


def test_every_other_week_far_from_the_anchor_keeps_its_parity() -> None:
    s = weekly(["TU"], 9, 0, LONDON, every_weeks=2)
    assert iso(next_fires(s, at("2029-12-31T00:00Z"), 2)) == [
        "2030-01-01T09:00Z",
        "2030-01-15T09:00Z",
    ]


def test_first_monday_of_the_month_in_los_angeles() -> None:
    s = monthly_on_weekday(1, "MO", 9, 0, LA)
    assert iso(next_fires(s, at("2026-01-01T00:00Z"), 4)) == [
        "2026-01-05T17:00Z",
        "2026-02-02T17:00Z",
        "2026-03-02T17:00Z",
        "2026-04-06T16:00Z",
    ]


def test_last_friday_of_the_month_in_los_angeles() -> None:
    expected = ["2026-01-31T01:00Z", "2026-02-28T01:00Z", "2026-03-28T00:00Z", "2026-04-25T00:00Z"]
    for s in (
        monthly_on_weekday(-1, "FR", 17, 0, LA),
        parse_schedule(cron="0 17 * * L5", tz=LA),
        parse_schedule(rrule="FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=17;BYMINUTE=0", tz=LA),
    ):
        assert iso(next_fires(s, at("2026-01-01T00:00Z"), 4)) == expected


def test_monthly_on_the_31st_skips_short_months() -> None:
    assert iso(next_fires(monthly_on_day(31, 9), at("2026-01-01T00:00Z"), 5)) == [
        "2026-01-31T09:00Z",
        "2026-03-31T09:00Z",
        "2026-05-31T09:00Z",
        "2026-07-31T09:00Z",
        "2026-08-31T09:00Z",
    ]


def test_last_day_of_month_with_l() -> None:
    s = parse_schedule(cron="0 9 L * *")
    assert iso(next_fires(s, at("2026-01-01T00:00Z"), 3)) == [
        "2026-01-31T09:00Z",
        "2026-02-28T09:00Z",
        "2026-03-31T09:00Z",
    ]


def test_yearly_in_new_york_and_on_leap_day() -> None:
    s = yearly(3, 1, 9, 0, "America/New_York")
    assert iso(next_fires(s, at("2026-01-01T00:00Z"), 2)) == [
        "2026-03-01T14:00Z",
        "2027-03-01T14:00Z",
    ]
    assert iso(next_fires(yearly(2, 29, 9), at("2026-01-01T00:00Z"), 2)) == [
        "2028-02-29T09:00Z",
        "2032-02-29T09:00Z",
    ]


def test_weekly_on_monday_and_thursday() -> None:
    s = weekly(["MO", "TH"], 9)
    assert s.expression == "0 9 * * 1,4"
    assert iso(next_fires(s, at("2026-01-01T00:00Z"), 3)) == [
        "2026-01-01T09:00Z",
        "2026-01-05T09:00Z",
        "2026-01-08T09:00Z",
    ]


def test_day_of_month_and_day_of_week_both_restricted_means_either_vixie_style() -> None:
    s = parse_schedule(cron="0 9 13 * FRI")
    assert iso(next_fires(s, at("2026-01-01T00:00Z"), 4)) == [
        "2026-01-02T09:00Z",
        "2026-01-09T09:00Z",
        "2026-01-13T09:00Z",
        "2026-01-16T09:00Z",
    ]


def test_once_fires_only_strictly_after() -> None:
    s = once(at("2026-03-03T15:00Z"), "America/New_York")
    assert first(s, "2026-03-01T00:00Z") == "2026-03-03T15:00Z"
    assert next_fire(s, at("2026-03-03T15:00Z")) is None
    assert next_fire(s, at("2026-04-01T00:00Z")) is None
    assert min_interval(s, at("2026-03-01T00:00Z")) is None


# ------------------------------------------------------------------ ranges, gaps, cache


def test_fires_between_excludes_start_includes_end_and_keeps_the_earliest_limit() -> None:
    s = every_minutes(15)
    assert between(s, "2026-01-01T00:00Z", "2026-01-02T00:00Z", limit=3) == [
        "2026-01-01T00:15Z",
        "2026-01-01T00:30Z",
        "2026-01-01T00:45Z",
    ]
    assert between(s, "2026-01-01T00:00Z", "2026-01-01T00:30Z") == [
        "2026-01-01T00:15Z",
        "2026-01-01T00:30Z",
    ]


def test_min_interval_of_daily_is_23_hours_over_spring_forward_and_24_otherwise() -> None:
    s = daily(9, 0, LA)
    assert min_interval(s, at("2026-03-01T00:00Z")) == timedelta(hours=23)
    assert min_interval(s, at("2026-01-01T00:00Z"), samples=20) == timedelta(hours=24)
    assert min_interval(every_minutes(15, LA), at("2026-03-08T08:00Z")) == timedelta(minutes=15)


def test_schedule_cache_computes_each_schedule_and_after_pair_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    real = next_fire

    def counting(schedule: Schedule, after: datetime) -> datetime | None:
        nonlocal calls
        calls += 1
        return real(schedule, after)

    monkeypatch.setattr(sched, "next_fire", counting)
    schedules = [daily(h, 0, LA) for h in range(10)]
    afters = [at("2026-03-01T00:00Z") + timedelta(minutes=m) for m in range(100)]
    cache = ScheduleCache()
    for i in range(100_000):
        cache.next_fire(schedules[i % 10], afters[(i // 10) % 100])
    assert calls == 1000
    assert cache.misses == 1000
    assert cache.hits == 99_000
    assert cache.next_fire(daily(9, 0, LA), at("2026-03-01T00:00Z")) == at("2026-03-01T17:00Z")


def test_schedule_cache_is_bounded() -> None:
    cache = ScheduleCache(max_entries=5)
    for m in range(12):
        cache.next_fire(hourly(), at("2026-01-01T00:00Z") + timedelta(minutes=m))
    assert len(cache) <= 5


def test_next_fire_never_goes_backwards_around_transitions() -> None:
    schedules = [
        daily(2, 30, LA),
        daily(1, 30, LA),
        hourly(0, LA),
        every_minutes(15, LONDON),
        parse_schedule(cron="0,30 1-3 * * *", tz=LA),
        daily(1, 30, LONDON),
    ]
    for s in schedules:
        for window in ("2026-03-07T00:00Z", "2026-10-24T00:00Z", "2026-10-31T00:00Z"):
            cur = at(window)
            while cur < at(window) + timedelta(days=3):
                nxt = next_fire(s, cur)
                assert nxt is not None and nxt > cur
                cur += timedelta(minutes=7)


# ------------------------------------------------------------------ describe


def test_describe_says_it_in_plain_english_with_the_zone() -> None:
    assert describe(parse_schedule(cron="0 9 * * 1", tz=LA)) == (
        "At 09:00 AM, only on Monday (America/Los_Angeles)"
    )
    assert describe(weekly(["TU"], 9, 0, LONDON, every_weeks=2)) == (
        "Every 2 weeks on Tuesday at 09:00, starting January 5, 2026 (Europe/London)"
    )
    assert describe(once(at("2026-03-03T15:00Z"), "America/New_York")) == (
        "Once at 2026-03-03 10:00 (America/New_York)"
    )
    assert describe(every_minutes(45)) == "Every 45 minutes (UTC)"
    assert describe(parse_schedule(rrule="FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=17;BYMINUTE=0")) == (
        "Every month on the last Friday at 17:00 (UTC)"
    )


# ------------------------------------------------------------------ bad input

FIELDS = "Cron expressions need 5 fields (minute hour day month weekday);"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cron": "0 9 * * * *"}, f"{FIELDS} got 6"),
        ({"cron": "* * * *"}, f"{FIELDS} got 4"),
        ({"cron": "61 * * * *"}, "Invalid cron expression '61 * * * *': minute must be 0-59"),
        ({"cron": "0 24 * * *"}, "hour must be 0-23"),
        ({"cron": "0 9 * SMARCH *"}, "'SMARCH' is not a valid month"),
        ({"cron": "0 9 30 2 *"}, "never fires"),
        ({"cron": "0 9 * * *", "tz": "Mars/Base"}, "Unknown time zone 'Mars/Base'. Use an"),
        ({"cron": "0 9 * * *", "rrule": "FREQ=DAILY"}, "exactly one of cron, rrule or once"),
        ({}, "exactly one of cron, rrule or once"),
        ({"once": datetime(2026, 3, 3, 15, 0)}, "needs a time zone offset"),
        ({"rrule": "FREQ=FORTNIGHTLY"}, "FREQ must be one of"),
        ({"rrule": "FREQ=DAILY;BYHOUR=25"}, "hour must be in 0..23"),
        ({"rrule": "FREQ=DAILY;COUNT=3;UNTIL=20260301T000000Z"}, "COUNT and UNTIL"),
    ],
)
def test_bad_schedules_are_rejected_with_a_message_naming_the_problem(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(**kwargs)
    assert message in str(caught.value)


def test_builders_reject_out_of_range_values() -> None:
    with pytest.raises(ScheduleError, match="hour"):
        daily(25)
    with pytest.raises(ScheduleError, match="nth"):
        monthly_on_weekday(5, "MO", 9)
    with pytest.raises(ScheduleError, match="day of the week"):
        weekly(["XX"], 9)
