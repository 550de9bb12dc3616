"""Schedules across daylight-saving changes: a time of day keeps to the wall clock (the gap
and the repeated hour each fire once), an interval keeps to absolute time. Every expected fire
time below is written out by hand as a UTC string.

2026 changes used: US (America/Los_Angeles, PST -8 / PDT -7) springs forward 2026-03-08 10:00Z
(02:00 PST -> 03:00 PDT) and falls back 2026-11-01 09:00Z (02:00 PDT -> 01:00 PST). UK
(Europe/London, GMT +0 / BST +1) springs forward 2026-03-29 01:00Z and falls back 2026-10-25 01:00Z.
"""

from __future__ import annotations

from tests.worker.schedule.schedule_support import LA, LONDON, at, between, first, iso
from worker.schedule.builders import daily, every_minutes, hourly, weekdays
from worker.schedule.parse import next_fires, parse_schedule

# ------------------------------------------------------------------ wall clock, Los Angeles


def test_daily_0230_in_los_angeles_fires_at_0330_on_spring_forward_day() -> None:
    assert between(daily(2, 30, LA), "2026-03-06T00:00Z", "2026-03-10T00:00Z") == [
        "2026-03-06T10:30Z",
        "2026-03-07T10:30Z",
        "2026-03-08T10:30Z",  # 02:30 does not exist: read as PST, = 03:30 PDT
        "2026-03-09T09:30Z",
    ]


def test_daily_0130_in_los_angeles_fires_before_the_gap_on_spring_forward_day() -> None:
    assert between(daily(1, 30, LA), "2026-03-07T00:00Z", "2026-03-10T00:00Z") == [
        "2026-03-07T09:30Z",
        "2026-03-08T09:30Z",
        "2026-03-09T08:30Z",
    ]


def test_daily_0130_in_los_angeles_fires_once_at_first_occurrence_on_fall_back_day() -> None:
    assert between(daily(1, 30, LA), "2026-10-31T00:00Z", "2026-11-03T00:00Z") == [
        "2026-10-31T08:30Z",
        "2026-11-01T08:30Z",  # 01:30 PDT; the second 01:30 (PST, 09:30Z) does not fire
        "2026-11-02T09:30Z",
    ]


def test_daily_0230_in_los_angeles_fires_once_a_day_across_fall_back() -> None:
    assert between(daily(2, 30, LA), "2026-10-31T00:00Z", "2026-11-03T00:00Z") == [
        "2026-10-31T09:30Z",
        "2026-11-01T10:30Z",
        "2026-11-02T10:30Z",
    ]


def test_next_fire_is_strictly_after_even_when_the_gap_moves_the_wall_time() -> None:
    s = daily(2, 30, LA)
    assert first(s, "2026-03-08T10:29:59Z") == "2026-03-08T10:30Z"
    assert first(s, "2026-03-08T10:30Z") == "2026-03-09T09:30Z"
    assert first(s, "2026-03-08T10:00Z") == "2026-03-08T10:30Z"


def test_cron_at_0200_0230_0300_0330_on_spring_forward_day_fires_each_instant_once() -> None:
    s = parse_schedule(cron="0,30 2-3 * * *", tz=LA)
    # walls 02:00/03:00 both map to 10:00Z and 02:30/03:30 both to 10:30Z
    assert between(s, "2026-03-08T09:00Z", "2026-03-08T12:00Z") == [
        "2026-03-08T10:00Z",
        "2026-03-08T10:30Z",
    ]
    assert first(s, "2026-03-08T10:00Z") == "2026-03-08T10:30Z"


# ------------------------------------------------------------------ wall clock, London


def test_daily_0130_in_london_on_spring_forward_day_fires_at_0130_utc() -> None:
    assert between(daily(1, 30, LONDON), "2026-03-28T00:00Z", "2026-03-31T00:00Z") == [
        "2026-03-28T01:30Z",
        "2026-03-29T01:30Z",  # 01:30 is in the gap: read as GMT, = 02:30 BST
        "2026-03-30T00:30Z",
    ]


def test_daily_0130_in_london_on_fall_back_day_fires_once_in_bst() -> None:
    assert between(daily(1, 30, LONDON), "2026-10-24T00:00Z", "2026-10-27T00:00Z") == [
        "2026-10-24T00:30Z",
        "2026-10-25T00:30Z",
        "2026-10-26T01:30Z",
    ]


def test_weekdays_0900_in_london_moves_an_hour_earlier_in_utc_after_spring_forward() -> None:
    assert iso(next_fires(weekdays(9, 0, LONDON), at("2026-03-27T00:00Z"), 3)) == [
        "2026-03-27T09:00Z",  # Friday, GMT
        "2026-03-30T08:00Z",  # Monday, BST
        "2026-03-31T08:00Z",
    ]


