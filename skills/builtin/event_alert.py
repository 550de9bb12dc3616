"""The event-alert skill's Python half: one sentence about any canonical ATS event, for whoever
asked to hear of it ("Lena Park was hired for Frontend Engineer", "Sam Lee withdrew from Backend
Engineer (stage: Onsite)", "An interview with Sam Lee for Backend Engineer was cancelled").

The event's data holds ids, stage and job names only; the names come from the ATS when the run
reads the records. A record the ATS no longer has is said by its id rather than failing the run:
the event still happened. The summary keeps the event type, ids, the job and the stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.errors import NotFound, SkillError
from skills.ats.records import ApplicationInfo, InterviewInfo, OfferInfo
from skills.base import Addressee, Gathered, SkillContext, TargetRef
from skills.builtin._fmt import local_zone, section, user_addressee, when

#: the title of each event's alert; its keys are every canonical event type
TITLES = {
    "candidate.created": "New candidate",
    "application.created": "New application",
    "candidate.stage_changed": "Stage changed",
    "interview.scheduled": "Interview scheduled",
    "interview.rescheduled": "Interview rescheduled",
    "interview.cancelled": "Interview cancelled",
    "interview.completed": "Interview completed",
    "offer.created": "Offer made",
    "offer.accepted": "Offer accepted",
    "candidate.replied": "Candidate replied",
    "candidate.withdrawn": "Candidate withdrew",
    "candidate.hired": "Hired",
    "candidate.rejected": "Candidate rejected",
}


@dataclass(frozen=True)
class Happening:
    """What the event is about, as the ATS has it now; None where it has no such record."""

    event: str
    candidate_id: int | None
    name: str
    application: ApplicationInfo | None
    interview: InterviewInfo | None
    offer: OfferInfo | None
    job: str
    stage: str

    def interview_time(self, tz: ZoneInfo, data: dict[str, Any]) -> str:
        """When the interview is: the time the event says (a rescheduling's new time, which
        the ATS's records may not have yet), else the interview record's."""
        try:
            said = datetime.fromisoformat(str(data["starts_at"])) if data.get("starts_at") else None
        except ValueError:
            said = None
        if said is not None and said.tzinfo is not None:
            return when(said, tz)
        return when(self.interview.starts_at, tz) if self.interview is not None else ""


def _id(data: dict[str, Any], key: str) -> int | None:
    """An id from the event's data (ATS ids arrive as text); None when absent or not a number."""
    value = data.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _found(read: Any, record_id: int | None) -> Any:
    if record_id is None:
        return None
    try:
        return read(record_id)
    except NotFound:
        return None


def _application_of(
    ctx: SkillContext, candidate_id: int | None, wanted: int | None, data: dict[str, Any]
) -> ApplicationInfo | None:
    """The application the event names, else the candidate's one for the event's job, else their
    active one, else their latest."""
    if wanted is not None and (named := _found(ctx.ats.application, wanted)) is not None:
        return named
    if candidate_id is None:
        return None
    try:
        apps = sorted(ctx.ats.applications_of(candidate_id), key=lambda a: a.applied_at)
    except NotFound:
        return None
    job_id, job = _id(data, "job_id"), str(data.get("job") or "").lower()
    chosen = (
        [a for a in apps if job_id is not None and a.job_id == job_id]
        or [a for a in apps if job and a.job_title.lower() == job]
        or [a for a in apps if a.status == "active"]
        or apps
    )
    return chosen[-1] if chosen else None


def read_happening(ctx: SkillContext) -> Happening:
    """The event of the run and the records it names; SkillError when the run has no event."""
    data = ctx.trigger_data
    event = str(data.get("event") or "")
    if event not in TITLES:
        raise SkillError(
            "Skill event-alert tells of an ATS event: run it from an event "
            "(for example candidate.hired); this run has "
            + (f"the unknown event '{event}'" if event else "none")
        )
    interview: InterviewInfo | None = _found(ctx.ats.interview, _id(data, "interview_id"))
    offer: OfferInfo | None = _found(ctx.ats.offer, _id(data, "offer_id"))
    candidate_id = _id(data, "candidate_id") or next(
        (r.candidate_id for r in (interview, offer) if r is not None), None
    )
    wanted = _id(data, "application_id") or next(
        (r.application_id for r in (interview, offer) if r is not None), None
    )
    app = _application_of(ctx, candidate_id, wanted, data)
    if candidate_id is None and app is not None:
        candidate_id = app.candidate_id
    if candidate_id is None:
        raise SkillError(f"The {event} event names no candidate, interview or offer to tell of")
    candidate = _found(ctx.ats.candidate, candidate_id)
    name = candidate.display_name if candidate is not None else f"Candidate {candidate_id}"
    job = next(
        (r.job_title for r in (app, interview, offer) if r is not None and r.job_title),
        str(data.get("job") or ""),
    )
    said_stage = data.get("to_stage" if event == "candidate.stage_changed" else "stage")
    stage = str(said_stage or "") or (app.stage if app is not None else "")
    return Happening(event, candidate_id, name, app, interview, offer, job, stage)


def sentence(h: Happening, tz: ZoneInfo, data: dict[str, Any]) -> str:
    """What happened, in one sentence fit for the event (no closing full stop)."""
    for_job = f" for {h.job}" if h.job else ""
    at_stage = f" (stage: {h.stage})" if h.stage else ""
    interview = f"An interview with {h.name}{for_job}"
    at = h.interview_time(tz, data)
    from_stage = data.get("from_stage")
    said = {
        "candidate.created": f"{h.name} was added as a candidate{for_job}",
        "application.created": f"{h.name} applied{for_job}",
        "candidate.stage_changed": f"{h.name} moved to {h.stage or 'a new stage'}{for_job}"
        + (f" (from {from_stage})" if from_stage else ""),
        "interview.scheduled": f"{interview} was scheduled" + (f" for {at}" if at else ""),
        "interview.rescheduled": f"{interview} was rescheduled" + (f" to {at}" if at else ""),
        "interview.cancelled": f"{interview} was cancelled"
        + (f" (it was set for {at})" if at else ""),
        "interview.completed": f"{interview} took place" + (f" ({at})" if at else ""),
        "offer.created": f"An offer was made to {h.name}{for_job}",
        "offer.accepted": f"{h.name} accepted the offer{for_job}",
        "candidate.replied": f"{h.name} replied" + (f" about {h.job}" if h.job else "") + at_stage,
        "candidate.withdrawn": f"{h.name} withdrew"
        + (f" from {h.job}" if h.job else "")
        + at_stage,
        "candidate.hired": f"{h.name} was hired{for_job}",
        "candidate.rejected": f"{h.name} was rejected{for_job}{at_stage}",
    }
    return said[h.event]


def _details(ctx: SkillContext, h: Happening, tz: ZoneInfo) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if h.application is not None:
        app = h.application
        items.append(
            {"text": f"Job: {app.job_title}" + (f" ({app.department})" if app.department else "")}
        )
        items.append({"text": f"Stage now: {app.stage}; application {app.status}"})
    elif h.job:
        items.append({"text": f"Job: {h.job}"})
    if h.interview is not None:
        i = h.interview
        who = user_addressee(ctx, "interviewer", i.interviewer_id)
        items.append(
            {
                "text": f"Interview: {i.kind}, {when(i.starts_at, tz)}"
                + (f" with {who.name or who.email}" if who else "")
                + f" ({i.status})"
            }
        )
    if h.offer is not None and h.offer.start_date is not None:
        start = h.offer.start_date
        items.append({"text": f"Start date: {start:%a %b} {start.day}"})
    return items


def _reference(h: Happening, data: dict[str, Any]) -> str:
    """The ids a recipient can look the event up by, in the ATS or `skilltick events`."""
    ids = [f"candidate {h.candidate_id}"]
    if h.application is not None:
        ids.append(f"application {h.application.id}")
    if h.interview is not None:
        ids.append(f"interview {h.interview.id}")
    if h.offer is not None:
        ids.append(f"offer {h.offer.id}")
    where = f" from {data['provider']}" if data.get("provider") else ""
    if data.get("event_id") is not None:
        ids.append(f"event {data['event_id']}{where}")
    return "; ".join(ids)


def event_alert(ctx: SkillContext) -> Gathered:
    """Tell the recipients what happened, in one sentence, with the ids to find it."""
    data = ctx.trigger_data
    h = read_happening(ctx)
    tz = local_zone(ctx)
    said = sentence(h, tz, data)
    summary: dict[str, Any] = {"event": h.event, "candidate_id": h.candidate_id}
    for key, record in (("application_id", h.application), ("interview_id", h.interview)):
        if record is not None:
            summary[key] = record.id
    if h.offer is not None:
        summary["offer_id"] = h.offer.id
    summary.update({k: v for k, v in (("job", h.job), ("stage", h.stage)) if v})
    addressees: dict[str, Addressee] = {}
    manager_id = next(
        (r.hiring_manager_id for r in (h.application, h.offer) if r and r.hiring_manager_id), None
    )
    if manager := user_addressee(ctx, "hiring_manager", manager_id):
        addressees["hiring_manager"] = manager
    if h.interview is not None and (
        interviewer := user_addressee(ctx, "interviewer", h.interview.interviewer_id)
    ):
        addressees["interviewer"] = interviewer
    context = {
        "title": f"{TITLES[h.event]}: {h.name}",
        "subtitle": h.job,
        "intro": f"{said}.",
        "sections": [
            section("Details", _details(ctx, h, tz), empty="The ATS has no more on this."),
            section("Look it up", [{"text": _reference(h, data)}]),
        ],
    }
    return Gathered(
        subject=said,
        context=context,
        summary=summary,
        targets=[TargetRef("candidate", str(h.candidate_id))],
        addressees=addressees,
    )
