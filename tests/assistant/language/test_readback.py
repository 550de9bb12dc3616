"""Read-back round trip: every schedule the product prints in words (its own English for RRULEs,
cron-descriptor's for cron) reads back, through the same parser, to the same fire times. Random
schedules within the vocabulary the parser compiles to, in several zones, across daylight-saving
changes; the seed is fixed so a failure repeats."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from assistant.language import understand
from assistant.language.recurrence import Rule, compile_rule
from worker.schedule.describe import describe
from worker.schedule.parse import Schedule, next_fires, parse_schedule

ZONES = ("America/Los_Angeles", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "UTC")
CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SEED = 20261129
CASES = 1000


def _days(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return "*"
    if roll < 0.5:
        return "1-5"
    if roll < 0.6:
        a = rng.randint(0, 4)
        return f"{a}-{rng.randint(a + 1, 6)}"
    return ",".join(map(str, sorted(rng.sample(range(7), rng.randint(1, 3)))))


def _months(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.75:
        return "*"
    if roll < 0.85:
        a = rng.randint(1, 9)
        return f"{a}-{rng.randint(a + 1, 12)}"
    return ",".join(map(str, sorted(rng.sample(range(1, 13), rng.randint(1, 3)))))


def random_cron(rng: random.Random) -> str:
    minute = rng.choice([0, 0, 15, 30, 45, 5])
    hours = ",".join(map(str, sorted(rng.sample(range(24), rng.choice([1, 1, 1, 2])))))
    kind = rng.choice(["days", "days", "monthdays", "nth", "last", "minutes", "hours", "past"])
    if kind == "minutes":
        step = rng.choice([1, 2, 5, 10, 15, 20, 30])
        span = rng.choice(["*", "*", "9-17", "8-16"])
        return f"{'*' if step == 1 else f'*/{step}'} {span} * {_months(rng)} {_days(rng)}"
    if kind == "hours":
        a = rng.choice([8, 9, 10])
        return f"0 {a}-{rng.choice([16, 17, 18])}/{rng.choice([2, 3, 4])} * * {_days(rng)}"
    if kind == "past":
        return f"{rng.choice([5, 10, 20, 30, 45])} * * {_months(rng)} {_days(rng)}"
    if kind == "monthdays":
        days = ",".join(map(str, sorted(rng.sample(range(1, 29), rng.randint(1, 2)))))
        return f"{minute} {hours} {days} {_months(rng)} *"
    if kind == "nth":
        return f"{minute} {hours} * {_months(rng)} {rng.randint(0, 6)}#{rng.randint(1, 4)}"
    if kind == "last":
        return f"{minute} {hours} * {_months(rng)} {rng.randint(0, 6)}L"
    return f"{minute} {hours} * {_months(rng)} {_days(rng)}"


def random_rule(rng: random.Random, today: date) -> Rule:
    hours = sorted(rng.sample(range(24), rng.choice([1, 1, 2])))
    common: dict[str, Any] = {"hours": hours, "minute": rng.choice([0, 15, 30, 45])}
    kind = rng.choice(["daily", "weekly", "monthday", "nth", "setpos", "yearly", "last"])
    if kind == "daily":
        rule = Rule("DAILY", interval=rng.randint(1, 9), **common)
    elif kind == "weekly":
        days = sorted(rng.sample(CODES, rng.randint(1, 3)), key=CODES.index)
        rule = Rule("WEEKLY", interval=rng.randint(1, 4), days=days, **common)
    elif kind == "monthday":
        month_days = sorted(rng.sample(range(1, 29), rng.randint(1, 2)))
        rule = Rule(
            "MONTHLY", interval=rng.choice([1, 2, 3, 4, 6]), month_days=month_days, **common
        )
    elif kind == "last":
        rule = Rule("MONTHLY", month_days=[-rng.randint(1, 3)], **common)
    elif kind == "nth":
        code = rng.choice(CODES)
        nths = rng.choice([[1], [2], [-1], [-2], [1, 3], [2, 4]])
        rule = Rule("MONTHLY", days=[f"{n}{code}" for n in nths], **common)
    elif kind == "setpos":
        rule = Rule("MONTHLY", days=list(CODES[:5]), setpos=rng.choice([1, 2, -1]), **common)
    else:
        month = rng.randint(1, 12)
        rule = Rule("YEARLY", interval=rng.choice([1, 2]), months=[month], **common)
        rule.month_days = [rng.randint(1, 28)]
    if kind in ("daily", "weekly", "nth", "monthday") and rng.random() < 0.2:
        rule.months = sorted(rng.sample(range(1, 13), rng.randint(2, 8)))
    roll = rng.random()
    if roll < 0.15:
        rule.count = rng.randint(2, 20)
    elif roll < 0.3:
        rule.until = today + timedelta(days=rng.randint(60, 900))
    elif roll < 0.4:
        rule.start = today + timedelta(days=rng.randint(-300, 200))
    return rule


def _schedules() -> list[tuple[Schedule, datetime]]:
    rng = random.Random(SEED)
    out: list[tuple[Schedule, datetime]] = []
    while len(out) < CASES:
        tz = rng.choice(ZONES)
        now = datetime(2026, 1, 10, tzinfo=UTC) + timedelta(minutes=rng.randrange(700 * 24 * 60))
        if rng.random() < 0.5:
            schedule = parse_schedule(cron=random_cron(rng), tz=tz)
        else:
            today = now.date()
            try:
                schedule = compile_rule(random_rule(rng, today), tz, now)
            except Exception:  # a random end before the first fire: not a schedule
                continue
        if next_fires(schedule, now, 1):
            out.append((schedule, now))
    return out


def test_every_read_back_parses_back_to_the_same_fire_times() -> None:
    failures: list[str] = []
    for schedule, now in _schedules():
        words = describe(schedule)
        draft = understand(f"Send me my pipeline report {words}", tz="UTC", now=now)
        expected = next_fires(schedule, now, 8)
        if not draft.ok:
            failures.append(f"{words!r} at {now:%Y-%m-%d %H:%M}Z: asked {draft.question!r}")
        elif draft.tz != schedule.tz or draft.fires(now, 8) != expected:
            failures.append(
                f"{words!r} at {now:%Y-%m-%d %H:%M}Z: read as {draft.trigger_words()!r}"
            )
    assert not failures, f"{len(failures)} of {CASES} (seed {SEED}):\n" + "\n".join(failures[:30])


@pytest.mark.parametrize(
    "words",
    [
        "Every 2 weeks on Tuesday at 10:00, starting March 3, 2026 (America/Los_Angeles)",
        "Every 6 months on the 10th at 09:00, only in January, April, July and October, "
        "starting April 10, 2026 (Europe/London)",
    ],
)
def test_an_interval_read_back_keeps_its_weeks_and_months(words: str) -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    first = understand(f"Send me my pipeline report {words}", tz="UTC", now=now)
    again = understand(f"Send me my pipeline report {first.trigger_words()}", tz="UTC", now=now)
    assert first.ok and again.ok
    assert first.fires(now, 6) == again.fires(now, 6)
