"""Harvest v1 JSON to the mirror's vendor-neutral records (models.store.ats_mirror).

Only what skills read is kept. Times are ISO 8601 instants ("2026-11-02T09:30:00.000Z");
a record missing a field the mirror needs maps to None and is left out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from models.store.ats_mirror import (
    MirrorApplication,
    MirrorCandidate,
    MirrorInterview,
    MirrorJob,
    MirrorOffer,
    MirrorUser,
)
from skills.ats.mapping_common import interview_kind, spread
from skills.ats.mapping_common import text as _text
from skills.ats.mapping_common import vendor_id as _id

VENDOR = "greenhouse"

_APPLICATION_STATUS = {"active": "active", "hired": "hired", "rejected": "rejected"}
_INTERVIEW_STATUS = {
    "scheduled": "scheduled",
    "awaiting_feedback": "completed",
    "complete": "completed",
}
_OFFER_STATUS = {
    "unresolved": "extended",
    "accepted": "accepted",
    "rejected": "declined",
    "deprecated": "expired",  # a superseded version of the offer
}

Record = dict[str, Any]


def instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _first(items: Any, key: str = "value") -> str:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and _text(item.get(key)):
                return _text(item.get(key))
    return ""


def _lead(people: Any) -> str | None:
    """The responsible member of a hiring-team list, else its first."""
    if not isinstance(people, list) or not people:
        return None
    ranked = sorted(
        (p for p in people if isinstance(p, dict)), key=lambda p: not p.get("responsible")
    )
    return _id(ranked[0]) if ranked else None


def user(record: Record) -> MirrorUser | None:
    external = _id(record)
    # `emails` is a list of plain strings, the primary one among them
    others = [e for e in record.get("emails") or [] if isinstance(e, str) and e.strip()]
    email = _text(record.get("primary_email_address")) or (others[0].strip() if others else "")
    if external is None:
        return None
    return MirrorUser(external, email)


def job(record: Record, stages: list[Record]) -> MirrorJob | None:
    external, created = _id(record), instant(record.get("created_at"))
    if external is None or created is None:
        return None
    offices = record.get("offices") or []
    office = offices[0] if offices and isinstance(offices[0], dict) else {}
    place = office.get("location") if isinstance(office.get("location"), dict) else {}
    team = record.get("hiring_team") if isinstance(record.get("hiring_team"), dict) else {}
    return MirrorJob(
        external_id=external,
        title=_text(record.get("name")),
        department=_first(record.get("departments"), "name"),
        location=_text((place or {}).get("name")) or _text(office.get("name")),
        status=_text(record.get("status")) or "open",
        created_at=created,
        hiring_manager=_lead((team or {}).get("hiring_managers")),
        recruiter=_lead((team or {}).get("recruiters")),
        stages=pipeline_positions(stages),
    )


def pipeline_positions(stages: list[Record]) -> tuple[tuple[str, int], ...]:
    """A job's stages (Harvest's job stages, ordered by `priority`) spread over the
    organisation's stage order; a stage Harvest marks `active: false` was deleted."""
    named = sorted(
        (int(s.get("priority") or 0), n, _text(s.get("name")))
        for n, s in enumerate(stages)
        if isinstance(s, dict) and _text(s.get("name")) and s.get("active") is not False
    )
    return spread([name for _, _, name in named])


def candidate(record: Record) -> MirrorCandidate | None:
    external, created = _id(record), instant(record.get("created_at"))
    if external is None or created is None:
        return None
    title, company = _text(record.get("title")), _text(record.get("company"))
    applications = record.get("applications") or []
    source = ""
    for application in applications if isinstance(applications, list) else []:
        if isinstance(application, dict) and isinstance(application.get("source"), dict):
            source = _text(application["source"].get("public_name"))
            break
    return MirrorCandidate(
        external_id=external,
        first_name=_text(record.get("first_name")),
        last_name=_text(record.get("last_name")),
        email=_first(record.get("email_addresses")),
        phone=_first(record.get("phone_numbers")),
        location=_first(record.get("addresses")),
        source=source,
        headline=" at ".join(part for part in (title, company) if part),
        owner=_id(record.get("recruiter")),
        created_at=created,
        last_activity_at=instant(record.get("last_activity")),
    )


def application(record: Record) -> MirrorApplication | None:
    """None for a prospect (in no job's pipeline) or a record missing its ids."""
    jobs = record.get("jobs") or []
    external, person = _id(record), _id(record.get("candidate_id"))
    applied = instant(record.get("applied_at"))
    if record.get("prospect") or not jobs or external is None or person is None or applied is None:
        return None
    job_id = _id(jobs[0])
    if job_id is None:
        return None
    status = _APPLICATION_STATUS.get(_text(record.get("status")), "withdrawn")
    stage = _text((record.get("current_stage") or {}).get("name")) or status.title()
    return MirrorApplication(
        external_id=external,
        candidate=person,
        job=job_id,
        stage=stage,
        status=status,
        applied_at=applied,
        moved_at=instant(record.get("last_activity_at")) or applied,
        # Harvest v1 does not say when an application was hired: the sync dates the hire by
        # the offer it accepted (GreenhouseSync), else by its last activity; an application
        # that does say (`hired_at`) is dated by it
        hired_at=instant(record.get("hired_at")) if status == "hired" else None,
    )


def _when(value: Any) -> datetime | None:
    if not isinstance(value, dict):
        return None
    if value.get("date_time"):
        return instant(value.get("date_time"))
    day = _day(value.get("date"))  # an all-day interview
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def interview(record: Record) -> MirrorInterview | None:
    external, app = _id(record), _id(record.get("application_id"))
    starts, ends = _when(record.get("start")), _when(record.get("end"))
    created = instant(record.get("created_at"))
    if external is None or app is None or starts is None or created is None:
        return None
    interviewers = [i for i in record.get("interviewers") or [] if isinstance(i, dict)]
    status = _INTERVIEW_STATUS.get(_text(record.get("status")), "scheduled")
    scored = status == "completed" and any(i.get("scorecard_id") for i in interviewers)
    return MirrorInterview(
        external_id=external,
        application=app,
        interviewer=_id(interviewers[0]) if interviewers else None,
        kind=interview_kind(_text((record.get("interview") or {}).get("name"))),
        starts_at=starts,
        ends_at=ends or starts,
        status=status,
        scorecard_submitted_at=instant(record.get("updated_at")) if scored else None,
        created_at=created,
    )


def offer(record: Record) -> MirrorOffer | None:
    external, app = _id(record), _id(record.get("application_id"))
    created = instant(record.get("created_at"))
    if external is None or app is None or created is None:
        return None
    status = _OFFER_STATUS.get(_text(record.get("status")), "extended")
    return MirrorOffer(
        external_id=external,
        application=app,
        status=status,
        start_date=_day(record.get("starts_at")),
        accepted_at=instant(record.get("resolved_at")) if status == "accepted" else None,
        created_at=created,
    )
