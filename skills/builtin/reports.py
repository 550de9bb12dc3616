"""Report skills: sourcing-recap, new-candidate-alert, stale-candidate-sla, followups and
renewal-reminders. Each gathers through the ATS interface; summaries hold counts and ids only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from models.errors import SkillError
from skills.ats.records import (
    ApplicantKey,
    ApplicationInfo,
    OwnedStale,
    StaleCandidate,
    longest_waiting_first,
)
from skills.base import Gathered, SkillContext, TargetRef
from skills.builtin._fmt import MAX_LISTED, day, local_zone, section, user_names, when
from skills.builtin.stages import same_stage, waiting_words
from skills.calendar import business_days_between
from skills.departments import department_filter

OUTREACH = ("email", "call")


def _owner_filter(ctx: SkillContext) -> int | None:
    return ctx.owner.id if ctx.params.get("scope", "mine") == "mine" else None


def _scope_label(ctx: SkillContext, in_departments: str = "") -> str:
    """Whose candidates, and the departments' jobs kept to (`in_departments`)."""
    if _owner_filter(ctx) is None:
        label = "All candidates in the organization"
    else:
        label = f"Candidates owned by {ctx.owner.name or ctx.owner.email}"
    return f"{label}, {in_departments}" if in_departments else label


def _targets(ids: list[int]) -> list[TargetRef]:
    return [TargetRef("candidate", str(i)) for i in dict.fromkeys(ids)]


def sourcing_recap(ctx: SkillContext) -> Gathered:
    """The day's sourcing and outreach: who was sourced, emailed, called, moved, replied."""
    days: int = ctx.params["days"]
    if days < 1:
        raise SkillError("Parameter 'days' for skill sourcing-recap must be 1 or more")
    tz = local_zone(ctx)
    since = ctx.last_success_at or ctx.now - timedelta(days=days)
    ats = ctx.ats
    owner = _owner_filter(ctx)
    jobs, in_departments = department_filter(ctx)
    kinds: Counter[str] = Counter()
    by_user: Counter[int | None] = Counter()
    for (kind, user_id), n in ats.activity_counts(since, ctx.now, owner, jobs=jobs).items():
        kinds[kind] += n
        if kind in OUTREACH:
            by_user[user_id] += n
    sourced = ats.activities_of_kind(since, ctx.now, ("sourced",), owner, jobs=jobs)
    outreach = kinds["email"] + kinds["call"]
    # newest first, as listed; the count above is of them all
    latest_outreach = ats.activities_of_kind(
        since, ctx.now, OUTREACH, owner, newest_first=True, limit=MAX_LISTED, jobs=jobs
    )
    by_source = Counter(a.source for a in sourced)
    user_name = user_names(ctx)
    period = f"since {when(since, tz)}"
    context = {
        "title": "Sourcing recap",
        "subtitle": f"{_scope_label(ctx, in_departments)} · {period}",
        "intro": (
            f"{len(sourced)} sourced, {kinds['email']} emails, {kinds['call']} calls, "
            f"{kinds['reply']} replies, {kinds['stage_change']} stage change"
            f"{'s' if kinds['stage_change'] != 1 else ''}."
        ),
        "sections": [
            section(
                "New candidates",
                [
                    {"text": f"{a.candidate_name} ({a.source}), {when(a.occurred_at, tz)}"}
                    for a in sourced[:MAX_LISTED]
                ],
                empty="Nobody new was sourced.",
                total=len(sourced),
            ),
            section(
                "Outreach by recruiter",
                [
                    {"text": f"{user_name(uid)}: {n}"}
                    for uid, n in sorted(by_user.items(), key=lambda i: (-i[1], i[0] or 0))
                ],
                empty="No emails or calls.",
            ),
            section(
                "Sources of new candidates",
                [
                    {"text": f"{source or 'unknown'}: {n}"}
                    for source, n in sorted(by_source.items())
                ],
                empty="No new candidates.",
            ),
            section(
                "Outreach",
                [
                    {"text": f"{a.kind.title()} with {a.candidate_name}, {when(a.occurred_at, tz)}"}
                    for a in latest_outreach
                ],
                empty="No emails or calls.",
                total=outreach,
            ),
        ],
    }
    summary = {
        "sourced": len(sourced),
        "emails": kinds["email"],
        "calls": kinds["call"],
        "replies": kinds["reply"],
        "stage_changes": kinds["stage_change"],
        "by_source": dict(sorted(by_source.items())),
        **({"departments": ctx.params["departments"]} if jobs is not None else {}),
    }
    return Gathered(
        subject=f"Sourcing recap — {len(sourced)} sourced, {outreach} "
        f"outreach ({day(ctx.now.astimezone(tz))})",
        context=context,
        summary=summary,
        targets=_targets([a.candidate_id for a in sourced]),
    )


