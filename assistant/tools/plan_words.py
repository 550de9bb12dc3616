"""The organisation's plan in words, the same on every door (chat, the command line, the admin
page): what the plan allows, and what of the automations already active it does not hold, since
a smaller plan stops none of them (its limits apply when one is activated or its schedule
changes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from models.errors import PlanLimit
from models.settings import PlanLimits, Settings
from models.store.automations import count_active, list_automations
from models.store.orgs import get_org
from models.tables.automations import Automation
from models.tables.orgs import Organization
from worker.run.plan_limits import check_frequency, frequency_words, limits_for
from worker.schedule.for_automation import schedule_of

NAMED = 5  # automations named in a sentence; the rest are counted


def plan_allows(limits: PlanLimits) -> str:
    """ "up to 5 active automations, each running at most once a day, ..." """
    cap = limits.max_active_automations
    logged = limits.logged_runs_per_month
    parts = [
        "any number of active automations" if cap is None else f"up to {cap} active automations",
        f"each running at most {frequency_words(limits.min_interval_minutes)}",
        "every run kept in the history"
        if logged is None
        else f"{logged:,} runs a month kept in the history (runs beyond still fire)",
    ]
    if limits.runs_per_minute is not None:
        parts.append(f"up to {limits.runs_per_minute:,} runs a minute")
    return ", ".join(parts)


def _too_frequent(settings: Settings, org: Organization, auto: Automation, now: datetime) -> bool:
    schedule = schedule_of(auto) if auto.trigger_type == "cron" else None
    poll = auto.poll_interval_minutes if auto.trigger_type == "poll" else None
    try:
        check_frequency(settings, org, schedule, now, poll_interval_minutes=poll)
    except PlanLimit:
        return True
    return False


def beyond_the_plan(
    engine: Engine, settings: Settings, org_id: int, now: datetime, *, counted: bool = False
) -> list[str]:
    """Sentences on what is active beyond the organisation's plan: more automations than it
    allows, or ones running more often; `counted`: how many are active, said in any case."""
    org = get_org(engine, org_id)
    limits = limits_for(settings, org)
    said: list[str] = []
    active = count_active(engine, org_id)
    cap = limits.max_active_automations
    if cap is not None and active > cap:
        said.append(
            f"{active} automations are active, more than its {cap}: they keep running, and "
            f"no other can be activated until fewer than {cap} are."
        )
    elif counted:
        said.append(f"{active} automation{'s are' if active != 1 else ' is'} active.")
    if limits.min_interval_minutes > 1:
        frequent = [
            a
            for a in list_automations(engine, org_id)
            if a.enabled and _too_frequent(settings, org, a, now)
        ]
        if frequent:
            named = ", ".join(f"#{a.id} “{a.name}”" for a in frequent[:NAMED])
            more = f" and {len(frequent) - NAMED} more" if len(frequent) > NAMED else ""
            many = len(frequent) > 1
            said.append(
                f"{len(frequent)} active automation{'s run' if many else ' runs'} more often "
                f"than {frequency_words(limits.min_interval_minutes)} ({named}{more}): "
                f"{'they keep their' if many else 'it keeps its'} schedule until it is changed, "
                "and a new schedule must fit the plan."
            )
    return said


def plan_words(
    engine: Engine,
    settings: Settings,
    org_id: int,
    now: datetime,
    *,
    was: str | None = None,
    counted: bool = False,
) -> str:
    """The plan, what it allows and what is active beyond it; `was`: the plan it replaced;
    `counted`: how many automations are active, said in any case."""
    org = get_org(engine, org_id)
    if was is None:
        head = f"The organisation is on the {org.plan} plan"
    elif was == org.plan:
        head = f"The organisation is already on the {org.plan} plan"
    else:
        head = f"The organisation is now on the {org.plan} plan (was {was})"
    said = beyond_the_plan(engine, settings, org_id, now, counted=counted)
    return " ".join([f"{head}: {plan_allows(limits_for(settings, org))}.", *said])
