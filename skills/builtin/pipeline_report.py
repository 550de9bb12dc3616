"""`pipeline-report`: active candidates by stage, movement since the last report, and who has
waited too long for contact. Gathers the data; the folder's templates render it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.errors import SkillError
from models.tables.demo_ats import CLOSED_STAGES
from skills.ats.records import StaleCandidate
from skills.base import Gathered, ReportDocument, SkillContext, TargetRef
from skills.departments import department_filter

# Long lists make an email nobody reads; the counts above them stay exact.
MAX_LISTED = 50
FALLBACK_WINDOW = {
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "fortnightly": timedelta(days=14),
    "monthly": timedelta(days=30),
}


def gather(ctx: SkillContext) -> Gathered:
    scope: str = ctx.params["scope"]
    period: str = ctx.params["period"]
    stale_days: int = ctx.params["stale_days"]
    if stale_days < 1:
        raise SkillError("Parameter 'stale_days' for skill pipeline-report must be 1 or more")
    zone = _zone(ctx.tz)
    owner_filter = ctx.owner.id if scope == "mine" else None
    jobs, in_departments = department_filter(ctx)

    ats = ctx.ats
    counts = ats.stage_counts(owner_filter, jobs=jobs)
    since = ctx.last_success_at or ctx.now - FALLBACK_WINDOW[period]
    # the moves are counted in the database; only the newest MAX_LISTED are read
    move_counts: Counter[tuple[str, str]] = Counter()
    moved = ats.stage_move_counts(since, owner_filter, until=ctx.now, jobs=jobs)
    for (before, after), n in moved.items():
        move_counts[(before or "(new)", after)] += n
    move_total = sum(move_counts.values())
    latest_moves = ats.latest_stage_moves(
        since, owner_filter, until=ctx.now, limit=MAX_LISTED, jobs=jobs
    )
    stale = ats.stale_candidates(stale_days, ctx.now, owner_filter, jobs=jobs)
    active = sum(counts.values())

    stage_order = [*counts, *CLOSED_STAGES]
    move_rows = [
        {"from": before, "to": after, "count": n}
        for (before, after), n in sorted(
            move_counts.items(),
            key=lambda item: (
                _position(stage_order, item[0][1]),
                _position(stage_order, item[0][0]),
            ),
        )
    ]
    local_now = ctx.now.astimezone(zone)
    if period == "daily":
        period_label = _day(local_now)
    elif period == "weekly":
        week_start = (local_now - timedelta(days=local_now.weekday())).date()
        period_label = f"week of {week_start:%b} {week_start.day}"
    else:  # the weeks or month up to this report
        period_label = f"{'two weeks' if period == 'fortnightly' else 'month'} to {_day(local_now)}"
    noun = "candidate" if active == 1 else "candidates"
    title = "Pipeline report" if scope == "mine" else "Team pipeline report"
    if ctx.last_success_at is not None:
        since_label = f"since your last report ({_day(since.astimezone(zone))})"
    else:
        days = FALLBACK_WINDOW[period].days
        since_label = "in the last day" if days == 1 else f"in the last {days} days"

    context: dict[str, Any] = {
        "title": title,
        "scope_label": (
            f"Candidates owned by {ctx.owner.name or ctx.owner.email}"
            if scope == "mine"
            else "All candidates in the organization"
        )
        + (f", {in_departments}" if in_departments else ""),
        "period_label": period_label,
        "generated_label": f"{_day(local_now)}, {_clock(local_now)}",
        "active": active,
        "stages": [{"name": stage, "count": n} for stage, n in counts.items()],
        "stage_width": max((len(stage) for stage in counts), default=5) + 2,
        "since_label": since_label,
        "move_total": move_total,
        "move_counts": move_rows,
        "moves": [
            {
                "name": m.candidate_name,
                "job": m.job_title,
                "from": m.from_stage or "(new)",
                "to": m.to_stage,
                "date": _day(m.occurred_at.astimezone(zone)),
            }
            for m in latest_moves  # newest first
        ],
        "moves_not_listed": max(0, move_total - MAX_LISTED),
        "stale_days": stale_days,
        "stale_total": len(stale),
        "stale": [
            {
                "name": s.candidate_name,
                "job": s.job_title,
                "stage": s.stage,
                "days": s.days_since_contact,
            }
            for s in stale[:MAX_LISTED]
        ],
        "stale_not_listed": max(0, len(stale) - MAX_LISTED),
    }
    # ids, counts and stage names only: this is what run history keeps
    summary: dict[str, Any] = {
        "active": active,
        "by_stage": dict(counts),
        "moves": move_total,
        "stale": len(stale),
        "scope": scope,
        "period": period,
        **({"departments": ctx.params["departments"]} if jobs is not None else {}),
    }
    return Gathered(
        subject=f"{title} — {active} active {noun} ({period_label})",
        context=context,
        document=ReportDocument("pipeline", context),
        summary=summary,
        targets=[TargetRef("candidate", str(s.candidate_id)) for s in _unique_candidates(stale)],
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SkillError(f"Unknown time zone {name!r} for the report's dates") from exc


def _position(order: list[str], stage: str) -> int:
    return order.index(stage) if stage in order else len(order)


def _day(moment: datetime) -> str:
    return f"{moment:%a %b} {moment.day}"


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M %p %Z}"


def _unique_candidates(stale: list[StaleCandidate]) -> list[StaleCandidate]:
    """One target per candidate, even when they wait on two applications."""
    seen: set[int] = set()
    unique = []
    for item in stale:
        if item.candidate_id not in seen:
            seen.add(item.candidate_id)
            unique.append(item)
    return unique
