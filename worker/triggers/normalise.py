"""Each provider's documented payloads, mapped to canonical events (worker.triggers.canonical).

A type that maps to nothing comes back with event_type None: it is stored and acknowledged as
`unmatched`, never an error. Only ids, stages, job and department names are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from worker.triggers.canonical import CANONICAL_TYPES, Canonical, canonical


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first(value: Any) -> dict[str, Any]:
    return _dict(value[0]) if isinstance(value, list) and value else {}


def _millis(value: Any) -> str | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).isoformat()
    return str(value) if value else None


# --- Greenhouse: {"action": ..., "payload": {"application": {...}}} -------------------------

GREENHOUSE_TYPES = {
    "new_candidate_application": "application.created",
    "new_prospect_application": "candidate.created",
    "prospect_created": "candidate.created",
    "candidate_stage_change": "candidate.stage_changed",
    "hire_candidate": "candidate.hired",
    "reject_candidate": "candidate.rejected",
    "prospect_rejected": "candidate.rejected",
    "offer_created": "offer.created",
    "interview_deleted": "interview.cancelled",
}


def greenhouse(payload: dict[str, Any]) -> Canonical:
    """developers.greenhouse.io/webhooks.html: `action` names the event; the application
    carries `current_stage`, `candidate` (its recruiter is the owner) and `jobs[]` with
    `departments[]`. A stage change carries no previous stage (from_stage stays empty). A
    prospect created without an application carries its `candidate` at the payload's top."""
    action = str(payload.get("action", ""))
    body = _dict(payload.get("payload"))
    app = _dict(body.get("application"))
    candidate = _dict(app.get("candidate")) or _dict(body.get("candidate"))
    job = _first(app.get("jobs")) or _dict(app.get("job"))
    previous = _dict(app.get("previous_stage"))
    return canonical(
        action,
        GREENHOUSE_TYPES.get(action),
        application_id=app.get("id"),
        candidate_id=candidate.get("id"),
        job_id=job.get("id"),
        job=job.get("name"),
        department=_first(job.get("departments")).get("name"),
        owner_id=_dict(candidate.get("recruiter")).get("id"),
        to_stage=_dict(app.get("current_stage")).get("name"),
        from_stage=previous.get("name"),
        offer_id=_dict(app.get("offer")).get("id") or _dict(body.get("offer")).get("id"),
        interview_id=_dict(body.get("interview")).get("id"),
    )


# --- Lever: {"event": ..., "id": ..., "triggeredAt": ..., "data": {...}} ----------------------

LEVER_TYPES = {
    "applicationCreated": "application.created",
    "candidateStageChange": "candidate.stage_changed",
    "candidateHired": "candidate.hired",
    "interviewCreated": "interview.scheduled",
    "interviewUpdated": "interview.rescheduled",
    "interviewDeleted": "interview.cancelled",
}


def lever(payload: dict[str, Any]) -> Canonical:
    """hire.lever.co/developer/documentation#webhooks: `event` names it; `data` holds
    opportunityId/candidateId/contactId and, per event, fromStageId/toStageId,
    fromArchived/toArchived, or interviewId. Stages are Lever stage ids here; the receiver
    names them from the organisation's mirror (worker.triggers.stage_names)."""
    event = str(payload.get("event", ""))
    data = _dict(payload.get("data"))
    event_type = LEVER_TYPES.get(event)
    if event == "candidateArchiveChange":
        # archiving an opportunity is how Lever rejects; un-archiving maps to nothing
        event_type = "candidate.rejected" if data.get("toArchived") else None
    return canonical(
        event,
        event_type,
        application_id=data.get("opportunityId") or data.get("applicationId"),
        candidate_id=data.get("contactId") or data.get("candidateId"),
        from_stage=data.get("fromStageId"),
        to_stage=data.get("toStageId"),
        job_id=data.get("postingId"),
        interview_id=data.get("interviewId"),
        starts_at=_millis(data.get("date")),
        reason=_dict(data.get("toArchived")).get("reason"),
        occurred_at=_millis(payload.get("triggeredAt")),
    )


# --- Ashby: {"action": ..., "data": {...}} --------------------------------------------------

