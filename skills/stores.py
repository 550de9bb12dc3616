"""The narrow store protocols skills keep their own state through: the organisation's holidays
(business-day SLAs) and the nurture sequences' due steps. The worker passes implementations
bound to one organisation in the SkillContext; skills never see an engine or write SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from models.store.sequences import DueStep


class HolidayCalendar(Protocol):
    def holidays(self) -> frozenset[date]:
        """The organisation's days off."""
        ...


class NoHolidays:
    """A calendar without holidays (rendering without a store)."""

    def holidays(self) -> frozenset[date]:
        return frozenset()


class SequenceSteps(Protocol):
    """The organisation's nurture-sequence enrolments, as steps to take."""

    def claim_due(self, now: datetime, limit: int) -> list[DueStep]:
        """Up to `limit` enrolments whose next step is due, claimed so no other worker takes
        them until released or recorded."""
        ...

    def sequence_id(self, name_or_id: str) -> int:
        """The id of the sequence with this name or id; NotFound otherwise."""
        ...

    def release(self, enrolment_ids: list[int], now: datetime) -> None:
        """Put claimed enrolments back untouched (their step waits)."""
        ...

    def record_step(
        self, enrolment_id: int, position: int, *, ok: bool, error: str | None, now: datetime
    ) -> None:
        """Log a step's outcome and advance the enrolment (a failure fails it alone)."""
        ...
