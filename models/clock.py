"""Time conventions: every datetime in code and in the database is aware UTC (SQLModel's
UTCDateTime column type refuses naive values and returns UTC).

The database clock is the one clock workers on several hosts agree on, so a tick reads
it once and passes `now` down; nothing below the tick calls `datetime.now()`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utc(value: datetime) -> datetime:
    """Aware UTC from an aware datetime, or from a naive one read as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_time(instant: datetime, tz: str | None) -> str:
    """An instant as every interface says times: "Mon 30 Nov 2026 11:32 EST" in the zone `tz`.
    An unset or unknown zone reads as UTC, and the words say so."""
    try:
        zone = ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        zone = ZoneInfo("UTC")
    return f"{utc(instant).astimezone(zone):%a %d %b %Y %H:%M %Z}"


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant for `--now` and APIs; a missing offset means UTC."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"'{text}' is not an ISO 8601 date-time (e.g. 2026-03-02T09:00Z)") from exc
    return utc(parsed)
