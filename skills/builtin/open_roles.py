"""`open-roles-report`: open jobs with days open, applicants by stage and days since their
pipeline last moved, grouped by department or hiring manager."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from models.errors import SkillError
from skills.ats.hiring_records import JobPipeline
from skills.base import Gathered, SkillContext
from skills.builtin._fmt import (
    MAX_LISTED,
    day,
    local_zone,
    section,
    user_addressee,
    user_names,
)
from skills.departments import in_departments, unknown_departments, unknown_line

#: a pipeline with no movement for this many days is flagged
QUIET_DAYS = 14


def open_roles_report(ctx: SkillContext) -> Gathered:
    older: int = ctx.params["older_than_days"]
    if older < 0:
        raise SkillError("Parameter 'older_than_days' for skill open-roles-report must be 0+")
    wanted: list[str] = list(ctx.params.get("departments") or [])
    tz = local_zone(ctx)
    ats = ctx.ats
    cutoff = ctx.now - timedelta(days=older)
    jobs = [
        j
        for j in ats.job_pipelines()
        if j.opened_at < cutoff and in_departments(j.department, wanted)
    ]
    jobs.sort(key=lambda j: (j.opened_at, j.id))  # longest open first
    note = ""
    if wanted and (unknown := unknown_departments(wanted, (j.department for j in ats.jobs()))):
        note = " " + unknown_line(unknown, (j.department for j in ats.jobs()))
    which = f"open more than {older} day{'s' if older != 1 else ''}" if older else "open"
    report = _Report(ctx, tz, which, wanted, list(ats.stage_counts()), user_names(ctx))
    summary = {
        "open_roles": len(jobs),
        "older_than_days": older,
        "quiet": sum(_quiet_days(ctx, j) >= QUIET_DAYS for j in jobs),
        "by_department": dict(sorted(Counter(j.department for j in jobs).items())),
        **({"departments": wanted} if wanted else {}),
        "job_ids": [j.id for j in jobs][:100],
    }
    skip = not jobs and bool(ctx.params.get("skip_when_empty"))
    managers = dict.fromkeys(j.hiring_manager_id for j in jobs if j.hiring_manager_id)
    found = ((m, user_addressee(ctx, "hiring_manager", m)) for m in managers)
    people = [(m, a) for m, a in found if a is not None]
    keys = ["hiring_manager" if n == 0 else f"hiring_manager:{n + 1}" for n in range(len(people))]
    return Gathered(
        subject=f"Open roles — {len(jobs)} {which} ({day(ctx.now.astimezone(tz))})",
        context=report.context(jobs, note),
        summary=summary,
        skipped_reason="nothing_to_report" if skip else None,
        # every hiring manager of a role listed, when the automation sends to them: each gets
        # their own roles (the owner and addresses named get the whole list)
        addressees={key: person for key, (_, person) in zip(keys, people, strict=True)},
        copies={
            key: report.own([j for j in jobs if j.hiring_manager_id == manager], note)
            for key, (manager, _) in zip(keys, people, strict=True)
        },
    )


@dataclass(frozen=True)
class _Report:
    """How a list of open roles reads: the whole list, or one hiring manager's own roles."""

    ctx: SkillContext
    tz: Any
    which: str  # "open", "open more than 30 days"
    wanted: list[str]  # the departments asked for
    stage_order: list[str]
    user_name: Callable[[int | None], str]

    def context(self, jobs: list[JobPipeline], note: str, title: str = "Open roles") -> dict:
        ctx, which = self.ctx, self.which
        by_manager = ctx.params.get("group_by") == "hiring_manager"
        groups: dict[str, list[JobPipeline]] = {}
        for job in jobs:
            key = (
                self.user_name(job.hiring_manager_id)
                if by_manager
                else job.department or "No department"
            )
            groups.setdefault(key, []).append(job)
        quiet = sum(_quiet_days(ctx, j) >= QUIET_DAYS for j in jobs)
        noun = "role" if len(jobs) == 1 else "roles"
        return {
            "title": title,
            "subtitle": (
                (f"Departments: {', '.join(self.wanted)} · " if self.wanted else "")
                + f"As of {day(ctx.now.astimezone(self.tz))}"
            ),
            "intro": f"{len(jobs)} {noun} {which}; {quiet} with no pipeline movement for "
            f"{QUIET_DAYS}+ days." + note,
            "sections": [
                section(
                    f"{'Hiring manager' if by_manager else 'Department'}: {name}",
                    [_item(ctx, j, self.stage_order, self.tz) for j in rows[:MAX_LISTED]],
                    total=len(rows),
                )
                for name, rows in sorted(groups.items())
            ]
            or [section("Open roles", empty=f"No role is {which}.")],
        }

    def own(self, jobs: list[JobPipeline], note: str) -> tuple[str, dict[str, Any]]:
        """A hiring manager's copy: the subject and context of the roles they manage."""
        when = day(self.ctx.now.astimezone(self.tz))
        subject = f"Your open roles — {len(jobs)} {self.which} ({when})"
        return subject, self.context(jobs, note, "Your open roles")


def _quiet_days(ctx: SkillContext, job: JobPipeline) -> int:
    """Whole days since the job's pipeline last moved (since it opened, when nobody applied)."""
    return (ctx.now - (job.last_moved_at or job.opened_at)).days


def _item(ctx: SkillContext, job: JobPipeline, order: list[str], tz: Any) -> dict[str, str]:
    stages = dict(job.by_stage)
    ranked = sorted(stages, key=lambda s: (order.index(s) if s in order else len(order), s))
    active = sum(stages.values())
    by_stage = ", ".join(f"{s} {stages[s]}" for s in ranked)
    open_days = (ctx.now - job.opened_at).days
    quiet = _quiet_days(ctx, job)
    if job.last_moved_at is None:
        moved = "nobody has applied yet"
    else:
        ago = "today" if quiet == 0 else f"{quiet} day{'s' if quiet != 1 else ''} ago"
        moved = f"last movement {ago} ({day(job.last_moved_at.astimezone(tz))})"
    flag = "NO ACTIVE CANDIDATES" if not active else ""
    if quiet >= QUIET_DAYS:
        flag = flag or f"QUIET {QUIET_DAYS}+ DAYS"
    where = f", {job.location}" if job.location else ""
    return {
        "flag": flag,
        "text": f"{job.title}{where} — open {open_days} day{'s' if open_days != 1 else ''} "
        f"(since {day(job.opened_at.astimezone(tz))}); {active} active of {job.applicants} "
        f"applicant{'s' if job.applicants != 1 else ''}"
        + (f": {by_stage}" if by_stage else "")
        + f"; {moved}",
    }
