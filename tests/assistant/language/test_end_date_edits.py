"""A repeating automation's last day changed in words, generated: schedules (cron and RRULE,
weekly and daily, several zones) by last days (dates, "the 25th", weekday names) said by every
way of asking ("make it run until", "stop it after", "end it on", "the last run is on"). The
expected runs are the old schedule's own runs, walked on, kept while their local day is on or
before the last day: the same runs, cut off, never moved. The words reach the edit from the
chat too, not a pause or a run now; "run it forever" takes the end away."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.conversation.intents import classify
from assistant.language.edits import changes_in_words
from models.errors import InvalidInput
from models.tables.automations import Automation
from worker.schedule.parse import next_fires, parse_schedule

NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)  # a Monday evening
MONTHS = "January February March April May June July August September October November December"
# (cron, rrule, anchored)
SCHEDULES: list[tuple[str | None, str | None, bool]] = [
    ("0 9 * * MON", None, False),
    ("30 8 * * MON-FRI", None, False),
    ("0 7,17 * * *", None, False),
    (None, "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=10;BYMINUTE=15", False),
    (None, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=16;BYMINUTE=0", True),
    (None, "FREQ=DAILY;BYHOUR=6;BYMINUTE=0;COUNT=40", True),
]
ZONES = ("Europe/London", "America/Los_Angeles", "Asia/Tokyo")
ASKED = (
    "make it run until {}",
    "run it until {}",
    "keep it going until {}",
    "stop it after {}",
    "end it on {}",
    "stop sending it after {}",
    "have it end on {}",
    "the last run should be on {}",
    "set an end date of {}",
)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _said(last: date, today: date, n: int) -> str:
    """The last day in words, spelled several ways; only those that name it unambiguously."""
    month = MONTHS.split()[last.month - 1]
    ways = [
        f"{month} {last.day}",
        f"{last.day} {month}",
        f"{month.lower()[:3]} {_ordinal(last.day)}",
    ]
    ways.append(last.isoformat())
    if last.year == today.year:
        ways.append(f"{month} {last.day}, {last.year}")
    first = next(
        today + timedelta(days=i) for i in range(62) if (today + timedelta(days=i)).day == last.day
    )
    if first == last:  # "the 25th" is the next 25th, today's included
        ways.append(f"the {_ordinal(last.day)}")
    if today < last < today + timedelta(days=7):
        ways.append(last.strftime("%A").lower())
    return ways[n % len(ways)]


def _automation(schedule: tuple[str | None, str | None, bool], tz: str) -> Automation:
    """An automation on `schedule`; a cron one carries a first run left from an earlier RRULE
    (after now), which a cron schedule does not use and an end date must not start from."""
    cron, rrule, anchored = schedule
    anchor = datetime(2026, 11, 20, 12, tzinfo=UTC) if anchored else None
    return Automation(
        id=1,
        org_id=1,
        owner_id=1,
        name="Weekly pipeline report",
        skill="pipeline-report",
        cron_expression=cron,
        rrule=rrule,
        schedule_anchor=anchor or (datetime(2026, 12, 9, 7, tzinfo=UTC) if cron else None),
        timezone=tz,
        created_at=NOW,
        updated_at=NOW,
    )


def _runs(cron: str | None, rrule: str | None, tz: str, anchor: datetime | None) -> list[datetime]:
    return next_fires(parse_schedule(cron=cron, rrule=rrule, tz=tz, anchor=anchor), NOW, 60)


# every schedule by every way of asking; the zone turns with them
CASES = [
    (schedule, ZONES[(schedule + asked) % len(ZONES)], asked)
    for schedule, asked in itertools.product(range(len(SCHEDULES)), range(len(ASKED)))
]


@pytest.mark.parametrize(("schedule", "tz", "asked"), CASES)
def test_an_end_date_cuts_the_runs_off_and_keeps_them(schedule: int, tz: str, asked: int) -> None:
    rng = random.Random(f"{schedule}{tz}{asked}")
    auto = _automation(SCHEDULES[schedule], tz)
    today = NOW.astimezone(ZoneInfo(tz)).date()
    before = _runs(auto.cron_expression, auto.rrule, tz, auto.schedule_anchor)
    for n in range(3):
        last = today + timedelta(days=rng.randint(15 if n else 1, 40))
        kept = [r for r in before if r.astimezone(ZoneInfo(tz)).date() <= last]
        request = ASKED[asked].format(_said(last, today, rng.randrange(99)))
        if not kept:
            with pytest.raises(InvalidInput, match="never run again"):
                changes_in_words(auto, request, NOW)
            continue
        changes = changes_in_words(auto, request, NOW)
        assert set(changes) <= {"rrule", "anchor"}, request
        anchor = changes.get("anchor", auto.schedule_anchor)
        after = _runs(None, changes["rrule"], tz, anchor)
        if "COUNT" in (auto.rrule or ""):  # the end date replaces the count
            forever = (auto.rrule or "").replace(";COUNT=40", "")
            kept = [
                r
                for r in _runs(None, forever, tz, anchor)
                if r.astimezone(ZoneInfo(tz)).date() <= last
            ]
        assert after == kept[: len(after)] and len(after) == len(kept), request
        intent = classify(request)
        assert (intent.kind, intent.ref) == ("edit", "it"), request


def test_running_forever_takes_the_end_away() -> None:
    auto = _automation(("0 9 * * MON", None, False), "Europe/London")
    ended = changes_in_words(auto, "end it on december 21", NOW)
    auto.cron_expression, auto.rrule = None, ended["rrule"]
    auto.schedule_anchor = ended["anchor"]
    assert len(_runs(None, auto.rrule, auto.timezone, auto.schedule_anchor)) == 3  # Dec 7, 14, 21
    for said in ("run it forever", "remove the end date", "keep it going indefinitely"):
        assert classify(said).kind == "edit"
        forever = changes_in_words(auto, said, NOW)
        assert len(_runs(None, forever["rrule"], auto.timezone, forever["anchor"])) == 60
    with pytest.raises(InvalidInput, match="already"):
        changes_in_words(auto, "end it on december 21", NOW)


def test_a_one_off_has_no_end_to_change() -> None:
    auto = _automation((None, None, False), "UTC")
    auto.run_once_at = NOW + timedelta(days=3)
    with pytest.raises(InvalidInput, match="no end date"):
        changes_in_words(auto, "end it on friday", NOW)


def test_an_end_said_of_an_automation_named_is_that_automations_edit() -> None:
    auto = _automation(("0 9 * * MON", None, False), "Europe/London")
    for ref, said in itertools.product(
        ("my pipeline report", "the weekly pipeline report", "#3"),
        ("stop {} after the 21st", "end {} on december 21", "make {} run until dec 21st"),
    ):
        intent = classify(said.format(ref))
        assert (intent.kind, intent.ref) == ("edit", ref), (said, intent)
        changes = changes_in_words(auto, intent.rest, NOW)
        assert changes["rrule"].endswith("UNTIL=20261221T235959"), (said, changes)
