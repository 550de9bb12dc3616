"""`hiring-metrics`: hires, time to hire, offers and their acceptance, and time in stage over a
period, for all jobs and by department or job. Only counts and durations: no one is named."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from skills.ats.hiring_records import HistoryMove
from skills.base import Gathered, SkillContext
from skills.builtin._fmt import day, local_zone, section
from skills.departments import in_departments, unknown_departments, unknown_line

PERIODS: dict[str, timedelta | relativedelta] = {
    "week": timedelta(days=7),
    "month": relativedelta(months=1),
    "quarter": relativedelta(months=3),
}
# an expired offer is left out of the rate: a mirrored ATS's may be a superseded version
DECIDED = ("accepted", "declined")


@dataclass
class Figures:
    """What one group (or all jobs) counts over the period."""

    days_to_hire: list[float] = field(default_factory=list)
    offers: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    in_stage: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def acceptance(self) -> float | None:
        decided = sum(self.offers[s] for s in DECIDED)
        return self.offers["accepted"] / decided if decided else None


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: list[float]) -> float | None:
    """The 90th percentile by nearest rank: a value that was observed."""
    if not values:
        return None
    ranked = sorted(values)
    return ranked[math.ceil(0.9 * len(ranked)) - 1]


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def stage_spells(
    moves: Iterable[HistoryMove], start: datetime, end: datetime, first_stage: str | None
) -> list[tuple[HistoryMove, float]]:
    """Each move out of a stage with start < occurred_at <= end and the days spent in that
    stage; the stage's start is the application's previous move into it, or its application
    when it left the first stage having never moved before (else unknown: left out)."""
    entered: dict[int, tuple[str, datetime]] = {}
    spells = []
    for move in moves:
        before = entered.get(move.application_id)
        since: datetime | None = None
        if move.from_stage is not None:
            if before is not None and before[0] == move.from_stage:
                since = before[1]
            elif before is None and move.from_stage == first_stage:
                since = move.applied_at
        if since is not None and start < move.occurred_at <= end:
            spells.append((move, days_between(since, move.occurred_at)))
        entered[move.application_id] = (move.to_stage, move.occurred_at)
    return spells


def hiring_metrics(ctx: SkillContext) -> Gathered:
    period: str = ctx.params["period"]
    wanted: list[str] = list(ctx.params.get("departments") or [])
    by_job = ctx.params.get("group_by") == "job"
    tz = local_zone(ctx)
    ats = ctx.ats
    if period == "since_last_run" and ctx.last_success_at is not None:
        start = ctx.last_success_at
    else:
        start = ctx.now - PERIODS.get(period, PERIODS["month"])
    all_jobs = ats.jobs()
    jobs = {j.id: j for j in all_jobs if in_departments(j.department, wanted)}

    def group(job_id: int) -> str:
        job = jobs[job_id]
        return job.title if by_job else job.department or "No department"

    overall = Figures()
    groups: dict[str, Figures] = defaultdict(Figures)
    for hire in ats.hires_between(start, ctx.now):
        if hire.job_id in jobs:
            days = days_between(hire.applied_at, hire.hired_at)
            for figures in (overall, groups[group(hire.job_id)]):
                figures.days_to_hire.append(days)
    for offer in ats.offers_made_between(start, ctx.now):
        if offer.job_id in jobs:
            for figures in (overall, groups[group(offer.job_id)]):
                figures.offers[offer.status] += 1
    first_stage = next(iter(ats.stage_counts()), None)
    for move, days in stage_spells(
        ats.stage_histories(start, ctx.now), start, ctx.now, first_stage
    ):
        if move.job_id in jobs and move.from_stage is not None:
            for figures in (overall, groups[group(move.job_id)]):
                figures.in_stage[move.from_stage].append(days)
    stage_order = [*ats.stage_counts()]
    note = ""
    if wanted and (unknown := unknown_departments(wanted, (j.department for j in all_jobs))):
        note = " " + unknown_line(unknown, (j.department for j in all_jobs))
    local_start, local_now = start.astimezone(tz), ctx.now.astimezone(tz)
    span = f"{day(local_start)} to {day(local_now)}"
    hires = len(overall.days_to_hire)
    rate = overall.acceptance
    context = {
        "title": "Hiring metrics",
        "subtitle": (f"Departments: {', '.join(wanted)} · " if wanted else "") + span,
        "intro": f"{hires} hire{'s' if hires != 1 else ''}, "
        f"{sum(overall.offers.values())} offers made, acceptance rate "
        f"{_percent(rate)}, median time to hire {_days(median(overall.days_to_hire))}." + note,
        "sections": [
            section("All jobs", _lines(overall, stage_order)),
            *(
                section(f"{'Job' if by_job else 'Department'}: {name}", _lines(f, stage_order))
                for name, f in sorted(groups.items())
            ),
        ],
    }
    summary: dict[str, Any] = {
        "period": period,
        "hires": hires,
        "median_days_to_hire": _rounded(median(overall.days_to_hire)),
        "p90_days_to_hire": _rounded(p90(overall.days_to_hire)),
        "offers_made": sum(overall.offers.values()),
        "offers_accepted": overall.offers["accepted"],
        "acceptance_rate": _rounded(rate, 3),
        "by_group": {
            name: {"hires": len(f.days_to_hire), "offers": sum(f.offers.values())}
            for name, f in sorted(groups.items())
        },
        **({"departments": wanted} if wanted else {}),
    }
    return Gathered(
        subject=f"Hiring metrics — {hires} hire{'s' if hires != 1 else ''} ({span})",
        context=context,
        summary=summary,
    )


def _lines(figures: Figures, stage_order: list[str]) -> list[dict[str, Any]]:
    hires = figures.days_to_hire
    if hires:
        hired = (
            f"Hires: {len(hires)}; time to hire median {_days(median(hires))}, "
            f"90th percentile {_days(p90(hires))}"
        )
    else:
        hired = "Hires: 0; time to hire can't be computed: no hires in the period"
    offers = figures.offers
    made = sum(offers.values())
    still = offers["extended"]
    if not made:
        return [
            {"text": hired},
            {"text": "Offers made: 0; acceptance rate can't be computed: no offer made"},
            {"text": _staged(figures, stage_order)},
        ]
    offered = (
        f"Offers made: {made} — {offers['accepted']} accepted, {offers['declined']} declined"
        + (f", {offers['expired']} expired" if offers["expired"] else "")
        + (f", {still} still open" if still else "")
    )
    if figures.acceptance is None:
        offered += "; acceptance rate can't be computed: no offer accepted or declined"
    else:
        decided = sum(offers[s] for s in DECIDED)
        offered += (
            f"; acceptance rate {_percent(figures.acceptance)} of {decided} accepted or declined"
        )
    return [{"text": hired}, {"text": offered}, {"text": _staged(figures, stage_order)}]


def _staged(figures: Figures, stage_order: list[str]) -> str:
    def position(s: str) -> tuple[int, str]:
        return (
            stage_order.index(s) if s in stage_order else len(stage_order),
            s,
        )

    stages = sorted(figures.in_stage, key=position)
    if stages:
        return "Median days in stage: " + ", ".join(
            f"{s} {_days(median(figures.in_stage[s]), unit=False)} "
            f"({len(figures.in_stage[s])} left it)"
            for s in stages
        )
    return "Time in stage can't be computed: no stage change with a known start"


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _days(value: float | None, *, unit: bool = True) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}" + (" days" if unit else "")


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"