ASHBY_TYPES = {
    "applicationSubmit": "application.created",
    "candidateStageChange": "candidate.stage_changed",
    "candidateHire": "candidate.hired",
    "offerCreate": "offer.created",
    "interviewScheduleCreate": "interview.scheduled",
    "interviewScheduleUpdate": "interview.rescheduled",
}


def ashby(payload: dict[str, Any]) -> Canonical:
    """developers.ashbyhq.com webhooks: `action` names it; `data.application` carries
    `candidate`, `currentInterviewStage` and `job`; `data.interviewSchedule` carries
    `applicationId`, `status` and `interviewEvents[]` with `startTime`."""
    action = str(payload.get("action", ""))
    data = _dict(payload.get("data"))
    app = _dict(data.get("application"))
    schedule = _dict(data.get("interviewSchedule"))
    event_type = ASHBY_TYPES.get(action)
    status = str(app.get("status") or schedule.get("status") or "")
    if action == "applicationUpdate":
        # stage moves arrive as candidateStageChange; an update matters when it closes
        event_type = {"Hired": "candidate.hired", "Archived": "candidate.rejected"}.get(status)
    if action == "interviewScheduleUpdate" and status == "Cancelled":
        event_type = "interview.cancelled"
    job = _dict(app.get("job"))
    first_event = _first(schedule.get("interviewEvents"))
    interviewers = first_event.get("interviewerUserIds")
    return canonical(
        action,
        event_type,
        application_id=app.get("id") or schedule.get("applicationId"),
        candidate_id=_dict(app.get("candidate")).get("id")
        or _dict(data.get("candidate")).get("id"),
        to_stage=_dict(app.get("currentInterviewStage")).get("title"),
        job_id=job.get("id"),
        job=job.get("title"),
        department=job.get("departmentName"),
        owner_id=_dict(app.get("creditedToUser")).get("id"),
        interview_id=schedule.get("id"),
        starts_at=first_event.get("startTime"),
        interviewer=interviewers[0] if isinstance(interviewers, list) and interviewers else None,
        offer_id=_dict(data.get("offer")).get("id"),
    )


# --- Workable: {"firing_type": ..., "resource_type": "candidate", "data": {...}} ---------------


def workable(payload: dict[str, Any]) -> Canonical:
    """workable.readme.io webhooks: `firing_type` is candidate_created or candidate_moved and
    `data` is the candidate (id, stage, disqualified, job {shortcode, title, department})."""
    firing = str(payload.get("firing_type") or payload.get("event_type") or "")
    data = _dict(payload.get("data"))
    event_type: str | None = None
    if firing == "candidate_created":
        event_type = "candidate.created"
    elif firing == "candidate_moved":
        stage = str(data.get("stage") or "").lower()
        event_type = (
            "candidate.rejected"
            if data.get("disqualified")
            else "candidate.hired"
            if stage == "hired"
            else "candidate.stage_changed"
        )
    job = _dict(data.get("job"))
    return canonical(
        firing,
        event_type,
        candidate_id=data.get("id"),
        job_id=job.get("shortcode"),
        job=job.get("title"),
        department=job.get("department"),
        to_stage=data.get("stage"),
    )


# --- generic and demo: already canonical {"id", "type", "data": {...}} -------------------------


def generic(payload: dict[str, Any]) -> Canonical:
    """skilltick's generic format: `type` is a canonical event type and `data` its fields
    (candidate_id, application_id, job_id, job, department, owner_id, from_stage, to_stage,
    interview_id, starts_at, interviewer, offer_id, occurred_at). Other keys are dropped."""
    event_type = str(payload.get("type", ""))
    return canonical(
        event_type,
        event_type if event_type in CANONICAL_TYPES else None,
        **_dict(payload.get("data")),
    )


NORMALISERS: dict[str, Callable[[dict[str, Any]], Canonical]] = {
    "greenhouse": greenhouse,
    "lever": lever,
    "ashby": ashby,
    "workable": workable,
    "generic": generic,
    "demo": generic,
}


def normalise(provider: str, payload: dict[str, Any]) -> Canonical:
    return NORMALISERS[provider](payload)
