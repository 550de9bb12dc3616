"""Tool-set methods for what skills read and write: the organisation's holiday calendar, nurture
sequences (list, enrol a candidate, remove one, completion analytics) and the in-app inbox.
Everything is scoped to the actor's organisation; another organisation's sequences,
candidates and messages are simply not found."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from assistant.tools.audit_entries import org_entry
from assistant.tools.base import Actor, ToolsetBase
from assistant.tools.validation import checked_name
from models.errors import InvalidInput
from models.limits import ID_MAX, check_id
from models.store import audit
from models.store import sequences as sequences_store
from models.store.calendars import add_holiday, list_holidays, remove_holiday
from models.store.inbox import (
    count_unread_inbox,
    list_inbox,
    mark_inbox_read,
    mark_inbox_unread,
    read_inbox_message,
)
from skills.base import INTEGER_PARAM_BOUND, ParamSpec

MAX_INBOX_PAGE = 200


class HolidayView(BaseModel):
    day: date
    name: str


class SequenceView(BaseModel):
    id: int
    name: str
    automatic: bool = Field(description="Every new candidate is enrolled automatically.")
    stage: str | None = Field(description="Leaving this stage ends the enrolment.")
    enabled: bool
    steps: int
    active: int = Field(description="Enrolments pending or running.")


class EnrolmentView(BaseModel):
    id: int
    sequence_id: int
    candidate_id: int
    status: str
    next_step: int
    next_step_at: datetime | None


class InboxItem(BaseModel):
    id: int
    subject: str
    created_at: datetime
    read: bool


class InboxMessageView(InboxItem):
    text: str
    html: str | None


def _day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date; use YYYY-MM-DD, e.g. 2026-12-25.") from None


class SkillTools(ToolsetBase):
    # --- holidays ------------------------------------------------------------------------

    def list_holidays(self, actor: Actor) -> list[HolidayView]:
        """The organisation's holidays, in date order. Business-day counts (stale-candidate
        SLA) and candidate quiet hours skip them."""
        return [
            HolidayView(day=h.day, name=h.name) for h in list_holidays(self.engine, actor.org_id)
        ]

    def add_holiday(self, actor: Actor, day: date | str, name: str = "") -> HolidayView:
        """Add a day off to the organisation's calendar (admins only). `day` is YYYY-MM-DD."""
        self.admin_only(actor, "change the holiday calendar")
        name = checked_name(name, "The holiday's name", required=False, maximum=100)
        row = add_holiday(self.engine, actor.org_id, _day(day), name)
        entry = org_entry(actor, "holiday_add", self.clock(), day=row.day.isoformat())
        audit.record(self.engine, entry)
        return HolidayView(day=row.day, name=row.name)

    def remove_holiday(self, actor: Actor, day: date | str) -> None:
        """Remove a day from the organisation's calendar (admins only)."""
        self.admin_only(actor, "change the holiday calendar")
        removed = _day(day)
        remove_holiday(self.engine, actor.org_id, removed)
        entry = org_entry(actor, "holiday_remove", self.clock(), day=removed.isoformat())
        audit.record(self.engine, entry)

    # --- sequences -----------------------------------------------------------------------

    def list_sequences(self, actor: Actor) -> list[SequenceView]:
        """The organisation's nurture sequences with their step and active-enrolment counts."""
        stats = {s["sequence_id"]: s for s in sequences_store.analytics(self.engine, actor.org_id)}
        return [
            SequenceView(
                id=s.id or 0,
                name=s.name,
                automatic=s.automatic,
                stage=s.stage,
                enabled=s.enabled,
                steps=len(stats[s.id]["steps"]),
                active=stats[s.id]["pending"] + stats[s.id]["running"],
            )
            for s in sequences_store.list_sequences(self.engine, actor.org_id)
        ]

    def enrol_in_sequence(
        self, actor: Actor, sequence: str | int, candidate_id: int
    ) -> EnrolmentView:
        """Enrol a candidate (by ATS id) in a sequence (by name or id); its first step is due
        after the step's delay. A candidate whose enrolment ended starts again from step 1."""
        found = sequences_store.find_sequence(self.engine, actor.org_id, sequence)
        now = self.clock()
        row = sequences_store.enrol(
            self.engine, actor.org_id, found.id or 0, _candidate(candidate_id), now=now
        )
        # the candidate by their ATS id only, as a run's targets name them
        entry = org_entry(actor, "enrol", now, sequence_id=found.id, candidate_id=row.candidate_id)
        audit.record(self.engine, entry)
        return EnrolmentView(
            id=row.id or 0,
            sequence_id=row.sequence_id,
            candidate_id=row.candidate_id,
            status=row.status,
            next_step=row.next_step,
            next_step_at=row.next_step_at,
        )

    def remove_from_sequence(self, actor: Actor, sequence: str | int, candidate_id: int) -> None:
        """Stop a candidate's enrolment in a sequence by hand (recorded as `removed`)."""
        found = sequences_store.find_sequence(self.engine, actor.org_id, sequence)
        now = self.clock()
        sequences_store.remove_enrolment(
            self.engine, actor.org_id, found.id or 0, _candidate(candidate_id), now=now
        )
        entry = org_entry(
            actor, "unenrol", now, sequence_id=found.id, candidate_id=_candidate(candidate_id)
        )
        audit.record(self.engine, entry)

    def sequence_analytics(
        self, actor: Actor, sequence: str | int | None = None
    ) -> list[dict[str, Any]]:
        """Per sequence: enrolled, pending, running, completed, stopped (and why), failed, and
        per step how many completed or failed. One sequence (name or id) or all of them."""
        stats = sequences_store.analytics(self.engine, actor.org_id)
        if sequence is None:
            return stats
        found = sequences_store.find_sequence(self.engine, actor.org_id, sequence)
        return [s for s in stats if s["sequence_id"] == found.id]

    # --- in-app inbox --------------------------------------------------------------------

    def list_inbox(
        self, actor: Actor, *, unread_only: bool = False, limit: int = 50
    ) -> list[InboxItem]:
        """Your in-app messages (automations with output in_app), newest first."""
        if not 1 <= limit <= MAX_INBOX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_INBOX_PAGE}.")
        rows = list_inbox(
            self.engine, actor.org_id, actor.user_id, unread_only=unread_only, limit=limit
        )
        return [
            InboxItem(
                id=r.id or 0, subject=r.subject, created_at=r.created_at, read=r.read_at is not None
            )
            for r in rows
        ]

    def read_inbox(self, actor: Actor, message_id: int) -> InboxMessageView:
        """One of your in-app messages in full; it is marked read."""
        check_id(message_id, "message")
        row = read_inbox_message(self.engine, actor.org_id, actor.user_id, message_id, self.clock())
        return InboxMessageView(
            id=row.id or 0,
            subject=row.subject,
            created_at=row.created_at,
            read=True,
            text=row.text,
            html=row.html,
        )

    def mark_inbox_unread(self, actor: Actor, message_id: int) -> None:
        """One of your in-app messages back to unread."""
        check_id(message_id, "message")
        mark_inbox_unread(self.engine, actor.org_id, actor.user_id, message_id)

    def mark_inbox_read(self, actor: Actor) -> int:
        """Every unread in-app message of yours marked read; how many were."""
        return mark_inbox_read(self.engine, actor.org_id, actor.user_id, self.clock())

    def unread_inbox_count(self, actor: Actor) -> int:
        """How many of your in-app messages are unread."""
        return count_unread_inbox(self.engine, actor.org_id, actor.user_id)


def _candidate(candidate_id: Any) -> int:
    if (
        isinstance(candidate_id, bool)
        or not isinstance(candidate_id, int)
        or not 1 <= candidate_id <= ID_MAX
    ):
        raise InvalidInput(f"'{candidate_id}' is not a candidate id (a positive number).")
    return candidate_id


def param_range(param: ParamSpec) -> tuple[int | None, int | None]:
    """An integer param's accepted range, inclusive (the declared one, else the bound every
    integer param has); (None, None) for other types."""
    if param.type != "integer":
        return None, None
    low = param.minimum if param.minimum is not None else -INTEGER_PARAM_BOUND
    high = param.maximum if param.maximum is not None else INTEGER_PARAM_BOUND
    return low, high
