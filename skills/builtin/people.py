"""Skills about one candidate or interview, sent to a person: interview-prep (to the candidate),
offer-accepted-alert (to the hiring manager), interview-briefing and post-interview-followup (to
the interviewer). Started by events; the event's data names the candidate, offer or interview."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models.errors import SkillError
from skills.ats.records import ApplicationInfo, InterviewInfo
from skills.base import Addressee, Gathered, SkillContext, TargetRef
from skills.builtin._fmt import day, local_zone, section, trigger_id, user_addressee, when
from skills.calendar import zone
from skills.windows import STATED_MARGIN, until_next_run

KIND_TIPS = {
    "phone": "A 30-minute call: have a quiet spot and your questions ready.",
    "video": "A video call: test your camera and microphone a few minutes early.",
    "onsite": "At our office: bring a photo ID and arrive ten minutes early.",
    "panel": "A panel with several team members: expect a mix of technical and team questions.",
}


def _application(ctx: SkillContext, candidate_id: int) -> ApplicationInfo:
    ats = ctx.ats
    application_id = ctx.trigger_data.get("application_id")
    apps = ats.applications_of(candidate_id)
    chosen = (
        [a for a in apps if a.id == application_id]
        or [a for a in apps if a.status == "active"]
        or apps
    )
    if not chosen:
        raise SkillError(f"Candidate {candidate_id} has no application")
    return chosen[0]


def interview_prep(ctx: SkillContext) -> Gathered:
    """The candidate's prep pack when they reach the interview stage."""
    ats = ctx.ats
    candidate_id = trigger_id(ctx, "candidate_id", "interview-prep", "candidate.stage_changed")
    candidate = ats.candidate(candidate_id)
    app = _application(ctx, candidate_id)
    tz = zone(candidate.timezone, ctx.org_timezone)
    upcoming = [
        i
        for i in ats.interviews_of(candidate_id)
        if i.status == "scheduled" and i.starts_at >= ctx.now
    ]
    context = {
        "title": f"Your interview for {app.job_title}",
        "subtitle": f"{app.department} · {app.location}",
        "intro": f"Hi {candidate.first_name}, congratulations on reaching the interview stage "
        f"for {app.job_title}! Here is what to expect.",
        "sections": [
            section(
                "Your interviews",
                [
                    {
                        "text": f"{when(i.starts_at, tz)} — {i.kind} interview "
                        f"({int((i.ends_at - i.starts_at).total_seconds() // 60)} minutes)"
                    }
                    for i in upcoming
                ],
                empty="We will send you times shortly.",
            ),
            section(
                "How to prepare",
                [
                    {"text": KIND_TIPS[k]}
                    for k in dict.fromkeys(i.kind for i in upcoming)
                    if k in KIND_TIPS
                ]
                + [
                    {"text": f"Read about the {app.department} team and the {app.job_title} role."},
                    {"text": "Prepare two or three examples of work you are proud of."},
                ],
            ),
        ],
        "footer": f"Questions? Reply to this email. — {ctx.owner.name or 'The recruiting team'}",
    }
    return Gathered(
        subject=f"Preparing for your {app.job_title} interview",
        context=context,
        summary={
            "candidate_id": candidate_id,
            "application_id": app.id,
            "stage": app.stage,
            "job": app.job_title,
            "interviews": len(upcoming),
        },
        targets=[TargetRef("candidate", str(candidate_id))],
        addressees={
            "candidate": Addressee(
                "candidate", candidate.email, candidate.display_name, None, candidate.timezone
            )
        },
    )