def _matcher(ctx: SkillContext) -> Callable[[ApplicantKey | ApplicationInfo], bool]:
    """Whether an application meets the alert's criteria (read once, applied to many)."""
    jobs = [j.lower() for j in ctx.params["jobs"] or []]
    location = (ctx.params["location"] or "").lower()
    words = [w.lower() for w in ctx.params["keywords"] or []]
    high_only = bool(ctx.params["high_priority_only"])

    def matches(app: ApplicantKey | ApplicationInfo) -> bool:
        if jobs and app.job_title.lower() not in jobs:
            return False
        if location and location not in f"{app.candidate_location} {app.location}".lower():
            return False
        text = f"{app.headline} {app.job_title} {app.source}".lower()
        if words and not any(w in text for w in words):
            return False
        return not (high_only and app.priority != "high")

    return matches


def new_candidate_alert(ctx: SkillContext) -> Gathered:
    """New applicants matching the criteria; high-priority ones first and flagged."""
    ats = ctx.ats
    tz = local_zone(ctx)
    application_id = ctx.trigger_data.get("application_id")
    matches = _matcher(ctx)
    if isinstance(application_id, int):
        listed = [a for a in [ats.application(application_id)] if matches(a)]
        found_ids = [a.id for a in listed]
        candidate_ids = [a.candidate_id for a in listed]
        high = sum(a.priority == "high" for a in listed)
    else:
        since = ctx.last_success_at or ctx.now - timedelta(hours=ctx.params["since_hours"])
        # high priority first, newest first: the database orders, the filters read a few
        # fields of each, and only the listed applications are read whole
        found_ids, candidate_ids, high = [], [], 0
        for a in ats.ranked_applications(since, ctx.now):
            if matches(a):
                found_ids.append(a.id)
                candidate_ids.append(a.candidate_id)
                high += a.priority == "high"
        listed = ats.applications(found_ids[:MAX_LISTED])
    matched = len(found_ids)
    criteria = [
        f"job: {', '.join(ctx.params['jobs'])}" if ctx.params["jobs"] else "",
        f"location: {ctx.params['location']}" if ctx.params["location"] else "",
        f"keywords: {', '.join(ctx.params['keywords'])}" if ctx.params["keywords"] else "",
    ]
    context = {
        "title": "New candidates",
        "subtitle": "Matching " + ("; ".join(c for c in criteria if c) or "every new applicant"),
        "intro": f"{matched} new applicant{'s' if matched != 1 else ''}, {high} high priority.",
        "sections": [
            section(
                "Applicants",
                [
                    {
                        "flag": "HIGH PRIORITY" if a.priority == "high" else "",
                        "text": f"{a.candidate_name} — {a.job_title} ({a.candidate_location}); "
                        f"{a.headline or 'no headline'}; via {a.source}, {when(a.applied_at, tz)}",
                    }
                    for a in listed
                ],
                total=matched,
            )
        ],
    }
    return Gathered(
        subject=f"{matched} new candidate{'s' if matched != 1 else ''}"
        + (f" ({high} high priority)" if high else ""),
        context=context,
        summary={"matched": matched, "high_priority": high, "application_ids": found_ids[:100]},
        targets=_targets(candidate_ids),
        skipped_reason=None if matched else "nothing_to_report",
    )


