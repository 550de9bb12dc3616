"""Typed inputs and outputs of the tool set (pydantic): what every interface sends and shows.
Views never carry secrets or other people's test output."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from assistant.language.draft import event_words, interval_words
from models.clock import utc
from models.errors import ScheduleError
from models.skip_list import read_skips
from models.store.run_history import RunDetail
from models.tables.automations import Automation
from models.tables.runs import AutomationRun
from worker.schedule.describe import describe
from worker.schedule.for_automation import schedule_of
from worker.schedule.holidays import HOLIDAYS_AHEAD, holiday_runs, next_working_fire
from worker.schedule.parse import Schedule, next_fires


class AutomationSpec(BaseModel):
    """What to create: the skill and its params, a trigger, an output."""

    name: str = Field(description="A short name the owner recognises.")
    description: str = ""
    skill: str = Field(description="A skill name from list_skills, e.g. pipeline-report.")
    params: dict[str, Any] = Field(default_factory=dict)
    trigger_type: str = Field(default="cron", description="cron | event | poll")
    cron: str | None = Field(default=None, description="5-field cron, e.g. '0 9 * * MON'.")
    rrule: str | None = Field(
        default=None,
        description="RFC 5545 RRULE body, for schedules "
        "cron cannot say, e.g. 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;"
        "BYHOUR=9;BYMINUTE=0'.",
    )
    once: datetime | None = Field(default=None, description="Run once at this instant.")
    anchor: datetime | None = Field(
        default=None,
        description="For rrule schedules with an "
        "interval (every other week): the first occurrence.",
    )
    timezone: str | None = Field(
        default=None, description="IANA zone; default: the requester's, else the organisation's."
    )
    event_type: str | None = None
    event_filter: dict[str, Any] = Field(default_factory=dict)
    poll_interval_minutes: int | None = None
    output_channel: str = Field(default="email", description="email | slack | webhook | in_app")
    to: list[str] = Field(
        default_factory=lambda: ["me"], description="Recipients; 'me' is the owner."
    )
    misfire_policy: str = "latest"
    overlap_policy: str = "skip"
    skip_holidays: bool = Field(
        default=False,
        description="Skip the runs that fall on the organisation's holidays (a repeating "
        "schedule's; the holidays of the automation's time zone's dates).",
    )
    owner_email: str | None = Field(default=None, description="Admins may create for a colleague.")
    enabled: bool = True
    origin: dict[str, Any] = Field(default_factory=dict)


class AutomationView(BaseModel):
    id: int
    name: str
    owner_email: str
    skill: str
    params: dict[str, Any]
    trigger_type: str
    trigger: str  # in words
    cron: str | None
    rrule: str | None
    once: datetime | None
    timezone: str
    event_type: str | None
    output_channel: str
    to: list[str]
    enabled: bool
    status: str
    paused_reason: str | None
    paused_until: datetime | None
    consecutive_failures: int
    misfire_policy: str
    overlap_policy: str
    next_run_at: datetime | None
    next_runs: list[datetime]  # the next few occurrences, those it skips among them
    last_run_at: datetime | None
    last_run_status: str | None
    # one of the organisation's fixed jobs: admins run and change it, nobody deletes it
    system: bool = False
    # the runs it skips as asked, still ahead, soonest first (marked in next_runs)
    skipped: list[datetime] = Field(default_factory=list)
    # the next run it makes: next_run_at (when the tick next takes it up), or when that run is
    # skipped, the first after it that is not
    next_kept_run_at: datetime | None = None
    # whether it skips the runs on the organisation's holidays (those are left out of
    # next_runs), and the runs of the next 90 days it skips so, soonest first
    skip_holidays: bool = False
    holiday_runs: list[datetime] = Field(default_factory=list)


def listed_state(view: AutomationView) -> str:
    """An automation's state as every listing says it: active, paused (until when), or paused
    with the status that paused it (failed) or is still going (running)."""
    if view.enabled:
        return "active"
    if view.status in ("failed", "running"):
        return f"{view.status} (paused)"
    if view.paused_until:
        return f"paused until {view.paused_until:%Y-%m-%d %H:%M} UTC"
    return "paused"


def listed_next_run(view: AutomationView) -> datetime | None:
    """The next run a listing promises: none while paused (the stored due time is where it
    would pick up, not a run it will make)."""
    return view.next_kept_run_at if view.enabled else None


class TargetView(BaseModel):
    target_type: str
    target_ref: str
    status: str
    error: str | None
    skipped_reason: str | None


class ActionView(BaseModel):
    position: int
    action_type: str
    status: str
    error: str | None
    skipped_reason: str | None
    detail: dict[str, Any]


class RunView(BaseModel):
    id: int
    automation_id: int
    triggered_by: str
    scheduled_for: datetime
    attempt: int
    status: str
    started_at: datetime | None
    completed_at: datetime | None
    duration_ms: int | None
    lag_ms: int | None
    missed_count: int
    summary: dict[str, Any]
    output_hash: str | None
    error_code: str | None
    error_message: str | None
    skipped_reason: str | None
    metrics: dict[str, Any]
    output: str | None = None
    targets: list[TargetView] = Field(default_factory=list)
    actions: list[ActionView] = Field(default_factory=list)
    # a test run: what it ran on ("Tested on the latest matching event (#12, ...)")
    note: str | None = None


def trigger_in_words(auto: Automation) -> str:
    if auto.trigger_type == "event":
        return event_words(auto.event_type or "", auto.event_filter or {})
    if auto.trigger_type == "poll":
        return f"Checks {interval_words(auto.poll_interval_minutes or 15)}"
    try:
        schedule = schedule_of(auto)
    except ScheduleError as exc:
        return f"Invalid schedule: {exc}"
    return describe(schedule) if schedule else "No schedule"


def automation_view(
    auto: Automation, *, owner_email: str, now: datetime, holidays: Collection[date] = ()
) -> AutomationView:
    """`holidays`: the organisation's, for an automation that skips them (else unused)."""
    upcoming: list[datetime] = []
    skipped = [t for t in read_skips(auto.skips) if t > now] if auto.skips else []
    days = holidays if auto.skip_holidays else ()
    on_holidays: list[datetime] = []
    kept = auto.next_run_at
    if auto.enabled and auto.trigger_type == "cron" and auto.next_run_at is not None:
        try:
            schedule = schedule_of(auto)
            if schedule is not None:
                upcoming = _upcoming(schedule, auto.next_run_at, set(skipped), days)
                kept = next((t for t in upcoming if utc(t) not in skipped), None)
                if kept is None:
                    kept = _first_kept(schedule, upcoming[-1] if upcoming else None, skipped, days)
                if days:
                    start = min(now, auto.next_run_at - _TICK)
                    on_holidays = holiday_runs(schedule, days, start, now + HOLIDAYS_AHEAD)
        except ScheduleError:
            upcoming = []
    to = auto.output_config.get("to") or ["me"]
    return AutomationView(
        id=auto.id or 0,
        name=auto.name,
        owner_email=owner_email,
        skill=auto.skill,
        params=auto.params,
        trigger_type=auto.trigger_type,
        trigger=trigger_in_words(auto),
        cron=auto.cron_expression,
        rrule=auto.rrule,
        once=auto.run_once_at,
        timezone=auto.timezone,
        event_type=auto.event_type,
        output_channel=auto.output_channel,
        to=[to] if isinstance(to, str) else list(to),
        enabled=auto.enabled,
        status=auto.status,
        paused_reason=auto.paused_reason,
        paused_until=auto.paused_until,
        consecutive_failures=auto.consecutive_failures,
        misfire_policy=auto.misfire_policy,
        overlap_policy=auto.overlap_policy,
        next_run_at=auto.next_run_at,
        next_runs=upcoming,
        last_run_at=auto.last_run_at,
        last_run_status=auto.last_run_status,
        system=auto.system,
        skipped=skipped,
        next_kept_run_at=kept,
        skip_holidays=auto.skip_holidays,
        holiday_runs=on_holidays,
    )


