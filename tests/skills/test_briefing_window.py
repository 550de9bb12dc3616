"""An interview briefing on a schedule with no window said briefs the interviews from each run
until the next: over generated schedules (hourly, daily, weekdays, weekly, several times a day)
in zones with summer time, every interview between the first run and the last is briefed by
exactly one run, the one whose fire time (worker.schedule's) is the last at or before its start;
a stated window keeps its length; runs further apart than the look-ahead stop at it."""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from skills.base import OwnerInfo, SkillContext
from skills.builtin import default_registry
from skills.windows import LOOKAHEAD_DAYS
from tests.examples import examples
from tests.fakes.ats import FakeAts
from tests.fakes.ats_data import DANA, Interview, sample_ats
from worker.schedule.parse import Schedule, next_fire, next_fires, parse_schedule

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "America/Los_Angeles", "UTC")
# days around which summer time starts or ends in one of ZONES
CHANGES = (
    datetime(2026, 3, 8, tzinfo=UTC),
    datetime(2026, 3, 29, tzinfo=UTC),
    datetime(2026, 4, 5, tzinfo=UTC),
    datetime(2026, 10, 4, tzinfo=UTC),
    datetime(2026, 10, 25, tzinfo=UTC),
    datetime(2026, 11, 1, tzinfo=UTC),
)
RUNS = 4


@st.composite
def crons(draw: st.DrawFn) -> str:
    """A cron expression: hourly, daily, weekdays, weekly or several clocks a day."""
    kind = draw(st.sampled_from(["hourly", "daily", "weekdays", "weekly", "clocks"]))
    minute = draw(st.sampled_from([0, 15, 30, 45]))
    hour = draw(st.integers(0, 23))
    if kind == "hourly":
        return f"{minute} * * * *"
    if kind == "daily":
        return f"{minute} {hour} * * *"
    if kind == "weekdays":
        return f"{minute} {hour} * * 1-5"
    if kind == "weekly":
        return f"{minute} {hour} * * {draw(st.integers(0, 6))}"
    hours = draw(st.lists(st.integers(0, 23), min_size=2, max_size=3, unique=True))
    return f"{minute} {','.join(str(h) for h in sorted(hours))} * * *"


def briefed(ats: FakeAts, tz: str, now: datetime, **context: object) -> list[int]:
    """The interview ids one run of the briefing skill briefs."""
    ctx = SkillContext(
        org_id=1,
        owner=OwnerInfo(DANA, "dana@sample.test", "Dana Recruiter", tz),
        params={},
        now=now,
        tz=tz,
        triggered_by="schedule",
        last_success_at=None,
        trigger_data={},
        ats=ats,
        org_timezone=tz,
        **context,  # type: ignore[arg-type]
    )
    output = default_registry().get("interview-briefing").run(ctx)
    return list(output.summary.get("interview_ids", []))


def interviews_at(now: datetime, starts: list[datetime]) -> FakeAts:
    """The sample organisation with Dana's interviews starting at `starts` (ids 100, 101, ...)."""
    data = sample_ats(now)
    data.interviews = [
        Interview(100 + n, 1, 1, start, start + timedelta(minutes=45), DANA)
        for n, start in enumerate(starts)
    ]
    return FakeAts(data)


def edges(fires: list[datetime], offset: timedelta) -> list[datetime]:
    """Interview starts at every window's edges (just before, at, just after each fire) and
    somewhere inside each window."""
    starts = [fires[0] - timedelta(minutes=1)]
    for a, b in itertools.pairwise(fires):
        starts += [
            a,
            a + timedelta(minutes=1),
            a + min(offset, (b - a) / 2),
            b - timedelta(minutes=1),
        ]
    return [*starts, fires[-1]]


def run_schedule(
    schedule: Schedule, fires: list[datetime], ats: FakeAts, lag: int
) -> list[list[int]]:
    """What each of the first RUNS runs briefs, each `lag` seconds late, with its next run
    read from `schedule` as the executor reads the stored one."""
    return [
        briefed(
            ats,
            schedule.tz,
            fire + timedelta(seconds=lag),
            occurrence=fire,
            next_run_after=functools.partial(next_fire, schedule),
        )
        for fire in fires[:RUNS]
    ]


def expected(fires: list[datetime], starts: list[datetime]) -> list[list[int]]:
    """From the fire times alone: run k briefs what starts in [fire k, fire k+1)."""
    return [
        [100 + n for n, start in enumerate(starts) if a <= start < b]
        for a, b in itertools.pairwise(fires)
    ]