def stale_candidate_sla(ctx: SkillContext) -> Gathered:
    """Active candidates not contacted for N business days (weekends and the organisation's
    holidays do not count), or, with measure "stage", in their current stage that long;
    grouped by owner, optionally only those in one stage."""
    days: int = ctx.params["business_days"]
    if days < 0:
        raise SkillError("Parameter 'business_days' for skill stale-candidate-sla must be 0+")
    in_stage = ctx.params.get("measure", "contact") == "stage"
    stage = str(ctx.params.get("stage") or "").strip()
    tz = local_zone(ctx)
    holidays = ctx.holidays.holidays()
    # calendar days are at least business days: the ATS query narrows, then we count exactly
    owner_filter = _owner_filter(ctx)
    jobs, in_departments = department_filter(ctx)
    if in_stage:
        candidates = ctx.ats.stuck_with_owners(days, ctx.now, owner_filter, jobs=jobs)
    else:
        candidates = ctx.ats.stale_with_owners(days, ctx.now, owner_filter, jobs=jobs)
    known = list(ctx.ats.stage_counts(owner_filter)) if stage else []
    if stage:
        candidates = [c for c in candidates if same_stage(c.stage, stage)]
    waited_since: dict[date, int] = {}  # business days depend on the contact's local date only

    def waited(c: StaleCandidate) -> int:
        contact_day = c.last_contact_at.astimezone(tz).date()
        if contact_day not in waited_since:
            waited_since[contact_day] = business_days_between(
                c.last_contact_at, ctx.now, tz, holidays
            )
        return waited_since[contact_day]

    overdue = longest_waiting_first([c for c in candidates if waited(c) >= days], waited)
    user_name = user_names(ctx)
    owners: dict[str, list[OwnedStale]] = {}
    for c in overdue:
        owners.setdefault(user_name(c.owner_id), []).append(c)
    waiting = waiting_words(days, in_stage, stage, known)
    context = {
        "title": waiting.title,
        "subtitle": f"{_scope_label(ctx, in_departments)} · {waiting.condition}",
        "intro": f"{len(overdue)} candidate{'s' if len(overdue) != 1 else ''} "
        + (f"{waiting.condition}. " if days == 0 else "over the SLA. ")
        + "Weekends and holidays are not counted."
        + waiting.note,
        "sections": [
            section(
                f"Owner: {name}",
                [
                    {
                        "flag": "OVERDUE x2" if days and waited(c) >= 2 * days else "",
                        "text": f"{c.candidate_name} ({c.job_title}, {c.stage}): {waited(c)} business days "
                        f"{waiting.since} {day(c.last_contact_at.astimezone(tz))}",
                    }
                    for c in rows[:MAX_LISTED]
                ],
                total=len(rows),
            )
            for name, rows in sorted(owners.items())
        ]
        or [section("Everyone", empty=waiting.nobody)],
    }
    summary = {
        "over_sla": len(overdue),
        "business_days": days,
        **({"measure": "stage"} if in_stage else {}),
        **({"stage": stage} if stage else {}),
        **({"departments": ctx.params["departments"]} if jobs is not None else {}),
        "by_stage": dict(sorted(Counter(c.stage for c in overdue).items())),
        "owners": len(owners),
    }
    counted = f"{len(overdue)} candidate{'s' if len(overdue) != 1 else ''}"
    return Gathered(
        # 0 days lists everyone: no SLA is over
        subject=f"{counted} {waiting.condition}"
        if days == 0
        else f"SLA: {counted} {waiting.condition.replace('no contact', 'not contacted')}",
        context=context,
        summary=summary,
        targets=_targets([c.candidate_id for c in overdue]),
    )


