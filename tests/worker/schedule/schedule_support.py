"""What the schedule tests share: instants written as UTC strings, and fire times read back
as such."""

from __future__ import annotations

from datetime import UTC, datetime

from worker.schedule.parse import Schedule, fires_between, next_fire

LA = "America/Los_Angeles"
LONDON = "Europe/London"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(values: list[datetime]) -> list[str]:
    return [v.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ") for v in values]


def first(schedule: Schedule, after: str) -> str | None:
    found = next_fire(schedule, at(after))
    return None if found is None else iso([found])[0]


def between(schedule: Schedule, start: str, end: str, limit: int = 1000) -> list[str]:
    return iso(fires_between(schedule, at(start), at(end), limit))
