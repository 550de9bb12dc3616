"""The narrow stores a skill keeps its own state through (skills.stores), over the product's
database and bound to one organisation; the executor hands them to skills in the context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine

from models.store import sequences as sequences_store
from models.store.calendars import holiday_days
from models.store.sequences import DueStep
from skills.stores import SequenceSteps


@dataclass(frozen=True)
class StoredHolidays:
    """The organisation's holiday calendar (skills.stores.HolidayCalendar)."""

    engine: Engine
    org_id: int

    def holidays(self) -> frozenset[date]:
        return holiday_days(self.engine, self.org_id)


@dataclass(frozen=True)
class StoredSequenceSteps:
    """The organisation's nurture-sequence enrolments (skills.stores.SequenceSteps)."""

    engine: Engine
    org_id: int

    def claim_due(self, now: datetime, limit: int) -> list[DueStep]:
        return sequences_store.claim_due_steps(self.engine, self.org_id, now, limit)

    def sequence_id(self, name_or_id: str) -> int:
        return sequences_store.find_sequence(self.engine, self.org_id, name_or_id).id or 0

    def release(self, enrolment_ids: list[int], now: datetime) -> None:
        sequences_store.release(self.engine, enrolment_ids, now)

    def record_step(
        self, enrolment_id: int, position: int, *, ok: bool, error: str | None, now: datetime
    ) -> None:
        sequences_store.record_step(
            self.engine, enrolment_id, position, ok=ok, error=error, now=now
        )


class NotQuick(Exception):
    """A run executed as quick (worker.tick.quick) would act or write: it stops here, having
    changed nothing, and is run again the usual way."""


@dataclass(frozen=True)
class ReadOnlySequenceSteps:
    """A quick run's sequence steps: reading is allowed, claiming or recording a step is not
    (the run then goes the usual way, leased, where its steps are claimed)."""

    steps: SequenceSteps

    def claim_due(self, now: datetime, limit: int) -> list[DueStep]:
        raise NotQuick("a run that claims sequence steps is not quick")

    def sequence_id(self, name_or_id: str) -> int:
        return self.steps.sequence_id(name_or_id)

    def release(self, enrolment_ids: list[int], now: datetime) -> None:
        raise NotQuick("a run that releases sequence steps is not quick")

    def record_step(
        self, enrolment_id: int, position: int, *, ok: bool, error: str | None, now: datetime
    ) -> None:
        raise NotQuick("a run that records sequence steps is not quick")