def followups(ctx: SkillContext) -> Gathered:
    """Follow-up tasks due by the end of today (in the report's time zone), overdue first."""
    tz = local_zone(ctx)
    local = ctx.now.astimezone(tz)
    end_of_day = local.replace(hour=23, minute=59, second=59, microsecond=0)
    tasks = ctx.ats.open_tasks_due(end_of_day, _owner_filter(ctx))
    overdue = [t for t in tasks if t.due_at < ctx.now]
    user_name = user_names(ctx)
    items = [
        {
            "flag": "OVERDUE" if t.due_at < ctx.now else "",
            "text": f"{t.title}"
            + (f" — {t.candidate_name}" if t.candidate_name else "")
            + f" (due {when(t.due_at, tz)}; {user_name(t.owner_id)})",
        }
        for t in tasks[:MAX_LISTED]
    ]
    context = {
        "title": "Follow-ups due",
        "subtitle": f"{_scope_label(ctx)} · {day(local)}",
        "intro": f"{len(tasks)} due today or earlier, {len(overdue)} overdue.",
        "sections": [section("Tasks", items, empty="No follow-ups due. Nice.", total=len(tasks))],
    }
    return Gathered(
        subject=f"{len(tasks)} follow-up{'s' if len(tasks) != 1 else ''} due "
        f"({len(overdue)} overdue)",
        context=context,
        summary={
            "due": len(tasks),
            "overdue": len(overdue),
            "task_ids": [t.id for t in tasks][:100],
        },
        targets=_targets([t.candidate_id for t in tasks if t.candidate_id]),
        skipped_reason=None if tasks or not ctx.params["skip_when_empty"] else "nothing_to_report",
    )


def renewal_reminders(ctx: SkillContext) -> Gathered:
    """Contract placements ending and open offers expiring soon."""
    tz = local_zone(ctx)
    today = ctx.now.astimezone(tz).date()
    ending = ctx.ats.placements_ending(today, today + timedelta(days=ctx.params["contract_days"]))
    expiring = ctx.ats.offers_expiring(ctx.now, ctx.now + timedelta(days=ctx.params["offer_days"]))
    dated = [(o, o.expires_at) for o in expiring if o.expires_at]
    context = {
        "title": "Renewals and expiries",
        "subtitle": f"As of {day(ctx.now.astimezone(tz))}",
        "intro": f"{len(ending)} contract{'s' if len(ending) != 1 else ''} ending within "
        f"{ctx.params['contract_days']} days, {len(expiring)} offer"
        f"{'s' if len(expiring) != 1 else ''} expiring within "
        f"{ctx.params['offer_days']} days.",
        "sections": [
            section(
                "Contracts ending",
                [
                    {
                        "flag": "THIS WEEK" if p.ends_on and (p.ends_on - today).days < 7 else "",
                        "text": f"{p.candidate_name} — {p.job_title}: ends {_date(p.ends_on)} "
                        f"({(p.ends_on - today).days if p.ends_on else 0} days)",
                    }
                    for p in ending[:MAX_LISTED]
                ],
                empty="No contracts ending soon.",
                total=len(ending),
            ),
            section(
                "Offers expiring",
                [
                    {"text": f"{o.candidate_name} — {o.job_title}: expires {when(expires, tz)}"}
                    for o, expires in dated[:MAX_LISTED]
                ],
                empty="No open offers expiring soon.",
                total=len(dated),
            ),
        ],
    }
    return Gathered(
        subject=f"Renewals: {len(ending)} contract(s) ending, {len(expiring)} offer(s) expiring",
        context=context,
        summary={
            "contracts_ending": len(ending),
            "offers_expiring": len(expiring),
            "placement_ids": [p.id for p in ending][:100],
            "offer_ids": [o.id for o in expiring][:100],
        },
        targets=_targets([p.candidate_id for p in ending] + [o.candidate_id for o in expiring]),
    )


def _date(value: Any) -> str:
    return f"{value:%a %b} {value.day}" if value else "(no date)"