@settings(max_examples=examples(150), deadline=None, database=None)
@given(
    crons(),
    st.sampled_from(ZONES),
    st.sampled_from(CHANGES),
    st.integers(-6 * 24 * 60, 2 * 24 * 60),
    st.integers(0, 59),
    st.integers(2, 600),
)
def test_consecutive_briefings_tile_the_time_between_their_runs(
    cron: str, tz: str, change: datetime, minutes: int, lag: int, inside: int
) -> None:
    schedule = parse_schedule(cron=cron, tz=tz)
    start = change + timedelta(minutes=minutes)
    fires = next_fires(schedule, start, RUNS + 1)
    # none of these schedules leaves more than a week between runs: the look-ahead never cuts
    assert all(b - a <= timedelta(days=7, hours=1) for a, b in itertools.pairwise(fires))
    starts = edges(fires, timedelta(minutes=inside))
    ats = interviews_at(start, starts)
    assert run_schedule(schedule, fires, ats, lag) == expected(fires, starts), cron


@settings(max_examples=examples(60), deadline=None, database=None)
@given(crons(), crons(), st.sampled_from(ZONES), st.sampled_from(CHANGES), st.integers(1, RUNS - 1))
def test_after_a_change_of_schedule_the_windows_follow_the_new_one(
    before: str, after: str, tz: str, change: datetime, edited_after: int
) -> None:
    """The window is read from the schedule as it is at each run: once changed, the runs of the
    new schedule tile its own gaps."""
    old, new = parse_schedule(cron=before, tz=tz), parse_schedule(cron=after, tz=tz)
    old_fires = next_fires(old, change, RUNS)
    new_fires = next_fires(new, old_fires[edited_after - 1], RUNS + 1)
    starts = edges(new_fires, timedelta(minutes=7))
    ats = interviews_at(change, starts)
    stored = {"schedule": old}

    def next_run_after(instant: datetime) -> datetime | None:
        return next_fire(stored["schedule"], instant)

    for fire in old_fires[:edited_after]:
        briefed(ats, tz, fire, occurrence=fire, next_run_after=next_run_after)
    stored["schedule"] = new
    got = [
        briefed(ats, tz, fire, occurrence=fire, next_run_after=next_run_after)
        for fire in new_fires[:RUNS]
    ]
    assert got == expected(new_fires, starts), (before, after)


def test_runs_further_apart_than_the_look_ahead_stop_at_it() -> None:
    """Every other Monday: each briefing covers the week ahead, on the clock (the week after
    summer time ends in London is a week and an hour)."""
    tz = "Europe/London"
    schedule = parse_schedule(cron="0 9 * * 1", tz=tz)
    first = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)  # Monday 09:00 BST
    reach = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)  # Monday 09:00 GMT, a week on the clock
    fortnight = reach + timedelta(days=7)
    starts = [reach - timedelta(minutes=1), reach, fortnight - timedelta(minutes=1)]
    ats = interviews_at(first, starts)
    assert reach.astimezone(ZoneInfo(tz)) - first.astimezone(ZoneInfo(tz)) == timedelta(
        days=LOOKAHEAD_DAYS
    )

    def every_other(after: datetime) -> datetime | None:
        return fortnight if after < fortnight else None

    assert briefed(ats, tz, first, occurrence=first, next_run_after=every_other) == [100]
    # weekly, the same run reaches the next run's start and no further
    weekly = functools.partial(next_fire, schedule)
    assert briefed(ats, tz, first, occurrence=first, next_run_after=weekly) == [100]


def test_a_stated_window_keeps_its_length_and_a_run_with_none_after_it_looks_a_day_ahead() -> None:
    now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    starts = [now + timedelta(minutes=m) for m in (10, 64, 66, 23 * 60 + 59, 24 * 60)]
    ats = interviews_at(now, starts)
    ctx = SkillContext(
        org_id=1,
        owner=OwnerInfo(DANA, "dana@sample.test", "Dana Recruiter", "UTC"),
        params={"lead_minutes": 60},
        now=now,
        tz="UTC",
        triggered_by="schedule",
        last_success_at=None,
        trigger_data={},
        ats=ats,
        occurrence=now,
        next_run_after=lambda after: after + timedelta(days=3),
    )
    output = default_registry().get("interview-briefing").run(ctx)
    assert output.summary["interview_ids"] == [100, 101]  # 60 minutes and a 5-minute margin
    assert briefed(ats, "UTC", now, occurrence=now) == [100, 101, 102, 103]
