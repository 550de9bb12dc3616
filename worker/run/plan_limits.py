"""Plan limits enforced in the core, each refusal explained
in words: active-automation limit, minimum frequency. The logged-run quota and the run rate
limit are applied by the tick (models.store.completions, worker.tick.tick)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models.errors import PlanLimit
from models.settings import PlanLimits, Settings
from models.store.automations import count_active
from models.store.run_inputs import RunOrg
from models.tables.orgs import Organization
from worker.schedule.parse import Schedule, min_interval

# a daily schedule is 23 hours apart across a spring-forward night; that is still "daily"
DST_TOLERANCE = timedelta(hours=1)


def limits_for(settings: Settings, org: Organization) -> PlanLimits:
    return plan_limits(settings, org.plan)


def plan_limits(settings: Settings, plan: str) -> PlanLimits:
    """The limits of the plan named `plan`; an unknown name has the free plan's."""
    return settings.plans.get(plan) or settings.plans["free"]


def runs_per_minute(settings: Settings, orgs: Iterable[RunOrg]) -> dict[int, int]:
    """The runs-per-minute limit of each of `orgs` whose plan has one, by organisation id."""
    plans = settings.plans
    limits: dict[int, int] = {}
    seen: set[int] = set()
    for org in orgs:
        if org.id in seen:
            continue
        seen.add(org.id)
        plan = plans.get(org.plan)
        if plan and plan.runs_per_minute is not None:
            limits[org.id] = plan.runs_per_minute
    return limits


def frequency_words(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "once a day" if days == 1 else f"once every {days} days"
    if minutes % 60 == 0:
        return "once an hour" if minutes == 60 else f"once every {minutes // 60} hours"
    return "once a minute" if minutes == 1 else f"once every {minutes} minutes"


def check_can_activate(
    engine: Engine, settings: Settings, org: Organization, *, automation_id: int | None = None
) -> None:
    """Refuse a new or resumed active automation beyond the plan's limit."""
    limit = limits_for(settings, org).max_active_automations
    if limit is None:
        return
    active = count_active(engine, org.id or 0, excluding=automation_id)
    if active >= limit:
        raise PlanLimit(
            f"Your {org.plan.title()} plan allows {limit} active automations and your "
            f"organisation has {active}. Pause or delete one first, or upgrade to Pro for "
            "unlimited automations."
        )


def check_frequency(
    settings: Settings,
    org: Organization,
    schedule: Schedule | None,
    now: datetime,
    *,
    poll_interval_minutes: int | None = None,
) -> None:
    """Refuse a schedule that runs more often than the plan allows."""
    allowed = limits_for(settings, org).min_interval_minutes
    if allowed <= 1 and poll_interval_minutes is None and schedule and schedule.kind == "cron":
        return  # cron fires are whole minutes apart: no need to walk 60 fires to know it
    if poll_interval_minutes is not None:
        gap: timedelta | None = timedelta(minutes=poll_interval_minutes)
    elif schedule is not None:
        gap = min_interval(schedule, now)
    else:
        return
    if gap is None:
        return
    tolerance = DST_TOLERANCE if allowed >= 24 * 60 else timedelta(0)
    if gap + tolerance < timedelta(minutes=allowed):
        shortest = max(1, int(gap.total_seconds() // 60))
        raise PlanLimit(
            f"Your {org.plan.title()} plan runs automations at most {frequency_words(allowed)}, and "
            f"this schedule would run as often as {frequency_words(shortest)}. Choose a less frequent "
            "schedule, or upgrade to Pro for minute-level schedules."
        )
