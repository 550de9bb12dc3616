"""A phrase generator for schedules: a small grammar draws a structured schedule (times, days,
dates, intervals, windows, months, counts, ends, starts) and writes it in one of several surface
forms (abbreviations, "3p", "9 o'clock", "the 2nd", "second", word order). Its true fire times
come from the structure alone (truth.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.kit.language.surface_forms import (
    DAY_NAMES,
    MONTH_NAMES,
    ORDINAL_WORDS,
    count_said,
    day_said,
    days_said,
    ends_said,
    joined,
    month_limit,
    ordinal,
    part_before,
    pick_months,
    pick_times,
    times_said,
)
from bench.kit.language.truth import Spec, truth

ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
)


@dataclass(frozen=True)
class Phrase:
    text: str
    spec: Spec
    tz: str
    now: datetime
    request: str = ""  # the words saying what to do, as they appear in `text`


def _wall_phrase(rng: random.Random, zone: ZoneInfo, now: datetime) -> tuple[Spec, list[str]]:
    """A wall-clock schedule and its pieces (joined in some order by the caller)."""
    times = pick_times(rng)
    said_time = rng.random() < 0.9
    if not said_time:
        times = ((9, 0),)
    at = ("at " + times_said(rng, times)) if said_time else ""
    if said_time and rng.random() < 0.08:
        at = part_before(rng, times) or at
    kind = rng.choices(
        [
            "daily",
            "days",
            "every_days",
            "every_weeks",
            "monthday",
            "last",
            "nth",
            "yearly",
            "yearly_nth",
            "every_months",
            "weekly",
        ],
        weights=[10, 16, 6, 8, 10, 5, 9, 6, 4, 6, 3],
    )[0]
    spec: Spec
    words: list[str]
    if kind == "daily":
        spec = Spec("days", times)
        words = [rng.choice(["every day", "daily", "each day"])]
    elif kind == "days":
        k = rng.choice([1, 1, 2, 3, 5, 5, 4])
        if k == 5:
            days: tuple[int, ...] = (0, 1, 2, 3, 4)
        elif k == 4:
            days = (1, 2, 3, 4, 6) if rng.random() < 0.5 else tuple(sorted(rng.sample(range(7), 4)))
        else:
            days = tuple(sorted(rng.sample(range(7), k)))
        spec = Spec("days", times, days=days)
        words = [days_said(rng, days)]
    elif kind == "every_days":
        n = rng.randint(2, 10)
        spec = Spec("days", times, unit="day", interval=n)
        words = [
            "every other day"
            if n == 2 and rng.random() < 0.5
            else f"every {count_said(rng, n)} days"
        ]
    elif kind in ("every_weeks", "weekly"):
        n = 1 if kind == "weekly" else rng.choice([2, 2, 3, 4])
        day = rng.randrange(7)
        named = kind == "every_weeks" or rng.random() < 0.5
        spec = Spec("days", times, days=(day if named else 0,), unit="week", interval=n)
        every = {
            1: rng.choice(["every week", "weekly"]),
            2: rng.choice(["every other week", "every 2 weeks", "biweekly", "fortnightly"]),
        }.get(n, f"every {count_said(rng, n)} weeks")
        words = [every + (f" on {day_said(rng, day, False)}" if named else "")]
        if named and n == 2 and rng.random() < 0.4:
            words = [f"every other {day_said(rng, day, False)}"]
    elif kind == "monthday":
        days = tuple(sorted(rng.sample(range(1, 29), rng.choice([1, 1, 2]))))
        spec = Spec("monthday", times, monthdays=days)
        said = joined(["the " + ordinal(d) for d in days])
        if days == (1,) and rng.random() < 0.3:
            said = "the first"
        words = [
            rng.choice(
                [
                    f"on {said} of every month",
                    f"monthly on {said}",
                    f"{said} of each month",
                    f"every month on {said}",
                ]
            )
        ]
    elif kind == "last":
        back = rng.choice([1, 1, 2, 3])
        spec = Spec("monthday", times, monthdays=(-back,))
        what = "the last day" if back == 1 else f"the {ORDINAL_WORDS[back]} to last day"
        words = [
            rng.choice(
                [f"on {what} of every month", f"{what} of the month", f"{what} of each month"]
            )
        ]
    elif kind == "nth":
        day = rng.randrange(5)
        nths = rng.choice([(1,), (2,), (3,), (4,), (-1,), (-2,), (1, 3), (2, 4)])
        spec = Spec("nth", times, days=(day,), nths=nths)
        said = joined(
            [
                (
                    "second to last"
                    if n == -2
                    else rng.choice([ORDINAL_WORDS[n], ordinal(n)])
                    if n > 0
                    else "last"
                )
                for n in nths
            ]
        )
        words = [
            rng.choice(
                [
                    f"on the {said} {DAY_NAMES[day]} of every month",
                    f"the {said} {DAY_NAMES[day]} of the month",
                    f"every {said} {DAY_NAMES[day]} of the month",
                ]
            )
        ]
    elif kind == "yearly":
        month = rng.randint(1, 12)
        dom = rng.randint(1, 28)
        spec = Spec("yearly", times, month=month, monthdays=(dom,))
        m = MONTH_NAMES[month - 1]
        words = [
            rng.choice(
                [
                    f"every {m} {ordinal(dom)}",
                    f"every year on {m} {dom}",
                    f"annually on {dom} {m}",
                    f"each {m} {ordinal(dom)}",
                    f"on the {ordinal(dom)} of {m} every year",
                ]
            )
        ]
    elif kind == "yearly_nth":
        month, day, nth = rng.randint(1, 12), rng.randrange(5), rng.choice([1, 2, 3, 4, -1])
        spec = Spec("yearly_nth", times, days=(day,), nths=(nth,), month=month)
        said = f"{ORDINAL_WORDS[nth]} {DAY_NAMES[day]} in {MONTH_NAMES[month - 1]}"
        words = [rng.choice([f"the {said} every year", f"every year on the {said}"])]
        if nth != 2:
            words.append(f"every {said}")
            words = [rng.choice(words)]
    else:
        n = rng.choice([2, 3, 4, 6, 6])
        dom = rng.choice([1, 1, 5, 10, 15, 20])
        if n == 6 and rng.random() < 0.5:
            quarter_months = tuple(m for m in (1, 4, 7, 10))
            spec = Spec(
                "monthday", times, monthdays=(dom,), unit="month", interval=6, months=quarter_months
            )
            words = [f"every other quarter on the {ordinal(dom)}"]
            return spec, [w for w in (*words, at) if w]
        spec = Spec("monthday", times, monthdays=(dom,), unit="month", interval=n)
        every = (
            "every other month"
            if n == 2 and rng.random() < 0.5
            else f"every {count_said(rng, n)} months"
        )
        words = [every + (f" on the {ordinal(dom)}" if dom != 1 or rng.random() < 0.5 else "")]
    if kind in ("daily", "days", "monthday", "nth", "last") and rng.random() < 0.2:
        spec = replace(spec, months=pick_months(rng))
        words.append(month_limit(rng, spec))
    return spec, [w for w in (*words, at) if w]


def _interval_phrase(rng: random.Random) -> tuple[Spec, list[str]]:
    kind = rng.choice(["minutes", "minutes", "hours", "hour_at"])
    days: tuple[int, ...] = (0, 1, 2, 3, 4) if rng.random() < 0.4 else ()
    on = [rng.choice(["on weekdays", "Monday to Friday"])] if days else []
    if kind == "hour_at":
        minute = rng.choice([5, 10, 15, 20, 30, 45])
        spec = Spec("hour_at", days=days, minute=minute)
        return spec, [
            rng.choice(
                [
                    f"at {minute} past every hour",
                    f"every hour at {minute} past",
                    f"hourly at :{minute:02d}",
                    f"at {minute} minutes past each hour",
                ]
            ),
            *on,
        ]
    window = (rng.choice([8, 9, 10]), rng.choice([16, 17, 18])) if rng.random() < 0.4 else None
    between = []
    if window:
        a, b = window
        between = [
            rng.choice(
                [
                    f"between {a}am and {b - 12}pm",
                    f"from {a} to {b - 12}",
                    f"from {a}am to {b - 12}pm",
                ]
            )
        ]
    if kind == "minutes":
        step = rng.choice([2, 5, 10, 15, 20, 30])
        spec = Spec("minutes", step=step, window=window, days=days)
        said = {
            2: "every other minute",
            15: rng.choice(["every 15 minutes", "every quarter hour"]),
            30: rng.choice(["every 30 minutes", "every half hour"]),
        }.get(step, f"every {count_said(rng, step)} {rng.choice(['minutes', 'mins'])}")
        if step == 2 and rng.random() < 0.5:
            said = "every 2 minutes"
        return spec, [said, *between, *on]
    step = rng.choice([1, 2, 3, 4, 6])
    spec = Spec("hours", step=step, window=window, days=days)
    said = rng.choice(["every hour", "hourly"]) if step == 1 else f"every {step} hours"
    return spec, [said, *between, *on]


_REQUESTS = (
    "send me my pipeline report",
    "email me the sourcing recap",
    "send me a summary of my pipeline",
    "post the pipeline in #hiring",
)


def draw(rng: random.Random) -> Phrase:
    tz = rng.choice(ZONES)
    zone = ZoneInfo(tz)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    now = base + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
    spec, schedule = draw_schedule(rng, zone, now)
    request = rng.choice(_REQUESTS)
    if rng.random() < 0.5:
        request = f"{request[0].upper()}{request[1:]}"
        text = f"{request} {schedule}"
    else:
        text = f"{schedule[0].upper()}{schedule[1:]}, {request}"
    return Phrase(text, spec, tz, now, request)


def draw_schedule(rng: random.Random, zone: ZoneInfo, now: datetime) -> tuple[Spec, str]:
    """A schedule as structure and in words, said at `now` in `zone`."""
    if rng.random() < 0.25:
        spec, pieces = _interval_phrase(rng)
        plain = spec
    else:
        spec, pieces = _wall_phrase(rng, zone, now)
        plain = spec
        if (spec.unit == "day" and spec.interval == 1) or rng.random() < 0.5:
            spec, end = ends_said(rng, spec, now, zone)
            if end:
                pieces.append(end)
    if len(pieces) > 1 and rng.random() < 0.3 and spec == plain:
        pieces = [pieces[-1], *pieces[:-1]]
    return spec, " ".join(pieces)


def corpus(seed: int, size: int) -> list[Phrase]:
    """`size` phrases whose schedule fires at least once (an end before the first fire is a
    different question)."""
    rng = random.Random(seed)
    out: list[Phrase] = []
    while len(out) < size:
        phrase = draw(rng)
        if truth(phrase.spec, phrase.tz, phrase.now, 1):
            out.append(phrase)
    return out
