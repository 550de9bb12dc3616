"""Schedule maths, no database and no adapters: parse, step, describe and build schedules, and
the schedule of an automation."""

from worker.schedule.builders import (
    daily,
    every_minutes,
    hourly,
    monthly_on_day,
    monthly_on_weekday,
    once,
    weekdays,
    weekly,
    yearly,
)
from worker.schedule.describe import describe
from worker.schedule.parse import (
    Schedule,
    ScheduleCache,
    fires_between,
    min_interval,
    next_fire,
    next_fires,
    parse_schedule,
)

__all__ = [
    "Schedule",
    "ScheduleCache",
    "daily",
    "describe",
    "every_minutes",
    "fires_between",
    "hourly",
    "min_interval",
    "monthly_on_day",
    "monthly_on_weekday",
    "next_fire",
    "next_fires",
    "once",
    "parse_schedule",
    "weekdays",
    "weekly",
    "yearly",
]