# ------------------------------------------------------------------ interval (absolute time)


def test_hourly_in_los_angeles_fires_every_hour_through_fall_back_without_doubling() -> None:
    assert between(hourly(0, LA), "2026-11-01T06:30Z", "2026-11-01T11:00Z") == [
        "2026-11-01T07:00Z",  # 00:00 PDT
        "2026-11-01T08:00Z",  # 01:00 PDT
        "2026-11-01T09:00Z",  # 01:00 PST
        "2026-11-01T10:00Z",  # 02:00 PST
        "2026-11-01T11:00Z",
    ]


def test_hourly_in_los_angeles_fires_every_hour_through_spring_forward_without_skipping() -> None:
    assert between(hourly(0, LA), "2026-03-08T07:30Z", "2026-03-08T11:00Z") == [
        "2026-03-08T08:00Z",
        "2026-03-08T09:00Z",  # 01:00 PST
        "2026-03-08T10:00Z",  # 03:00 PDT
        "2026-03-08T11:00Z",
    ]


def test_hourly_in_london_is_one_hour_apart_across_both_changes() -> None:
    s = hourly(0, LONDON)
    expected_spring = ["2026-03-29T01:00Z", "2026-03-29T02:00Z", "2026-03-29T03:00Z"]
    assert between(s, "2026-03-29T00:00Z", "2026-03-29T03:00Z") == expected_spring
    expected_fall = ["2026-10-25T01:00Z", "2026-10-25T02:00Z", "2026-10-25T03:00Z"]
    assert between(s, "2026-10-25T00:00Z", "2026-10-25T03:00Z") == expected_fall


def test_every_15_minutes_in_los_angeles_is_steady_through_both_changes() -> None:
    s = every_minutes(15, LA)
    assert s.expression == "*/15 * * * *"
    assert between(s, "2026-03-08T09:30Z", "2026-03-08T10:30Z") == [
        "2026-03-08T09:45Z",
        "2026-03-08T10:00Z",
        "2026-03-08T10:15Z",
        "2026-03-08T10:30Z",
    ]
    assert between(s, "2026-11-01T08:30Z", "2026-11-01T09:30Z") == [
        "2026-11-01T08:45Z",
        "2026-11-01T09:00Z",
        "2026-11-01T09:15Z",
        "2026-11-01T09:30Z",
    ]


def test_every_15_minutes_in_london_is_steady_through_spring_forward() -> None:
    assert between(every_minutes(15, LONDON), "2026-03-29T00:30Z", "2026-03-29T01:30Z") == [
        "2026-03-29T00:45Z",
        "2026-03-29T01:00Z",
        "2026-03-29T01:15Z",
        "2026-03-29T01:30Z",
    ]


def test_every_45_minutes_is_an_rrule_on_absolute_time_from_the_default_anchor() -> None:
    s = every_minutes(45, LA)
    assert s.kind == "rrule"
    # anchor 2026-01-05 00:00 PST = 08:00Z; 2026-03-08 08:00Z is 1984 steps of 45 minutes later
    assert between(s, "2026-03-08T09:00Z", "2026-03-08T11:00Z") == [
        "2026-03-08T09:30Z",
        "2026-03-08T10:15Z",
        "2026-03-08T11:00Z",
    ]


def test_every_5_minutes_and_hourly_in_kolkata_follow_the_half_hour_offset() -> None:
    tz = "Asia/Kolkata"
    assert iso(next_fires(every_minutes(5, tz), at("2026-01-01T00:02Z"), 2)) == [
        "2026-01-01T00:05Z",
        "2026-01-01T00:10Z",
    ]
    assert iso(next_fires(hourly(0, tz), at("2026-01-01T00:02Z"), 2)) == [
        "2026-01-01T00:30Z",
        "2026-01-01T01:30Z",
    ]
    assert iso(next_fires(daily(9, 0, tz), at("2026-01-01T00:00Z"), 1)) == ["2026-01-01T03:30Z"]


def test_interval_cron_restricted_to_a_day_uses_the_actual_local_date() -> None:
    # hour field *, day 15: local midnight of 15 March is already PDT
    s = parse_schedule(cron="0 * 15 * *", tz=LA)
    assert first(s, "2026-03-01T00:00Z") == "2026-03-15T07:00Z"
    # two offset changes between `after` and the answer cancel out and are still handled
    s = parse_schedule(cron="0 * 1 1 *", tz=LA)
    assert first(s, "2026-02-01T00:00Z") == "2027-01-01T08:00Z"
