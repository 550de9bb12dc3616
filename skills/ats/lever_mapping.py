"""Lever v1 JSON to the mirror's vendor-neutral records (models.store.ats_mirror).

Lever's person is a contact (`contact` on each opportunity); each of their candidacies is an
opportunity, in at most one posting's pipeline through its application. So a contact is a
mirrored candidate, an opportunity with a posting an application, a posting a job. Stages are
the account's one pipeline (`/stages`, in order), named on opportunities by id. An archived
opportunity is hired when its archive reason's type is `hired`, else rejected. Times are
milliseconds since the epoch.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from models.store.ats_mirror import (
    MirrorApplication,
    MirrorCandidate,
    MirrorInterview,
    MirrorJob,
    MirrorOffer,
    MirrorUser,
)
from skills.ats.mapping_common import interview_kind, text, vendor_id

VENDOR = "lever"

#: a posting's `state` as the mirror's job status (pending and rejected await approval)
_POSTING_STATUS = {
    "published": "open",
    "internal": "open",
    "closed": "closed",
    "draft": "draft",
    "pending": "draft",
    "rejected": "draft",
}

Record = dict[str, Any]


def moment(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def user(record: Record) -> MirrorUser | None:
    external = vendor_id(record)
    return MirrorUser(external, text(record.get("email"))) if external else None


def job(record: Record) -> MirrorJob | None:
    external, created = vendor_id(record), moment(record.get("createdAt"))
    if external is None or created is None:
        return None
    found = record.get("categories")
    categories: Record = found if isinstance(found, dict) else {}
    return MirrorJob(
        external_id=external,
        title=text(record.get("text")),
        department=text(categories.get("department")) or text(categories.get("team")),
        location=text(categories.get("location")),
        status=_POSTING_STATUS.get(text(record.get("state")), "open"),
        created_at=created,
        hiring_manager=vendor_id(record.get("hiringManager")),
        recruiter=vendor_id(record.get("owner")),  # the posting owner manages its candidates
        stages=(),  # Lever's pipeline is the account's (`/stages`), not a posting's
    )


def person_id(record: Record) -> str | None:
    """The contact an opportunity is a candidacy of (the opportunity's own id if none)."""
    return vendor_id(record.get("contact")) or vendor_id(record)


def candidate(record: Record) -> MirrorCandidate | None:
    external, created = person_id(record), moment(record.get("createdAt"))
    if external is None or created is None:
        return None
    first, _, last = text(record.get("name")).partition(" ")
    emails = [e for e in record.get("emails") or [] if isinstance(e, str) and e.strip()]
    phones = [p for p in record.get("phones") or [] if isinstance(p, dict)]
    sources = [s for s in record.get("sources") or [] if isinstance(s, str) and s.strip()]
    return MirrorCandidate(
        external_id=external,
        first_name=first,
        last_name=last.strip(),
        email=emails[0].strip() if emails else "",
        phone=text(phones[0].get("value")) if phones else "",
        location=text(record.get("location")),
        source=sources[0].strip() if sources else "",
        headline=text(record.get("headline")),
        owner=vendor_id(record.get("owner")),
        created_at=created,
        last_activity_at=moment(record.get("lastInteractionAt")),
    )


def posting_of(record: Record) -> str | None:
    """The posting of an opportunity's application (read with `expand=applications`)."""
    for item in record.get("applications") or []:
        if isinstance(item, dict) and vendor_id(item.get("posting")):
            return vendor_id(item.get("posting"))
    return None


def application(
    record: Record, stage_names: dict[str, str], hired_reasons: set[str]
) -> MirrorApplication | None:
    """None for an opportunity in no posting's pipeline (a lead) or missing its ids."""
    external, person = vendor_id(record), person_id(record)
    posting, applied = posting_of(record), moment(record.get("createdAt"))
    if external is None or person is None or posting is None or applied is None:
        return None
    found = record.get("archived")
    archived: Record | None = found if isinstance(found, dict) else None
    if archived is None or not (archived.get("archivedAt") or archived.get("reason")):
        status = "active"  # `archived` is null, or empty, while the candidacy is active
    else:
        status = "hired" if vendor_id(archived.get("reason")) in hired_reasons else "rejected"
    stage = stage_names.get(vendor_id(record.get("stage")) or "", "") or status.title()
    return MirrorApplication(
        external_id=external,
        candidate=person,
        job=posting,
        stage=stage,
        status=status,
        applied_at=applied,
        moved_at=moment(record.get("lastAdvancedAt")) or applied,
    )


def interview(record: Record, opportunity: str, now: datetime) -> MirrorInterview | None:
    """An opportunity's interview: cancelled once `canceledAt`, completed once it has ended.
    A feedback form linked to a completed interview counts as its scorecard, dated at the
    interview's end (Lever's interview gives no submission time)."""
    external, starts = vendor_id(record), moment(record.get("date"))
    created = moment(record.get("createdAt")) or starts
    if external is None or starts is None or created is None:
        return None
    minutes = record.get("duration")
    ends = starts + timedelta(minutes=minutes if isinstance(minutes, int) and minutes > 0 else 60)
    if moment(record.get("canceledAt")) is not None:
        status = "cancelled"
    else:
        status = "completed" if ends <= now else "scheduled"
    interviewers = [i for i in record.get("interviewers") or [] if isinstance(i, dict)]
    scored = status == "completed" and bool(record.get("feedbackForms"))
    return MirrorInterview(
        external_id=external,
        application=opportunity,
        interviewer=vendor_id(interviewers[0]) if interviewers else None,
        kind=interview_kind(text(record.get("subject"))),
        starts_at=starts,
        ends_at=ends,
        status=status,
        scorecard_submitted_at=ends if scored else None,
        created_at=created,
    )


#: an offer's `status` (hire.lever.co/developer/documentation, Offers) as the mirror's; draft,
#: approval-sent and approved offers have not reached the candidate and are not mirrored
_OFFER_STATUS = {
    "sent": "extended",
    "sent-manually": "extended",
    "opened": "extended",
    "signed": "accepted",
    "denied": "declined",
}


def _start_date(fields: Any) -> date | None:
    """The offer form's `anticipated_start_date` field (milliseconds), when it has one."""
    for field in fields if isinstance(fields, list) else []:
        if isinstance(field, dict) and field.get("identifier") == "anticipated_start_date":
            start = moment(field.get("value"))
            return start.date() if start is not None else None
    return None


def offer(record: Record, opportunity: str) -> MirrorOffer | None:
    """An opportunity's offer (GET /opportunities/:id/offers): the code relies on `id`,
    `createdAt`, `status`, the `fields` entry whose `identifier` is anticipated_start_date, and
    `signedDocument.uploadedAt` as when a signed offer was accepted."""
    external, created = vendor_id(record), moment(record.get("createdAt"))
    status = _OFFER_STATUS.get(text(record.get("status")).lower())
    if external is None or created is None or status is None:
        return None
    found = record.get("signedDocument")
    signed: Record = found if isinstance(found, dict) else {}
    return MirrorOffer(
        external_id=external,
        application=opportunity,
        status=status,
        start_date=_start_date(record.get("fields")),
        accepted_at=moment(signed.get("uploadedAt")) if status == "accepted" else None,
        created_at=created,
    )
