"""An automation's schedule as schedule maths sees it, and its first next_run_at."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.tables.automations import Automation
from worker.schedule.parse import Schedule, next_fire, parse_schedule


def schedule_of(automation: Automation) -> Schedule | None:
    """The cron trigger's schedule (None for event triggers); raises ScheduleError if invalid."""
    if automation.trigger_type != "cron":
        return None
    return parse_schedule(
        cron=automation.cron_expression,
        rrule=automation.rrule,
        once=automation.run_once_at,
        tz=automation.timezone,
        anchor=automation.schedule_anchor,
    )


def first_run_at(automation: Automation, now: datetime) -> datetime | None:
    """When a newly created or resumed automation is next due (strictly after `now`)."""
    if automation.trigger_type == "poll":
        return now + timedelta(minutes=max(1, automation.poll_interval_minutes or 15))
    schedule = schedule_of(automation)
    if schedule is None:
        return None
    return next_fire(schedule, now)
