"""How long a pause lasts when the words name a span ("for 3 hours", "next week", "the end of
the month", "January", "the 15th", "5pm"). Each expectation is a property of the instant the
words name, checked on the clock (the start of a local day is the instant whose previous
microsecond falls on another date), not a copy of how the code computes it; the speaker's zone
includes ones whose DST change skips midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.language.bulk_words import bulk_in_words
from assistant.language.until_words import until_in_words
from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.orgs import get_user
from tests.examples import examples

ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/Santiago",  # DST starts at midnight: some local midnights do not exist
    "America/Havana",
    "Asia/Beirut",
    "Australia/Lord_Howe",  # half-hour DST
    "Pacific/Chatham",
    "Asia/Kolkata",
]
MONTHS = "january february march april may june july august september october november december"

instants = st.datetimes(
    min_value=datetime(2021, 1, 1), max_value=datetime(2034, 12, 31), timezones=st.just(UTC)
)
zones = st.sampled_from(ZONES)
until = st.sampled_from(["until ", "till ", "til ", ""])


def starts_a_day(instant: datetime, zone: ZoneInfo) -> bool:
    before = (instant - timedelta(microseconds=1)).astimezone(zone)
    return before.date() < instant.astimezone(zone).date()


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


@settings(max_examples=examples(120), deadline=None)
@given(
    instants,
    zones,
    until,
    st.sampled_from(
        [
            "next week",
            "the end of the week",
            "the end of this week",
            "the rest of the week",
            "after the weekend",
            "the end of the weekend",
        ]
    ),
)
def test_next_week_ends_the_pause_as_next_monday_starts(
    now: datetime, tz: str, prefix: str, words: str
) -> None:
    zone = ZoneInfo(tz)
    end = until_in_words(prefix + words, tz, now)
    assert now < end <= now + timedelta(days=7, hours=2)
    assert end.astimezone(zone).weekday() == 0 and starts_a_day(end, zone)
    # the first Monday after today, not a later one
    assert local_day(end, zone) - local_day(now, zone) <= timedelta(days=7)


@settings(max_examples=examples(80), deadline=None)
@given(instants, zones, until)
def test_the_weekend_starts_on_the_next_saturday(now: datetime, tz: str, prefix: str) -> None:
    zone = ZoneInfo(tz)
    end = until_in_words(prefix + "the weekend", tz, now)
    assert now < end and end.astimezone(zone).weekday() == 5 and starts_a_day(end, zone)
    assert timedelta(days=1) <= local_day(end, zone) - local_day(now, zone) <= timedelta(days=7)


@settings(max_examples=examples(120), deadline=None)
@given(
    instants,
    zones,
    until,
    st.sampled_from(
        ["next month", "the end of the month", "the end of this month", "the rest of the month"]
    ),
)
def test_next_month_ends_the_pause_on_its_first_day(
    now: datetime, tz: str, prefix: str, words: str
) -> None:
    zone = ZoneInfo(tz)
    end = until_in_words(prefix + words, tz, now)
    today, day = local_day(now, zone), local_day(end, zone)
    assert now < end and starts_a_day(end, zone) and day.day == 1
    assert (day.year * 12 + day.month) - (today.year * 12 + today.month) == 1


@settings(max_examples=examples(80), deadline=None)
@given(
    instants, zones, until, st.sampled_from(["next year", "the new year", "the end of the year"])
)
def test_next_year_ends_the_pause_on_new_years_day(
    now: datetime, tz: str, prefix: str, words: str
) -> None:
    zone = ZoneInfo(tz)
    end = until_in_words(prefix + words, tz, now)
    day = local_day(end, zone)
    assert starts_a_day(end, zone) and (day.month, day.day) == (1, 1)
    assert day.year == local_day(now, zone).year + 1


@settings(max_examples=examples(120), deadline=None)
@given(
    instants,
    zones,
    until,
    st.integers(1, 12),
    st.sampled_from(["", "the start of ", "the beginning of "]),
)
def test_a_month_name_ends_the_pause_on_the_next_first_of_that_month(
    now: datetime, tz: str, prefix: str, month: int, lead: str
) -> None:
    zone = ZoneInfo(tz)
    name = MONTHS.split()[month - 1]
    end = until_in_words(prefix + lead + name.capitalize(), tz, now)
    day = local_day(end, zone)
    assert now < end <= now + timedelta(days=367) and starts_a_day(end, zone)
    assert (day.month, day.day) == (month, 1)
    # the next such first: a year earlier is not after today
    assert day - relativedelta(years=1) <= local_day(now, zone)


@settings(max_examples=examples(120), deadline=None)
@given(instants, zones, until, st.integers(1, 31), st.sampled_from(["", "st", "nd", "rd", "th"]))
def test_the_nth_ends_the_pause_on_the_next_day_of_that_number(
    now: datetime, tz: str, prefix: str, number: int, suffix: str
) -> None:
    zone = ZoneInfo(tz)
    end = until_in_words(f"{prefix}the {number}{suffix}", tz, now)
    today, day = local_day(now, zone), local_day(end, zone)
    assert day.day == number and day > today and starts_a_day(end, zone)
    between = today + timedelta(days=1)
    while between < day:  # no day of that number was skipped
        assert between.day != number
        between += timedelta(days=1)


SPANS = {
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "fortnight": timedelta(days=14),
}
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "ten": 10, "a couple of": 2}


@settings(max_examples=examples(120), deadline=None)
@given(
    instants,
    zones,
    st.sampled_from(["for ", "for the next ", "until "]),
    st.one_of(st.integers(1, 90).map(str), st.sampled_from(sorted(COUNTS))),
    st.sampled_from(sorted(SPANS)),
)
def test_a_span_lasts_exactly_that_long(
    now: datetime, tz: str, lead: str, count: str, unit: str
) -> None:
    if count in ("a", "one", "an") and unit == "hour":
        count = "an"
    if lead == "until " or (lead == "for the next " and count in ("a", "an", "one")):
        lead = "for "  # "until 3 days", "for the next a week" are not English
    plural = "" if count in ("a", "an", "one", "1") else "s"
    words = f"{lead}{count} {unit}{plural}"
    amount = COUNTS.get(count) or int(count)
    assert until_in_words(words, tz, now) == now + amount * SPANS[unit]


@settings(max_examples=examples(80), deadline=None)
@given(instants, zones, st.integers(1, 24))
def test_months_are_calendar_months(now: datetime, tz: str, months: int) -> None:
    zone = ZoneInfo(tz)
    end = until_in_words(f"for {months} month{'s' if months > 1 else ''}", tz, now)
    local, ended = now.astimezone(zone), end.astimezone(zone)
    assert (ended.year * 12 + ended.month) - (local.year * 12 + local.month) == months
    # the same day of the month, or the month's last when it is shorter
    assert ended.day == local.day or (ended + timedelta(days=1)).month != ended.month


@settings(max_examples=examples(120), deadline=None)
@given(instants, zones, until, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
def test_a_clock_ends_the_pause_at_its_next_occurrence(
    now: datetime, tz: str, prefix: str, hour: int, minute: int
) -> None:
    zone = ZoneInfo(tz)
    twelve = hour % 12 or 12
    said = (
        f"{twelve}:{minute:02d}{'am' if hour < 12 else 'pm'}"
        if minute
        else f"{twelve}{'am' if hour < 12 else 'pm'}"
    )
    for words in (said, f"{hour:02d}:{minute:02d}"):
        end = until_in_words(prefix + words, tz, now)
        assert now < end <= now + timedelta(hours=25)
        local = end.astimezone(zone)
        # the clock itself, or the instant a DST change skipped it to
        if local.time() != time(hour, minute):
            wall = datetime.combine(local.date(), time(hour, minute))
            assert wall.replace(tzinfo=zone).astimezone(zone).replace(tzinfo=None) != wall


@pytest.mark.parametrize(
    "words", ["until whenever", "until the blue moon", "for now-ish", "till later"]
)
def test_words_that_name_no_moment_are_refused(words: str) -> None:
    with pytest.raises(InvalidInput, match="Until when"):
        until_in_words(words, "Europe/London", NOW)


def test_a_bulk_pause_for_a_span_ends_by_itself_and_for_a_person_does_not() -> None:
    assert bulk_in_words("pause everything for 2 weeks").until == "for 2 weeks"
    assert bulk_in_words("pause all my automations for the rest of the month").until is not None
    assert bulk_in_words("pause all of Dana's automations for now").until is None


def test_pause_it_until_next_week_in_the_conversation(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    auto = make_automation(engine, org, NOW, cron="0 9 * * *")
    conversation = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    actor = Actor.of(get_user(engine, org.admin_id))
    reply = conversation.handle(
        Turn(actor, "a", tz="Europe/London"), f"pause #{auto.id} until next week"
    )
    assert reply.kind == "done", reply.text
    stored = get_automation(engine, org.org_id, auto.id or 0)
    assert stored.paused_until is not None
    expected = until_in_words("next week", "Europe/London", NOW)
    assert stored.paused_until.replace(tzinfo=UTC) == expected

    reply = conversation.handle(
        Turn(actor, "a", tz="Europe/London"), f"pause #{auto.id} for 3 hours"
    )
    assert reply.kind == "done", reply.text
    stored = get_automation(engine, org.org_id, auto.id or 0)
    assert stored.paused_until is not None
    assert stored.paused_until.replace(tzinfo=UTC) == NOW + timedelta(hours=3)

    # words naming no moment: refused, and the pause stays as it was
    reply = conversation.handle(
        Turn(actor, "a", tz="Europe/London"), f"pause #{auto.id} until whenever"
    )
    assert reply.kind != "done"
    again = get_automation(engine, org.org_id, auto.id or 0)
    assert again.paused_until == stored.paused_until
