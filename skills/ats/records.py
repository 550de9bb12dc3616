"""The plain frozen dataclasses an ATS returns to skills (never ORM rows), so a skill can run
against any ATS and stores no PII by accident; the protocols are in skills.ats.reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import NamedTuple, TypeVar

from models.errors import InvalidInput

ACTIVE = "active"  # AtsApplication.status of an application still in the pipeline


@dataclass(frozen=True, slots=True)
class StageMove:
    application_id: int
    candidate_id: int
    candidate_name: str
    from_stage: str | None
    to_stage: str
    job_title: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class StaleCandidate:
    candidate_id: int
    application_id: int
    candidate_name: str
    job_title: str
    stage: str
    last_contact_at: datetime  # last_contacted_at, else created_at (never contacted)
    days_since_contact: int


@dataclass(frozen=True, slots=True)
class OwnedStale(StaleCandidate):
    owner_id: int | None = None  # the candidate's


StaleT = TypeVar("StaleT", bound=StaleCandidate)


def longest_waiting_first(
    stale: list[StaleT], waited: Callable[[StaleT], int] = attrgetter("days_since_contact")
) -> list[StaleT]:
    """Sorted by days waited (most first; days_since_contact unless told), then name, then
    application: stable sorts on one field each, so sorting thousands makes no key tuples."""
    stale.sort(key=attrgetter("application_id"))
    stale.sort(key=attrgetter("candidate_name"))
    stale.sort(key=waited, reverse=True)
    return stale


@dataclass(frozen=True, slots=True)
class JobInfo:
    id: int
    title: str
    department: str
    location: str
    status: str


@dataclass(frozen=True, slots=True)
class CandidateInfo:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    location: str
    source: str
    owner_id: int | None
    timezone: str | None
    created_at: datetime
    last_contacted_at: datetime | None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def display_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


#: fields update_field may change, per entity, with the values each accepts (None: any text)
UPDATABLE_FIELDS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "application": {
        "stage": None,
        "priority": ("normal", "high"),
        "status": ("active", "hired", "rejected", "withdrawn"),
    },
    "candidate": {"source": None, "headline": None, "location": None},
}


def check_field_update(entity: str, field: str, value: str) -> None:
    """InvalidInput unless `field` of `entity` may be set to `value`."""
    allowed = UPDATABLE_FIELDS.get(entity)
    if allowed is None:
        raise InvalidInput(f"update_field works on {' or '.join(UPDATABLE_FIELDS)}, not {entity!r}")
    if field not in allowed:
        raise InvalidInput(
            f"Field '{field}' of a {entity} cannot be changed; allowed: " + ", ".join(allowed)
        )
    choices = allowed[field]
    if choices is not None and value not in choices:
        raise InvalidInput(f"'{value}' is not a valid {field}; use one of " + ", ".join(choices))


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    name: str
    email: str
    slack_user_id: str | None
    timezone: str | None


@dataclass(frozen=True, slots=True)
class ApplicationInfo:
    id: int
    candidate_id: int
    candidate_name: str
    job_id: int
    job_title: str
    department: str
    location: str
    stage: str
    status: str
    priority: str
    applied_at: datetime
    hiring_manager_id: int | None
    recruiter_id: int | None
    owner_id: int | None
    headline: str
    candidate_location: str
    source: str


@dataclass(frozen=True, slots=True)
class InterviewInfo:
    id: int
    candidate_id: int
    application_id: int
    candidate_name: str
    job_title: str
    stage: str
    interviewer_id: int | None
    kind: str
    starts_at: datetime
    ends_at: datetime
    status: str
    scorecard_submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class ActivityInfo:
    candidate_id: int
    candidate_name: str
    source: str
    user_id: int | None
    kind: str
    from_stage: str | None
    to_stage: str | None
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class TaskInfo:
    id: int
    owner_id: int | None
    candidate_id: int | None
    candidate_name: str | None
    title: str
    due_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class OfferInfo:
    id: int
    candidate_id: int
    application_id: int
    candidate_name: str
    job_title: str
    status: str
    start_date: date | None
    expires_at: datetime | None
    accepted_at: datetime | None
    hiring_manager_id: int | None
    owner_id: int | None


@dataclass(frozen=True, slots=True)
class PlacementInfo:
    id: int
    candidate_id: int
    candidate_name: str
    job_title: str
    kind: str
    starts_on: date
    ends_on: date | None
    owner_id: int | None


class ApplicantKey(NamedTuple):
    """What a new-applicant filter reads of an application (ApplicationInfo's names)."""

    id: int
    candidate_id: int
    priority: str
    job_title: str
    location: str
    candidate_location: str
    headline: str
    source: str
