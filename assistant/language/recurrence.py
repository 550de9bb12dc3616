"""One recurrence in RFC 5545 terms, compiled to the plainest schedule that says it exactly: a
cron expression when cron can, else an RRULE with the DTSTART (anchor) that makes intervals,
counts and starts fire on the days the read-back promises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from models.clock import utc
from models.errors import ScheduleError
from worker.schedule.parse import Schedule, next_fire, parse_schedule

_CRON_DOW = {"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}


@dataclass
class Rule:
    freq: str  # DAILY | WEEKLY | MONTHLY | YEARLY
    hours: list[int]
    minute: int
    interval: int = 1
    days: list[str] = field(default_factory=list)  # BYDAY: "MO", or with an nth "2TH", "-1FR"
    month_days: list[int] = field(default_factory=list)  # BYMONTHDAY, negative from the end
    months: list[int] = field(default_factory=list)  # BYMONTH
    setpos: int | None = None  # BYSETPOS
    count: int | None = None
    until: date | None = None  # inclusive, local
    until_time: tuple[int, int] | None = None  # on the `until` day: up to this minute
    span: relativedelta | None = None  # ends this long after the request
    start: date | None = None  # local

    def body(self, *, bounded: bool = True) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1 and bounded:
            parts.append(f"INTERVAL={self.interval}")
        if self.months:
            parts.append("BYMONTH=" + ",".join(map(str, sorted(self.months))))
        if self.month_days:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.month_days)))
        if self.days:
            parts.append("BYDAY=" + ",".join(self.days))
        if self.setpos is not None:
            parts.append(f"BYSETPOS={self.setpos}")
        parts.append("BYHOUR=" + ",".join(map(str, sorted(self.hours))))
        parts.append(f"BYMINUTE={self.minute}")
        return ";".join(parts)

    def cron(self) -> str | None:
        """The same schedule as cron, when cron can say it."""
        if self.interval > 1 or self.count or self.until or self.span or self.start:
            return None
        if self.setpos is not None:
            return None
        hours = ",".join(map(str, sorted(self.hours)))
        months = ",".join(map(str, sorted(self.months))) or "*"
        nth = [d for d in self.days if len(d) > 2]
        if nth and (len(self.days) > 1 or self.month_days):
            return None
        if any(d < 0 for d in self.month_days) or (self.month_days and self.days):
            return None
        if nth:
            n, code = int(nth[0][:-2]), nth[0][-2:]
            if not (1 <= n <= 5 or n == -1):
                return None
            field_ = f"{_CRON_DOW[code]}#{n}" if n > 0 else f"{_CRON_DOW[code]}L"
            return f"{self.minute} {hours} * {months} {field_}"
        doms = ",".join(map(str, self.month_days)) or "*"
        if self.freq == "YEARLY" and (not self.months or not self.month_days):
            return None
        dow = _dow(self.days) if self.days else "*"
        return f"{self.minute} {hours} {doms} {months} {dow}"


def _dow(days: list[str]) -> str:
    if days == ["MO", "TU", "WE", "TH", "FR"]:
        return "1-5"
    return ",".join(str(_CRON_DOW[d]) for d in days)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return utc(datetime(day.year, day.month, day.day, tzinfo=zone))


def compile_rule(rule: Rule, tz: str, now: datetime) -> Schedule:
    """The schedule, firing first after `now` (and on or after the start day)."""
    cron = rule.cron()
    if cron is not None:
        return parse_schedule(cron=cron, tz=tz)
    zone = ZoneInfo(tz)
    body = rule.body()
    # DTSTART is the first fire (on or after the start day, which may be past): intervals count
    # from it and counts include it
    after = now
    if rule.start is not None:
        after = _local_midnight(rule.start, zone) - timedelta(microseconds=1)
    today = after.astimezone(zone).date()
    plain = parse_schedule(
        rrule=rule.body(bounded=False), tz=tz, anchor=_local_midnight(today, zone)
    )
    anchor = next_fire(plain, after)
    if anchor is None:
        raise ScheduleError("That schedule never fires")
    if rule.count:
        body += f";COUNT={rule.count}"
    elif rule.until is not None:
        hour, minute = rule.until_time or (23, 59)
        body += f";UNTIL={rule.until:%Y%m%d}T{hour:02d}{minute:02d}{59 if rule.until_time is None else 0:02d}"
    elif rule.span is not None:
        end = (now.astimezone(zone) + rule.span).astimezone(ZoneInfo("UTC")).replace(second=0)
        body += f";UNTIL={end:%Y%m%dT%H%M%S}Z"
    return parse_schedule(rrule=body, tz=tz, anchor=anchor)
