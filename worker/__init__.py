"""The worker: schedule maths, the DB tick (claim under leases, execute, record, reschedule),
retries, delivery and pruning."""

from worker.channels import ChannelRegistry
from worker.executor import Executor, backoff
from worker.loop import run_worker
from worker.planner import OccurrencePlanner
from worker.pruner import prune
from worker.schedule import (
    Schedule,
    ScheduleCache,
    describe,
    fires_between,
    min_interval,
    next_fire,
    next_fires,
    parse_schedule,
)
from worker.tick import TickReport, Worker

__all__ = [
    "ChannelRegistry",
    "Executor",
    "OccurrencePlanner",
    "Schedule",
    "ScheduleCache",
    "TickReport",
    "Worker",
    "backoff",
    "describe",
    "fires_between",
    "min_interval",
    "next_fire",
    "next_fires",
    "parse_schedule",
    "prune",
    "run_worker",
]
