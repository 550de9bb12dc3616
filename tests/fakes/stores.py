"""In-memory narrow stores (skills.stores) for skill tests: a holiday calendar, and sequence
steps that remember what the skill claimed, released and recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from models.errors import NotFound
from models.store.sequences import DueStep


@dataclass(frozen=True)
class FakeHolidays:
    days: frozenset[date] = frozenset()

    def holidays(self) -> frozenset[date]:
        return self.days


@dataclass
class FakeSequenceSteps:
    """Due steps handed out once; `sequences` maps names to ids."""

    due: list[DueStep]
    sequences: dict[str, int] = field(default_factory=dict)
    released: list[int] = field(default_factory=list)
    recorded: list[tuple[int, int, bool, str | None]] = field(default_factory=list)

    def claim_due(self, now: datetime, limit: int) -> list[DueStep]:
        claimed, self.due = self.due[:limit], self.due[limit:]
        return claimed

    def sequence_id(self, name_or_id: str) -> int:
        if name_or_id.isdigit() and int(name_or_id) in self.sequences.values():
            return int(name_or_id)
        if name_or_id not in self.sequences:
            raise NotFound(f"No sequence {name_or_id!r}")
        return self.sequences[name_or_id]

    def release(self, enrolment_ids: list[int], now: datetime) -> None:
        self.released += enrolment_ids

    def record_step(
        self, enrolment_id: int, position: int, *, ok: bool, error: str | None, now: datetime
    ) -> None:
        self.recorded.append((enrolment_id, position, ok, error))
