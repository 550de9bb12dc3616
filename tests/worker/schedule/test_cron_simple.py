"""Simple cron expressions' next times, computed without croniter, against croniter itself
(naive wall times) and against croniter's walls mapped through zoneinfo (DST gaps and folds)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter

from worker.schedule import cron
from worker.schedule.cron_simple import simple_cron, simple_next
from worker.schedule.parse import Schedule, next_fire

ZONES = ("America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "UTC")
#: local days with an offset change in ZONES, 2026-2027
TRANSITIONS = (
    datetime(2026, 3, 8), datetime(2026, 11, 1), datetime(2026, 3, 29), datetime(2026, 10, 25),
    datetime(2026, 4, 5), datetime(2026, 10, 4), datetime(2026, 9, 6), datetime(2027, 3, 14),
)  # fmt: skip


def _field(rng: random.Random, hi: int) -> str:
    shape = rng.randrange(6)
    if shape == 0:
        return "*"
    if shape == 1:
        return f"*/{rng.randint(1, hi)}"
    if shape == 2:
        lo = rng.randint(0, hi - 1)
        return f"{lo}-{rng.randint(lo + 1, hi)}" + (
            f"/{rng.randint(1, 9)}" if rng.random() < 0.3 else ""
        )
    return ",".join(str(v) for v in rng.sample(range(hi + 1), rng.randint(1, 3)))


def _weekday_field(rng: random.Random) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        return "*"
    if shape == 1:
        lo = rng.randint(0, 5)
        return f"{lo}-{rng.randint(lo + 1, 6)}"
    return ",".join(str(v) for v in rng.sample(range(8), rng.randint(1, 3)))


def _expression(rng: random.Random, hourly: bool = False) -> str:
    hours = "*" if hourly else _field(rng, 23).replace("*", "0-23", 1)  # "*": runs on absolute time
    return f"{_field(rng, 59)} {hours} * * {_weekday_field(rng)}"


def _instant(rng: random.Random) -> datetime:
    base = rng.choice(TRANSITIONS) if rng.random() < 0.7 else datetime(2026, 1, 1)
    return base + timedelta(
        seconds=rng.randint(-3 * 86400, 3 * 86400), microseconds=rng.choice((0, 1, 500_000))
    )


def test_simple_next_is_croniters_next() -> None:
    rng = random.Random(11)
    for _ in range(1500):
        machine = _expression(rng, hourly=rng.random() < 0.2)
        simple = simple_cron(machine)
        assert simple is not None, machine
        start = _instant(rng)
        expected = croniter(machine, start).get_next(datetime)
        assert simple_next(simple, start) == expected, (machine, start)


@pytest.mark.parametrize(
    "machine",
    [
        "0 9 1 * *",
        "0 9 * 6 *",
        "0 9 * * MON",
        "0 9 * * 1#2",
        "0 9 * * 5L",
        "5/15 * * * *",
        "0 9 L * *",
        "5-5 9 * * *",
        "0 9 * * 5-5",
    ],
)
def test_other_expressions_go_to_croniter(machine: str) -> None:
    assert simple_cron(machine) is None


def _mapped_walls(machine: str, zone: ZoneInfo, after: datetime) -> datetime:
    """The earliest wall time croniter lists from three hours before, read in `zone` (a time in a
    gap as the offset before it, a time in a fold as its first occurrence), after `after`."""
    it = croniter(machine, after.astimezone(zone).replace(tzinfo=None) - timedelta(hours=3))
    found: list[datetime] = []
    while True:
        wall = it.get_next(datetime)
        # offsets differ by less than three hours: a later wall maps later than the earliest
        if found and wall > min(found).astimezone(zone).replace(tzinfo=None) + timedelta(hours=3):
            break
        instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if instant > after:
            found.append(instant)
    return min(found)


def test_next_fire_across_dst_is_croniters_walls_in_the_zone() -> None:
    rng = random.Random(12)
    for _ in range(300):
        machine = _expression(rng)
        zone = rng.choice(ZONES)
        after = _instant(rng).replace(tzinfo=UTC)
        got = next_fire(Schedule("cron", machine, zone), after)
        assert got == _mapped_walls(machine, ZoneInfo(zone), after), (machine, zone, after)


def test_hourly_next_fire_is_the_croniter_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(13)
    cases = [(_expression(rng, hourly=True), rng.choice(ZONES), _instant(rng)) for _ in range(200)]
    fast = [next_fire(Schedule("cron", m, z), a.replace(tzinfo=UTC)) for m, z, a in cases]
    monkeypatch.setattr(cron, "simple_cron", lambda machine: None)
    slow = [next_fire(Schedule("cron", m, z), a.replace(tzinfo=UTC)) for m, z, a in cases]
    assert fast == slow