def offer_accepted_alert(ctx: SkillContext) -> Gathered:
    """Tell the hiring manager an offer was accepted."""
    ats = ctx.ats
    if "offer_id" in ctx.trigger_data:
        offer = ats.offer(trigger_id(ctx, "offer_id", "offer-accepted-alert", "offer.accepted"))
    else:
        candidate_id = trigger_id(ctx, "candidate_id", "offer-accepted-alert", "offer.accepted")
        offers = [o for o in ats.offers_of(candidate_id) if o.status == "accepted"]
        if not offers:
            raise SkillError(f"Candidate {candidate_id} has no accepted offer")
        offer = offers[-1]
    tz = local_zone(ctx)
    manager = user_addressee(ctx, "hiring_manager", offer.hiring_manager_id)
    start = f"{offer.start_date:%a %b} {offer.start_date.day}" if offer.start_date else "to be set"
    context = {
        "title": f"Offer accepted: {offer.candidate_name}",
        "subtitle": offer.job_title,
        "intro": f"{offer.candidate_name} accepted the offer for {offer.job_title}"
        + (f" on {when(offer.accepted_at, tz)}" if offer.accepted_at else "")
        + ".",
        "sections": [
            section(
                "Next steps",
                [
                    {"text": f"Start date: {start}"},
                    {"text": "Plan onboarding: equipment, accounts and a first-week buddy."},
                    {"text": "Tell the interviewers and close the other candidates for this role."},
                ],
            )
        ],
    }
    return Gathered(
        subject=f"Offer accepted — {offer.candidate_name}, {offer.job_title}",
        context=context,
        summary={"offer_id": offer.id, "candidate_id": offer.candidate_id, "job": offer.job_title},
        targets=[TargetRef("candidate", str(offer.candidate_id))],
        addressees={"hiring_manager": manager} if manager else {},
    )


def _interviews_for(
    ctx: SkillContext, skill: str, event: str, window: tuple[datetime, datetime]
) -> list[InterviewInfo]:
    ats = ctx.ats
    if "interview_id" in ctx.trigger_data:
        return [ats.interview(trigger_id(ctx, "interview_id", skill, event))]
    # on a schedule: the owner's interviews in the window
    return [i for i in ats.interviews_between(*window) if i.interviewer_id == ctx.owner.id]


#: interviews briefed in full (four ATS reads each); the rest of a long window get a line each
BRIEFED_IN_FULL = 20


def briefing_window(ctx: SkillContext) -> tuple[datetime, datetime]:
    """The interviews a briefing on a schedule covers, [start, end).

    With `lead_minutes` set: those starting within it (and a 5-minute margin) of the run. Unset:
    those from when the run was due until the automation's next run, read from its schedule as
    it is now, so consecutive briefings neither miss nor repeat an interview however the
    schedule is changed (skills.windows: at most a week ahead, a day when no run follows)."""
    lead = ctx.params.get("lead_minutes")
    if lead:
        return ctx.now, ctx.now + timedelta(minutes=int(lead)) + STATED_MARGIN
    start = ctx.occurrence or ctx.now
    return start, until_next_run(start, ctx.next_run_after(start), ctx.tz)


def interview_briefing(ctx: SkillContext) -> Gathered:
    """Brief the interviewer before the interview: who, for what, what happened so far. From an
    event, the interview of the event; on a schedule, the owner's interviews of the window."""
    scheduled = "interview_id" not in ctx.trigger_data
    window = briefing_window(ctx) if scheduled else (ctx.now, ctx.now)
    interviews = _interviews_for(ctx, "interview-briefing", "interview.scheduled", window)
    interviews = [i for i in interviews if i.status == "scheduled"]
    if not interviews:
        return Gathered("No interviews", {}, {"interviews": 0}, skipped_reason="nothing_to_report")
    tz = local_zone(ctx)
    sections = [_briefing_section(ctx, i, tz) for i in interviews[:BRIEFED_IN_FULL]]
    if later := interviews[BRIEFED_IN_FULL:]:
        sections.append(
            section(
                f"{len(later)} more interviews",
                [
                    {"text": f"{i.candidate_name} — {when(i.starts_at, tz)} ({i.kind})"}
                    for i in later
                ],
            )
        )
    first = interviews[0]
    interviewer = user_addressee(ctx, "interviewer", first.interviewer_id)
    prepared = f"Prepared {when(ctx.now, tz)}"
    if scheduled:
        prepared += f"; your interviews until {when(window[1], tz)}"
    return Gathered(
        subject=f"Briefing: {first.candidate_name}, {first.kind} interview at "
        f"{when(first.starts_at, tz)}"
        if len(interviews) == 1
        else f"Briefing: {len(interviews)} interviews coming up",
        context={
            "title": "Interview briefing",
            "subtitle": prepared,
            "intro": "",
            "sections": sections,
        },
        summary={"interviews": len(interviews), "interview_ids": [i.id for i in interviews]},
        targets=[TargetRef("candidate", str(i.candidate_id)) for i in interviews],
        addressees={"interviewer": interviewer} if interviewer else {},
    )


