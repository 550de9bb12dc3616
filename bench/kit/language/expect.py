"""An independent expectation for the request table: the fire times a schedule written in a small
notation should have, found by brute force over calendar days and minutes with zoneinfo only (no
croniter, no dateutil), applying the DST rules directly.

Notation (space-separated; all times are local wall times in the case's zone):
  at HH:MM[,HH:MM...]   with one of: daily | on MO,TH | on MO-FR | monthday 1,15 | monthday last
                        | nth 1 MO | nth -1 FR | nth 1 WD | yearly MM-DD
                        optional: months 1,4,7 | every N weeks from YYYY-MM-DD
  once YYYY-MM-DDTHH:MM
  every N min [hours A-B] [on MO-FR] [from YYYY-MM-DDTHH:MM]   absolute time
  poll N                                                       now + k*N minutes
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _days(spec: str) -> set[int]:
    if "-" in spec:
        a, b = spec.split("-")
        return set(range(CODES.index(a), CODES.index(b) + 1))
    return {CODES.index(d) for d in spec.split(",")}


def _wall(zone: ZoneInfo, day: date, hour: int, minute: int) -> datetime:
    """RFC 5545 3.3.5: a time in a gap takes the offset before it; a repeated time its first."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)


def _matches_day(day: date, opts: dict[str, str]) -> bool:
    if "months" in opts and day.month not in {int(m) for m in opts["months"].split(",")}:
        return False
    if "on" in opts and day.weekday() not in _days(opts["on"]):
        return False
    if "monthday" in opts:
        last = calendar.monthrange(day.year, day.month)[1]
        wanted = {last if d == "last" else int(d) for d in opts["monthday"].split(",")}
        if day.day not in wanted:
            return False
    if "nth" in opts:
        nth_text, code = opts["nth"].split()
        nth = int(nth_text)
        if code == "WD":
            weekdays = [
                d
                for d in range(1, calendar.monthrange(day.year, day.month)[1] + 1)
                if date(day.year, day.month, d).weekday() < 5
            ]
            return day.day == (weekdays[nth - 1] if nth > 0 else weekdays[-1])
        if day.weekday() != CODES.index(code):
            return False
        if nth > 0 and (day.day - 1) // 7 + 1 != nth:
            return False
        if nth < 0 and day.day + 7 <= calendar.monthrange(day.year, day.month)[1]:
            return False
    if "yearly" in opts:
        month, dom = (int(x) for x in opts["yearly"].split("-"))
        if (day.month, day.day) != (month, dom):
            return False
    if "weeks" in opts:
        step, start = opts["weeks"].split()
        first = date.fromisoformat(start)
        monday = first - timedelta(days=first.weekday())
        weeks = (day - monday).days // 7
        if day < first or weeks % int(step):
            return False
    return True


def _options(words: list[str]) -> dict[str, str]:
    opts: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("daily",):
            i += 1
        elif word == "nth":
            opts["nth"] = f"{words[i + 1]} {words[i + 2]}"
            i += 3
        elif word == "every" and words[i + 2] == "weeks":
            opts["weeks"] = f"{words[i + 1]} {words[i + 4]}"
            i += 5
        else:
            opts[word] = words[i + 1]
            i += 2
    return opts


def expected_fires(spec: str, tz: str, now: datetime, count: int = 5) -> list[datetime]:
    zone = ZoneInfo(tz)
    words = spec.split()
    out: list[datetime] = []
    if words[0] == "poll":
        return [now + timedelta(minutes=int(words[1]) * (k + 1)) for k in range(count)]
    if words[0] == "once":
        at = datetime.fromisoformat(words[1])
        return [_wall(zone, at.date(), at.hour, at.minute)]
    if words[0] == "every":
        step = int(words[1])
        opts = _options(words[3:])
        if "from" in opts:
            start = datetime.fromisoformat(opts["from"]).replace(tzinfo=zone).astimezone(UTC)
            k = (now - start) // timedelta(minutes=step) + 1
            return [start + timedelta(minutes=step) * (k + i) for i in range(count)]
        t = now.replace(second=0, microsecond=0)
        while len(out) < count:
            t += timedelta(minutes=1)
            local = t.astimezone(zone)
            minute_of_day = local.hour * 60 + local.minute
            if step <= 60 and minute_of_day % step:
                continue
            if "hours" in opts:
                a, b = (int(x) for x in opts["hours"].split("-"))
                if not a <= local.hour <= b:
                    continue
            if "on" in opts and local.weekday() not in _days(opts["on"]):
                continue
            out.append(t)
        return out
    assert words[0] == "at", spec
    times = [tuple(int(x) for x in hm.split(":")) for hm in words[1].split(",")]
    opts = _options(words[2:])
    day = now.astimezone(zone).date() - timedelta(days=1)
    for _ in range(366 * 30):
        if _matches_day(day, opts):
            for hour, minute in sorted(times):
                instant = _wall(zone, day, hour, minute)
                if instant > now and instant not in out:
                    out.append(instant)
        if len(out) >= count:
            return out[:count]
        day += timedelta(days=1)
    return out
