"""The candidate-note skill's Python half: a short note to the candidate on an event.

A courteous rejection (candidate.rejected), a confirmation that their application arrived
(application.created) or thanks after they withdraw (candidate.withdrawn). The note names the
candidate by first name and the job, and is signed by the automation's owner and the
organisation; what the run history keeps (the summary) is the kind of
note and the job and application ids, never a name or an address."""

from __future__ import annotations

from models.errors import SkillError
from skills.ats.records import ApplicationInfo
from skills.base import Addressee, Gathered, SkillContext, TargetRef
from skills.builtin._fmt import trigger_id

#: the event each kind of note answers, for the error a run without its data gets
KIND_EVENTS = {
    "rejection": "candidate.rejected",
    "acknowledgement": "application.created",
    "withdrawal": "candidate.withdrawn",
}

#: the application status each kind of note follows, when the event names no application
KIND_STATUS = {"rejection": "rejected", "acknowledgement": "active", "withdrawal": "withdrawn"}


def _application(ctx: SkillContext, candidate_id: int, kind: str) -> ApplicationInfo:
    """The application the event names (ATS ids arrive as text), else the candidate's latest
    one in the state the note follows, else their latest."""
    apps = sorted(ctx.ats.applications_of(candidate_id), key=lambda a: a.applied_at)
    named = ctx.trigger_data.get("application_id")
    chosen = (
        [a for a in apps if named is not None and str(a.id) == str(named)]
        or [a for a in apps if a.status == KIND_STATUS[kind]]
        or apps
    )
    if not chosen:
        raise SkillError(f"Candidate {candidate_id} has no application")
    return chosen[-1]


def _subject(kind: str, job: str) -> str:
    return {
        "rejection": f"Your application for {job}",
        "acknowledgement": f"We received your application for {job}",
        "withdrawal": f"Thank you for considering the {job} role",
    }[kind]


def _paragraphs(kind: str, job: str, department: str, org: str) -> list[str]:
    """The note's body; `org`: the organisation's name ("" reads "us" and "our team")."""
    us = org or "us"
    team = f"the {department} team" if department else "our team"
    if org:
        team += f" at {org}"
    if kind == "acknowledgement":
        return [
            f"Thank you for applying for the {job} role. Your application has reached us, "
            f"and {team} will read it carefully.",
            "We will be in touch about next steps; there is nothing more you need to do for now.",
        ]
    if kind == "withdrawal":
        return [
            f"Thank you for letting us know that you are withdrawing from the {job} process, "
            "and for the time you gave us along the way.",
            f"We would be glad to hear from you again if a future role with {us} interests "
            "you. We wish you every success.",
        ]
    return [
        f"Thank you for your interest in the {job} role and for the time you gave to the process.",
        "After careful consideration, we have decided not to move forward with your "
        "application. This was not an easy decision, and it is no reflection on the effort "
        "you put in.",
        f"We would be glad to hear from you again if a future role with {us} interests you. "
        "We wish you every success in your search.",
    ]


def signature(owner: str, org: str) -> str:
    """Who signs the note: "Dana Reyes, Acme Talent"; the recruiting team without a name."""
    if owner and org:
        return f"{owner}, {org}"
    if owner:
        return owner
    return f"The recruiting team at {org}" if org else "The recruiting team"


def candidate_note(ctx: SkillContext) -> Gathered:
    """The note of the automation's kind, to the candidate the event names."""
    kind = str(ctx.params.get("kind") or "rejection")
    candidate_id = trigger_id(ctx, "candidate_id", "candidate-note", KIND_EVENTS[kind])
    candidate = ctx.ats.candidate(candidate_id)
    app = _application(ctx, candidate_id, kind)
    org = ctx.org_name.strip()
    paragraphs = _paragraphs(kind, app.job_title, app.department, org)
    own = str(ctx.params.get("message") or "").strip()
    if own:
        paragraphs.insert(len(paragraphs) - 1, own)
    context = {
        "title": _subject(kind, app.job_title),
        "subtitle": "",
        "first_name": candidate.first_name or "there",
        "paragraphs": paragraphs,
        "sign_off": f"Kind regards,\n{signature(ctx.owner.name.strip(), org)}",
        "footer": "Questions? Reply to this email.",
    }
    return Gathered(
        subject=_subject(kind, app.job_title),
        context=context,
        summary={
            "note": kind,
            "candidate_id": candidate_id,
            "application_id": app.id,
            "job_id": app.job_id,
        },
        targets=[TargetRef("candidate", str(candidate_id))],
        addressees={
            "candidate": Addressee(
                "candidate", candidate.email, candidate.display_name, None, candidate.timezone
            )
        },
    )
