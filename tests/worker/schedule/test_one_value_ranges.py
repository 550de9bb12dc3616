"""A range holding one value ("5-5", "FRI-fri", "3-3/5") means that value, as in every cron: a
schedule written with one fires exactly when the same schedule with the bare value does (croniter
alone reads such a range as the whole field, so "0 9 * * 5-5" fired every day)."""

from __future__ import annotations

import random
from datetime import datetime

from worker.schedule.cron import cron_next_naive, normalize_cron

DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


def _fires(expression: str, count: int = 8) -> list[datetime]:
    machine = normalize_cron(expression)[1]
    fires, at = [], datetime(2026, 1, 1)
    for _ in range(count):
        found = cron_next_naive(machine, at)
        assert found is not None
        fires.append(found)
        at = found
    return fires


def test_a_one_value_range_fires_as_its_value() -> None:
    rng = random.Random(7)
    for _ in range(150):
        minute, hour, day = rng.randrange(60), rng.randrange(24), rng.randrange(1, 29)
        month, weekday = rng.randrange(1, 13), rng.randrange(7)
        plain = [str(minute), str(hour), "*", "*", "*"]
        index = rng.randrange(5)
        value = [str(minute), str(hour), str(day), str(month), str(weekday)][index]
        plain[index] = value
        ranged = list(plain)
        if index == 4 and rng.random() < 0.5:
            name = DAYS[weekday]
            plain[4], ranged[4] = name, f"{name}-{name.lower()}"
        else:
            ranged[index] = f"{value}-{value}" + ("/5" if rng.random() < 0.3 else "")
        assert _fires(" ".join(ranged)) == _fires(" ".join(plain)), ranged


def test_friday_only_as_a_range_is_fridays_only() -> None:
    assert {f.strftime("%a") for f in _fires("0 9 * * 5-5")} == {"Fri"}
    # what the user wrote is what they read back
    assert normalize_cron("0 9 * * 5-5")[0] == "0 9 * * 5-5"