def _briefing_section(ctx: SkillContext, i: InterviewInfo, tz: ZoneInfo) -> dict[str, Any]:
    """One interview in full: the role, the candidate, earlier interviews and recent history."""
    ats = ctx.ats
    candidate = ats.candidate(i.candidate_id)
    app = ats.application(i.application_id)
    history = [
        a
        for a in ats.activities_of(i.candidate_id, ctx.now - timedelta(days=120), ctx.now)
        if a.kind != "note"
    ]
    earlier = [p for p in ats.interviews_of(i.candidate_id) if p.starts_at < i.starts_at]
    return section(
        f"{i.candidate_name} — {when(i.starts_at, tz)} ({i.kind})",
        [
            {"text": f"Role: {app.job_title} ({app.department}), stage {app.stage}"},
            {"text": f"Headline: {app.headline or 'none'}"},
            {
                "text": f"Based in {candidate.location}; came via {candidate.source}; applied "
                f"{day(app.applied_at.astimezone(tz))}"
            },
            *[
                {
                    "text": f"Earlier {p.kind} interview {day(p.starts_at.astimezone(tz))}: "
                    + ("scorecard in" if p.scorecard_submitted_at else "no scorecard yet")
                }
                for p in earlier
            ],
            *[
                {
                    "text": f"{day(a.occurred_at.astimezone(tz))}: "
                    + (f"{a.from_stage} → {a.to_stage}" if a.kind == "stage_change" else a.kind)
                }
                for a in history[-6:]
            ],
        ],
    )


def post_interview_followup(ctx: SkillContext) -> Gathered:
    """After an interview: remind the interviewer to submit the scorecard, and draft a thank-you
    note for the recruiter to send the candidate."""
    ats = ctx.ats
    hours = timedelta(hours=ctx.params["within_hours"])
    interviews = _interviews_for(
        ctx, "post-interview-followup", "interview.completed", (ctx.now - hours, ctx.now)
    )
    interviews = [i for i in interviews if i.ends_at <= ctx.now and i.status != "cancelled"]
    if not interviews:
        return Gathered("No interviews", {}, {"interviews": 0}, skipped_reason="nothing_to_report")
    tz = local_zone(ctx)
    sections = []
    for i in interviews:
        candidate = ats.candidate(i.candidate_id)
        reminder = (
            "Your scorecard is in, thank you."
            if i.scorecard_submitted_at
            else "Please submit your scorecard today, while the interview is fresh."
        )
        sections.append(
            section(
                f"{i.candidate_name} — {i.job_title}, {i.kind} interview {when(i.starts_at, tz)}",
                paragraphs=[
                    reminder,
                    f"Thank-you draft:\n\nHi {candidate.first_name},\n\nThank you for taking the time "
                    f"to talk with us about the {i.job_title} role. We enjoyed the conversation and "
                    f"will be in touch soon about next steps.\n\nBest,\n{ctx.owner.name}",
                ],
            )
        )
    missing = sum(1 for i in interviews if not i.scorecard_submitted_at)
    interviewer = user_addressee(ctx, "interviewer", interviews[0].interviewer_id)
    return Gathered(
        subject=f"Follow-up: {missing} scorecard{'s' if missing != 1 else ''} to submit",
        context={
            "title": "After your interview",
            "subtitle": when(ctx.now, tz),
            "intro": "",
            "sections": sections,
        },
        summary={
            "interviews": len(interviews),
            "scorecards_missing": missing,
            "interview_ids": [i.id for i in interviews],
        },
        targets=[TargetRef("candidate", str(i.candidate_id)) for i in interviews],
        addressees={"interviewer": interviewer} if interviewer else {},
    )
