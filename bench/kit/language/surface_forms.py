"""How the phrase generator writes a schedule's parts, each in one of several surface forms:
times ("3p", "9 o'clock", "15:00"), days and their runs, counts, ordinals ("the 2nd", "second"),
months, dates and ends ("for 3 weeks", "until March 3rd"); and the draws of times and months."""

from __future__ import annotations

import calendar
import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.kit.language.truth import Spec

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = tuple(calendar.month_name)[1:]
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def ordinal(n: int) -> str:
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


def times_said(rng: random.Random, times: tuple[tuple[int, int], ...]) -> str:
    return " and ".join(_time(rng, h, m) for h, m in times)


def part_before(rng: random.Random, times: tuple[tuple[int, int], ...]) -> str | None:
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


def joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def day_said(rng: random.Random, day: int, plural: bool) -> str:
    name = DAY_NAMES[day]
    if plural:
        return rng.choice([name + "s", name.lower() + "s"])
    return rng.choice([name, name.lower(), name[:3]])


def count_said(rng: random.Random, n: int) -> str:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 10: "ten", 20: "twenty"}
    return words[n] if n in words and rng.random() < 0.3 else str(n)


def days_said(rng: random.Random, days: tuple[int, ...]) -> str:
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
        return rng.choice(["every ", "each "]) + joined([day_said(rng, d, False) for d in days])
    prefix = rng.choice(["on ", "", "only on "]) if len(days) == 1 else rng.choice(["on ", ""])
    return prefix + joined([day_said(rng, d, True) for d in days])


def month_limit(rng: random.Random, spec: Spec) -> str:
    months = spec.months
    if not months:
        return ""
    if len(months) == 1:
        return rng.choice(
            [f"only in {MONTH_NAMES[months[0] - 1]}", f"in {MONTH_NAMES[months[0] - 1]}"]
        )
    missing = [m for m in range(1, 13) if m not in months]
    if len(missing) <= 2:
        return "except in " + joined([MONTH_NAMES[m - 1] for m in missing])
    first = months[0]
    ordered = [((first - 1 + i) % 12) + 1 for i in range(len(months))]
    if sorted(ordered) == sorted(months):
        a, b = MONTH_NAMES[ordered[0] - 1], MONTH_NAMES[ordered[-1] - 1]
        return rng.choice([f"from {a} to {b}", f"from {a} through {b}", f"{a} through {b}"])
    return "only in " + joined([MONTH_NAMES[m - 1] for m in months])


def _date_words(rng: random.Random, day: date, with_year: bool) -> str:
    month = MONTH_NAMES[day.month - 1]
    year = f", {day.year}" if with_year else ""
    return rng.choice(
        [
            f"{month} {day.day}{year}",
            f"{month} {ordinal(day.day)}{year}",
            f"{day.day} {month}{year}",
        ]
    )


def ends_said(rng: random.Random, spec: Spec, now: datetime, zone: ZoneInfo) -> tuple[Spec, str]:
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


def pick_months(rng: random.Random) -> tuple[int, ...]:
    roll = rng.random()
    if roll < 0.4:
        return (rng.randint(1, 12),)
    if roll < 0.7:
        first, length = rng.randint(1, 12), rng.randint(3, 8)
        return tuple(((first - 1 + i) % 12) + 1 for i in range(length))
    gone = rng.sample(range(1, 13), rng.randint(1, 2))
    return tuple(m for m in range(1, 13) if m not in gone)


def pick_times(rng: random.Random) -> tuple[tuple[int, int], ...]:
    hour = rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 2, 7])
    minute = rng.choice([0, 0, 0, 0, 15, 30, 45])
    if hour in (2, 7) and minute == 0:
        hour += 12 if hour == 7 else 0
    if rng.random() < 0.12:
        other = rng.choice([h for h in (8, 10, 12, 14, 16, 17) if h != hour])
        return tuple(sorted({(hour, minute), (other, minute)}))
    return ((hour, minute),)
