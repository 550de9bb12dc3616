"""Every interface says an instant the same way, in the reader's zone: the words read back to
the same instant, and a zone that is unset or no longer known reads as UTC (and says so)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from models.clock import local_time

ZONES = ["UTC", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe"]


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.integers(min_value=0, max_value=5 * 366 * 24 * 60),
    zone=st.sampled_from(ZONES),
)
def test_words_read_back_to_the_instant(minutes: int, zone: str) -> None:
    instant = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    said = local_time(instant, zone)
    text, abbreviation = said.rsplit(" ", 1)
    wall = datetime.strptime(text, "%a %d %b %Y %H:%M")
    # read back as a wall clock in that zone: one of its (at most two) readings, told apart by
    # the abbreviation, is the instant
    readings = [wall.replace(tzinfo=ZoneInfo(zone), fold=fold) for fold in (0, 1)]
    matching = [r for r in readings if r.tzname() == abbreviation]
    assert instant in matching


def test_unset_or_unknown_zone_reads_as_utc_and_naive_means_utc() -> None:
    instant = datetime(2026, 11, 30, 16, 32, tzinfo=UTC)
    assert local_time(instant, "America/New_York") == "Mon 30 Nov 2026 11:32 EST"
    for zone in (None, "", "Mars/Olympus", "../etc"):
        assert local_time(instant, zone) == "Mon 30 Nov 2026 16:32 UTC"
    assert local_time(instant.replace(tzinfo=None), "UTC") == "Mon 30 Nov 2026 16:32 UTC"
