"""A phrase generator for schedules: a small grammar draws a structured schedule (times, days,
dates, intervals, windows, months, counts, ends, starts) and writes it in one of several surface
forms (abbreviations, "3p", "9 o'clock", "the 2nd", "second", word order). Its true fire times
come from the structure alone (truth.py)."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.kit.language.truth import Spec, truth

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = tuple(calendar.month_name)[1:]
ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
)
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


@dataclass(frozen=True)
class Phrase:
    text: str
    spec: Spec
    tz: str
    now: datetime
    request: str = ""  # the words saying what to do, as they appear in `text`


# --- surface forms -------------------------------------------------------------------------


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _time(rng: random.Random, hour: int, minute: int) -> str:
    h12 = hour % 12 or 12
    ampm = "am" if hour < 12 else "pm"
    forms = [f"{h12}:{minute:02d}{ampm}", f"{h12}:{minute:02d} {ampm}", f"{hour:02d}:{minute:02d}"]
    forms += [f"{h12}.{minute:02d}{ampm}", f"{h12}:{minute:02d} {ampm.upper()}"]
    if 17 <= hour <= 20 and minute == 0:
        forms += [f"{h12} in the evening"]
    if minute == 15 and 13 <= hour <= 18:
        forms += [f"quarter past {h12} in the afternoon"]
    if minute == 0:
        forms += [f"{h12}{ampm}", f"{h12} {ampm}", f"{h12}{ampm[0]}", f"{h12} {ampm[0]}.m."]
        if 8 <= hour <= 11:
            forms += [f"{hour} o'clock", f"{hour} in the morning"]
        if 13 <= hour <= 18:
            forms += [f"{h12} in the afternoon"]
        if hour == 12:
            forms += ["noon", "midday"]
    if minute == 30 and 13 <= hour <= 18:
        forms += [f"half past {h12} in the afternoon"]
    return rng.choice(forms)


def _times(rng: random.Random, times: tuple[tuple[int, int], ...]) -> str:
    return " and ".join(_time(rng, h, m) for h, m in times)


def _part_before(rng: random.Random, times: tuple[tuple[int, int], ...]) -> str | None:
    """ "in the afternoon at 2:30 and 4:30": one part of the day written before the clocks it
    belongs to (None when the times are not all in one part of the day)."""
    parts = {
        "in the morning" if 5 <= h <= 11 else "in the afternoon" if 13 <= h <= 17 else ""
        for h, _ in times
    }
    if len(parts) != 1 or "" in parts:
        return None
    clocks = [
        f"{h % 12 or 12}" if m == 0 and rng.random() < 0.5 else f"{h % 12 or 12}:{m:02d}"
        for h, m in times
    ]
    return f"{parts.pop()}{rng.choice(['', ','])} at " + " and ".join(clocks)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _day(rng: random.Random, day: int, plural: bool) -> str:
    name = DAY_NAMES[day]
    if plural:
        return rng.choice([name + "s", name.lower() + "s"])
    return rng.choice([name, name.lower(), name[:3]])


def _count(rng: random.Random, n: int) -> str:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 10: "ten", 20: "twenty"}
    return words[n] if n in words and rng.random() < 0.3 else str(n)


def _days(rng: random.Random, days: tuple[int, ...]) -> str:
    if days == (0, 1, 2, 3, 4):
        return rng.choice(["weekdays", "every weekday", "Monday to Friday", "on weekdays"])
    if days == (5, 6):
        return rng.choice(["weekends", "on weekends", "every Saturday and Sunday"])
    run = len(days) >= 3 and days == tuple(range(days[0], days[0] + len(days)))
    if run and rng.random() < 0.6:
        a, b = DAY_NAMES[days[0]], DAY_NAMES[days[-1]]
        return rng.choice([f"{a}s through {b}s", f"{a} to {b}", f"{a[:3]}-{b[:3]}"])
    if len(days) >= 4 and days[:-1] == tuple(range(days[0], days[0] + len(days) - 1)):
        a, b = DAY_NAMES[days[0]], DAY_NAMES[days[-2]]
        return f"{a}s through {b}s and {DAY_NAMES[days[-1]]}s"
    if rng.random() < 0.15 and len(days) > 1:
        return rng.choice(["", "on ", "every "]) + "/".join(DAY_NAMES[d][:3] for d in days)
    if rng.random() < 0.5:
        return rng.choice(["every ", "each "]) + _join([_day(rng, d, False) for d in days])
    prefix = rng.choice(["on ", "", "only on "]) if len(days) == 1 else rng.choice(["on ", ""])
    return prefix + _join([_day(rng, d, True) for d in days])


def _month_limit(rng: random.Random, spec: Spec) -> str:
    months = spec.months
    if not months:
        return ""
    if len(months) == 1:
        return rng.choice(
            [f"only in {MONTH_NAMES[months[0] - 1]}", f"in {MONTH_NAMES[months[0] - 1]}"]
        )
    missing = [m for m in range(1, 13) if m not in months]
    if len(missing) <= 2:
        return "except in " + _join([MONTH_NAMES[m - 1] for m in missing])
    first = months[0]
    ordered = [((first - 1 + i) % 12) + 1 for i in range(len(months))]
    if sorted(ordered) == sorted(months):
        a, b = MONTH_NAMES[ordered[0] - 1], MONTH_NAMES[ordered[-1] - 1]
        return rng.choice([f"from {a} to {b}", f"from {a} through {b}", f"{a} through {b}"])
    return "only in " + _join([MONTH_NAMES[m - 1] for m in months])


def _date_words(rng: random.Random, day: date, with_year: bool) -> str:
    month = MONTH_NAMES[day.month - 1]
    year = f", {day.year}" if with_year else ""
    return rng.choice(
        [
            f"{month} {day.day}{year}",
            f"{month} {_ordinal(day.day)}{year}",
            f"{day.day} {month}{year}",
        ]
    )


def _ends(rng: random.Random, spec: Spec, now: datetime, zone: ZoneInfo) -> tuple[Spec, str]:
    roll = rng.random()
    today = now.astimezone(zone).date()
    if roll < 0.08:
        n = rng.randint(2, 12)
        return replace(spec, count=n), rng.choice(
            [f"{n} times", f"for {n} times", f"for {n} occurrences"]
        )
    if roll < 0.16:
        n = rng.randint(2, 10)
        return replace(spec, weeks_for=n), f"for {n} weeks"
    if roll < 0.24:
        until = today + timedelta(days=rng.randint(40, 400))
        words = _date_words(rng, until, with_year=True)
        return replace(spec, until=until), rng.choice([f"until {words}", f"through {words}"])
    if roll < 0.30:
        start = today + timedelta(days=rng.randint(3, 120))
        words = _date_words(rng, start, with_year=False)
        return replace(spec, start=start), rng.choice([f"starting {words}", f"from {words} on"])
    return spec, ""


def _months(rng: random.Random) -> tuple[int, ...]:
    roll = rng.random()
    if roll < 0.4:
        return (rng.randint(1, 12),)
    if roll < 0.7:
        first, length = rng.randint(1, 12), rng.randint(3, 8)
        return tuple(((first - 1 + i) % 12) + 1 for i in range(length))
    gone = rng.sample(range(1, 13), rng.randint(1, 2))
    return tuple(m for m in range(1, 13) if m not in gone)


def _pick_times(rng: random.Random) -> tuple[tuple[int, int], ...]:
    hour = rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 2, 7])
    minute = rng.choice([0, 0, 0, 0, 15, 30, 45])
    if hour in (2, 7) and minute == 0:
        hour += 12 if hour == 7 else 0
    if rng.random() < 0.12:
        other = rng.choice([h for h in (8, 10, 12, 14, 16, 17) if h != hour])
        return tuple(sorted({(hour, minute), (other, minute)}))
    return ((hour, minute),)


def _wall_phrase(rng: random.Random, zone: ZoneInfo, now: datetime) -> tuple[Spec, list[str]]:
    """A wall-clock schedule and its pieces (joined in some order by the caller)."""
    times = _pick_times(rng)
    said_time = rng.random() < 0.9
    if not said_time:
        times = ((9, 0),)
    at = ("at " + _times(rng, times)) if said_time else ""
    if said_time and rng.random() < 0.08:
        at = _part_before(rng, times) or at
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
        words = [_days(rng, days)]
    elif kind == "every_days":
        n = rng.randint(2, 10)
        spec = Spec("days", times, unit="day", interval=n)
        words = [
            "every other day" if n == 2 and rng.random() < 0.5 else f"every {_count(rng, n)} days"
        ]
    elif kind in ("every_weeks", "weekly"):
        n = 1 if kind == "weekly" else rng.choice([2, 2, 3, 4])
        day = rng.randrange(7)
        named = kind == "every_weeks" or rng.random() < 0.5
        spec = Spec("days", times, days=(day if named else 0,), unit="week", interval=n)
        every = {
            1: rng.choice(["every week", "weekly"]),
            2: rng.choice(["every other week", "every 2 weeks", "biweekly", "fortnightly"]),
        }.get(n, f"every {_count(rng, n)} weeks")
        words = [every + (f" on {_day(rng, day, False)}" if named else "")]
        if named and n == 2 and rng.random() < 0.4:
            words = [f"every other {_day(rng, day, False)}"]
    elif kind == "monthday":
        days = tuple(sorted(rng.sample(range(1, 29), rng.choice([1, 1, 2]))))
        spec = Spec("monthday", times, monthdays=days)
        said = _join(["the " + _ordinal(d) for d in days])
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
        said = _join(
            [
                (
                    "second to last"
                    if n == -2
                    else rng.choice([ORDINAL_WORDS[n], _ordinal(n)])
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
                    f"every {m} {_ordinal(dom)}",
                    f"every year on {m} {dom}",
                    f"annually on {dom} {m}",
                    f"each {m} {_ordinal(dom)}",
                    f"on the {_ordinal(dom)} of {m} every year",
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
            words = [f"every other quarter on the {_ordinal(dom)}"]
            return spec, [w for w in (*words, at) if w]
        spec = Spec("monthday", times, monthdays=(dom,), unit="month", interval=n)
        every = (
            "every other month"
            if n == 2 and rng.random() < 0.5
            else f"every {_count(rng, n)} months"
        )
        words = [every + (f" on the {_ordinal(dom)}" if dom != 1 or rng.random() < 0.5 else "")]
    if kind in ("daily", "days", "monthday", "nth", "last") and rng.random() < 0.2:
        spec = replace(spec, months=_months(rng))
        words.append(_month_limit(rng, spec))
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
        }.get(step, f"every {_count(rng, step)} {rng.choice(['minutes', 'mins'])}")
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
            spec, end = _ends(rng, spec, now, zone)
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
