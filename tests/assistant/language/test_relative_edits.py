"""Changes said relative to a schedule, generated: every base schedule (one or two clocks,
weekday sets, every-N-weeks rules) moved by every amount in every phrasing, and days taken out
of every day set in every phrasing. The expected runs come from the base schedule itself: its
own next runs moved on the wall clock, or its runs on the days that remain."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.language.edits import changes_in_words
from assistant.language.understand import understand
from models.errors import InvalidInput
from models.tables.automations import Automation
from worker.schedule.parse import Schedule, next_fires, parse_schedule

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # no clock change in the runs compared
TZ = "Europe/London"
RUNS = 6


@dataclass(frozen=True)
class Base:
    cron: str | None = None
    rrule: str | None = None
    anchor: datetime | None = None

    @property
    def clocks(self) -> list[tuple[int, int]]:
        if self.cron:
            minute, hour = self.cron.split()[:2]
        else:
            parts = dict(p.split("=") for p in (self.rrule or "").split(";"))
            minute, hour = parts["BYMINUTE"], parts["BYHOUR"]
        return [(int(h), int(m)) for h in hour.split(",") for m in minute.split(",")]

    @property
    def any_day(self) -> bool:
        """Runs every day: a clock crossing midnight lands on a day it also runs."""
        return self.cron is not None and self.cron.split()[2:] == ["*", "*", "*"]


def _anchor(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=ZoneInfo(TZ)).astimezone(UTC)


BASES = [
    Base(cron="30 8 * * 1-5"),
    Base(cron="0 9,17 * * 1-5"),
    Base(cron="45 23 * * 1,3,5"),
    Base(cron="15 0 * * 2,4"),
    Base(cron="0 7,22 * * *"),
    Base(cron="30 12 * * 0,6"),
    Base(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9;BYMINUTE=0", anchor=_anchor(8, 9)),
    Base(
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;BYHOUR=8,16;BYMINUTE=30",
        anchor=_anchor(4, 8, 30),
    ),
    Base(rrule="FREQ=WEEKLY;INTERVAL=3;BYDAY=FR;BYHOUR=22;BYMINUTE=0", anchor=_anchor(5, 22)),
    Base(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,WE;BYHOUR=1;BYMINUTE=0", anchor=_anchor(2, 1)),
]

AMOUNTS: dict[int, list[str]] = {
    15: ["15 minutes", "15 min", "a quarter of an hour"],
    30: ["30 minutes", "half an hour", "30 mins"],
    45: ["45 minutes", "forty-five minutes"],
    60: ["an hour", "1 hour", "one hour"],
    90: ["an hour and a half", "90 minutes", "1.5 hours"],
    120: ["2 hours", "two hours", "a couple of hours"],
    150: ["2 hours 30 minutes"],
    180: ["3 hours", "3 hrs"],
}
LATER = [
    "{} later",
    "make it {} later",
    "push it back {}",
    "push it back by {}",
    "move it {} later",
    "delay it by {}",
    "later by {}",
]
EARLIER = ["{} earlier", "make it {} earlier", "move it forward by {}", "bring it forward {}"]


def _automation(base: Base) -> Automation:
    return Automation(
        org_id=1,
        owner_id=1,
        name="Pipeline",
        skill="pipeline-report",
        params={},
        trigger_type="cron",
        cron_expression=base.cron,
        rrule=base.rrule,
        schedule_anchor=base.anchor,
        timezone=TZ,
        output_channel="email",
        output_config={"to": ["me"]},
        created_at=NOW,
        updated_at=NOW,
    )


def _schedule(auto: Automation, changes: dict[str, object]) -> Schedule:
    cron, rrule = auto.cron_expression, auto.rrule
    if "cron" in changes or "rrule" in changes:
        cron, rrule = changes.get("cron"), changes.get("rrule")  # type: ignore[assignment]
    anchor = changes.get("anchor", auto.schedule_anchor)
    assert anchor is None or isinstance(anchor, datetime)
    return parse_schedule(cron=cron, rrule=rrule, tz=TZ, anchor=anchor)


def _moved(at: datetime, minutes: int) -> datetime:
    """`at` moved on the wall clock of TZ."""
    zone = ZoneInfo(TZ)
    wall = at.astimezone(zone).replace(tzinfo=None) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone).astimezone(UTC)


@functools.cache
def _base_runs(base: Base) -> list[datetime]:
    schedule = parse_schedule(cron=base.cron, rrule=base.rrule, tz=TZ, anchor=base.anchor)
    return next_fires(schedule, NOW - timedelta(days=2), RUNS * 4)


def _expected_shift(base: Base, minutes: int) -> list[datetime]:
    return sorted(m for f in _base_runs(base) if (m := _moved(f, minutes)) > NOW)[:RUNS]


def _days_apart(base: Base, minutes: int) -> bool:
    """Some clocks cross midnight and others not, on a schedule that does not run every day."""
    offsets = {(h * 60 + m + minutes) // 1440 for h, m in base.clocks}
    return len(offsets) > 1 and not base.any_day


def _shift_cases() -> list[tuple[Base, int, str]]:
    """Each base moved by each amount in each of its spellings, later and earlier; the
    phrasings take turns, so every one meets every base and amount spelling in time."""
    cases = []
    later, earlier = itertools.cycle(LATER), itertools.cycle(EARLIER)
    for base, (amount, words) in itertools.product(BASES, AMOUNTS.items()):
        for said in words:
            cases.append((base, amount, next(later).format(said)))
            cases.append((base, -amount, next(earlier).format(said)))
    # across midnight both ways, by amounts large enough to move every clock of some bases
    for base, (amount, said) in itertools.product(
        BASES, [(16 * 60, "16 hours"), (-10 * 60, "10 hours"), (-9 * 60 - 30, "9 and a half hours")]
    ):
        template = "push it back {}" if amount > 0 else "{} earlier"
        cases.append((base, amount, template.format(said)))
    return cases


def test_every_time_moves_by_the_amount_said() -> None:
    seen = {"moved": 0, "refused": 0, "crossed": 0}
    for base, minutes, said in _shift_cases():
        auto = _automation(base)
        if _days_apart(base, minutes):
            with pytest.raises(InvalidInput, match="cross midnight"):
                changes_in_words(auto, said, NOW)
            seen["refused"] += 1
            continue
        try:
            changes = changes_in_words(auto, said, NOW)
        except InvalidInput as exc:  # only a clock set one schedule cannot say
            assert "minutes past the hour" in exc.message, (base, said, exc.message)
            assert len({m for _, m in base.clocks}) == 1 and len(base.clocks) > 1
            seen["refused"] += 1
            continue
        got = next_fires(_schedule(auto, changes), NOW, RUNS)
        assert got == _expected_shift(base, minutes), (base, said, changes)
        seen["moved"] += 1
        crossing = any(not 0 <= h * 60 + m + minutes < 1440 for h, m in base.clocks)
        seen["crossed"] += crossing
    assert seen["moved"] > 350 and seen["crossed"] >= 15 and seen["refused"] >= 3, seen


def test_a_one_off_moves_and_a_repeating_one_every_few_minutes_is_refused() -> None:
    once = _automation(Base(cron="0 9 * * *"))
    once.cron_expression, once.run_once_at = None, datetime(2026, 6, 3, 8, 0, tzinfo=UTC)
    assert changes_in_words(once, "45 minutes later", NOW) == {
        "once": datetime(2026, 6, 3, 8, 45, tzinfo=UTC)
    }
    minutely = _automation(Base(cron="*/15 * * * *"))
    with pytest.raises(InvalidInput, match="no time of day"):
        changes_in_words(minutely, "an hour later", NOW)


DAY_SETS = {
    "1-5": {0, 1, 2, 3, 4},
    "*": {0, 1, 2, 3, 4, 5, 6},
    "1,3,5": {0, 2, 4},
    "0,6": {5, 6},
    "1-6": {0, 1, 2, 3, 4, 5},
}
NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EXCLUDING = [
    "skip {}",
    "not on {}",
    "except {}",
    "no {}",
    "drop {}",
    "without {}",
    "but not {}",
    "apart from {}",
    "not {} anymore",
]


def _said_days(days: tuple[int, ...], n: int) -> str:
    """Days in words, in a few of the ways people write them."""
    if set(days) == {5, 6} and n % 2:
        return "weekends" if n % 4 == 1 else "the weekend"
    words = [NAMES[d] + ("s" if n % 3 else "") for d in days]
    if n % 5 == 4:
        words = [w[:3] for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _weekdays_of(schedule: Schedule) -> set[int]:
    return {f.astimezone(ZoneInfo(TZ)).weekday() for f in next_fires(schedule, NOW, 30)}


def test_days_said_away_are_taken_out_of_the_days_it_runs() -> None:
    seen = {"removed": 0, "none_left": 0, "not_there": 0}
    subsets = [(4,), (0,), (5, 6), (0, 4), (0, 2, 4), (1, 3)]
    for n, ((field, days), taken, phrase) in enumerate(
        itertools.product(DAY_SETS.items(), subsets, EXCLUDING)
    ):
        for base in (
            Base(cron=f"30 8 * * {field}"),
            Base(
                rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY="
                + ",".join(
                    c for i, c in enumerate(("MO", "TU", "WE", "TH", "FR", "SA", "SU")) if i in days
                )
                + ";BYHOUR=8;BYMINUTE=30",
                anchor=_anchor(1, 8, 30),
            ),
        ):
            auto = _automation(base)
            said = phrase.format(_said_days(taken, n))
            left = days - set(taken)
            if not left or not days & set(taken):
                with pytest.raises(InvalidInput, match=r"no day for it|anyway"):
                    changes_in_words(auto, said, NOW)
                seen["none_left" if not left else "not_there"] += 1
                continue
            schedule = _schedule(auto, changes_in_words(auto, said, NOW))
            assert _weekdays_of(schedule) == left, (base, said)
            times = {f.astimezone(ZoneInfo(TZ)).time() for f in next_fires(schedule, NOW, 10)}
            assert [(t.hour, t.minute) for t in times] == [(8, 30)], (base, said)
            if base.anchor is not None:  # still every other week, counted as before
                first = next_fires(_schedule(auto, {}), NOW, 40)
                kept = [f for f in first if f.astimezone(ZoneInfo(TZ)).weekday() in left]
                assert next_fires(schedule, NOW, 8) == kept[:8], (base, said)
            seen["removed"] += 1
    assert seen["removed"] > 300 and seen["none_left"] and seen["not_there"], seen


def test_days_named_with_a_whole_new_day_set_are_its_exception() -> None:
    auto = _automation(Base(cron="30 8 * * 1-5"))
    for said, wanted in (
        ("every day except fridays", {0, 1, 2, 3, 5, 6}),
        ("make it daily but skip mondays", {1, 2, 3, 4, 5, 6}),
        ("every day without sundays", {0, 1, 2, 3, 4, 5}),
    ):
        assert _weekdays_of(_schedule(auto, changes_in_words(auto, said, NOW))) == wanted, said


def test_days_said_as_well_are_added() -> None:
    for said, base, wanted in (
        ("also on saturdays", "1-5", {0, 1, 2, 3, 4, 5}),
        ("on sundays too", "1,3", {0, 2, 6}),
        ("add weekends", "1-5", set(range(7))),
        ("also on fridays", "1", {0, 4}),
        ("and mondays too", "5", {0, 4}),
        ("mondays as well", "5", {0, 4}),
        ("wednesdays and fridays too", "1", {0, 2, 4}),
    ):
        auto = _automation(Base(cron=f"0 9 * * {base}"))
        assert _weekdays_of(_schedule(auto, changes_in_words(auto, said, NOW))) == wanted
    with pytest.raises(InvalidInput, match="already runs on Mondays"):
        changes_in_words(_automation(Base(cron="0 9 * * 1-5")), "also on mondays", NOW)


def test_a_new_request_takes_the_days_said_away_out_of_its_days() -> None:
    words = ["except", "but not", "excluding", "apart from", "without", "skipping", "other than"]
    day_sets = {"weekday": {0, 1, 2, 3, 4}, "day": set(range(7))}
    for n, ((said_set, days), taken, word) in enumerate(
        itertools.product(day_sets.items(), [(4,), (0,), (0, 4), (1, 3)], words)
    ):
        request = f"every {said_set} {word} {_said_days(taken, n)} at 9 send me my pipeline summary"
        draft = understand(request, tz=TZ, now=NOW)
        assert draft.ok and draft.schedule is not None, (request, draft.question)
        assert _weekdays_of(draft.schedule) == days - set(taken), request


def test_a_shift_without_its_amount_is_asked_about() -> None:
    auto = _automation(Base(cron="30 8 * * 1-5"))
    for said in ("later", "a bit earlier", "make it a little later", "sooner please"):
        with pytest.raises(InvalidInput, match="by how much"):
            changes_in_words(auto, said, NOW)