_TICK = timedelta(microseconds=1)


def _upcoming(
    schedule: Schedule, first: datetime, skipped: set[datetime], days: Collection[date]
) -> list[datetime]:
    """The next three runs it makes from `first`, and the skipped ones among and before them
    (at most ten occurrences in all); runs on `days` (holidays it skips) are left out."""
    if not skipped and not days:
        return [first, *next_fires(schedule, first, 2)]
    found: list[datetime] = []
    cur = next_working_fire(schedule, first - _TICK, days)
    while cur is not None and len(found) < 10:
        found.append(cur)
        if len([t for t in found if utc(t) not in skipped]) == 3:
            break
        cur = next_working_fire(schedule, cur, days)
    return found


def _first_kept(
    schedule: Schedule, last: datetime | None, skipped: list[datetime], days: Collection[date]
) -> datetime | None:
    """The first run after `last` (the last of the preview) that is neither skipped as asked
    nor on a holiday it skips."""
    cur = last
    for _ in range(len(skipped) + 1):  # past every skipped one, at most
        if cur is None:
            return None
        cur = next_working_fire(schedule, cur, days)
        if cur is not None and utc(cur) not in skipped:
            return cur
    return cur


def run_view(
    run: AutomationRun, detail: RunDetail | None = None, *, include_output: bool = False
) -> RunView:
    view = RunView(
        id=run.id or 0,
        automation_id=run.automation_id,
        triggered_by=run.triggered_by,
        scheduled_for=run.scheduled_for,
        attempt=run.attempt,
        status=run.status,
        started_at=run.started_at,
        completed_at=run.completed_at,
        duration_ms=run.duration_ms,
        lag_ms=run.lag_ms,
        missed_count=run.missed_count,
        summary=run.output_summary,
        output_hash=run.output_hash,
        error_code=run.error_code,
        error_message=run.error_message,
        skipped_reason=run.skipped_reason,
        metrics=run.metrics,
        output=run.output if include_output else None,
    )
    if detail is not None:
        view.targets = [
            TargetView(
                target_type=t.target_type,
                target_ref=t.target_ref,
                status=t.status,
                error=t.error,
                skipped_reason=t.skipped_reason,
            )
            for t in detail.targets
        ]
        view.actions = [
            ActionView(
                position=a.position,
                action_type=a.action_type,
                status=a.status,
                error=a.error,
                skipped_reason=a.skipped_reason,
                detail=a.detail,
            )
            for a in detail.actions
        ]
    return view
