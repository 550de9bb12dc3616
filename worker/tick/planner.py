"""Deciding what a due automation runs this tick: which occurrences (missed-run policy), in
which state (overlap policy), and when it is due next.

Pure functions of the automation's row and `now`; the store applies the result atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime, timedelta
from typing import Literal

from models.errors import ScheduleError
from models.skip_list import read_skips, skip_reason
from models.store.occurrence_plans import DueAutomation, OccurrencePlan, PlannedRun
from worker.schedule.holidays import HOLIDAY_REASON
from worker.schedule.parse import Schedule, ScheduleCache, load_zone, parse_schedule

#: an organisation's id -> its holidays (models.store.calendars.holiday_days)
HolidaysOf = Callable[[int], Collection[date]]


class OccurrencePlanner:
    """Callable handed to `claim_due_occurrences`; one instance per tick (it caches schedule
    maths: 100,000 automations share far fewer (schedule, instant) pairs)."""

    def __init__(
        self,
        *,
        now: datetime,
        misfire_grace: timedelta,
        catch_up_limit: int,
        cache: ScheduleCache | None = None,
        parsed: dict[tuple[object, ...], Schedule | None] | None = None,
        holidays: HolidaysOf | None = None,
    ) -> None:
        self.now = now
        self.misfire_grace = misfire_grace
        self.catch_up_limit = catch_up_limit
        self.cache = cache or ScheduleCache()
        # parsed schedules outlive the tick when the worker passes its own dict (parsing costs
        # about a millisecond; the same few thousand schedules come back every minute)
        self._schedules: dict[tuple[object, ...], Schedule | None] = (
            parsed if parsed is not None else {}
        )
        if len(self._schedules) > 20_000:
            self._schedules.clear()
        self.invalid: list[int] = []  # automations whose schedule cannot be read
        # each organisation's holidays, read once per tick and only for the automations that
        # skip them (DueAutomation.holidays_of)
        self._holidays_of = holidays
        self._holidays: dict[int, Collection[date]] = {}
        # a run's value -> the one object planned for it
        self._runs: dict[tuple[object, ...], PlannedRun] = {}
        # plan key -> (a plan, whether its schedule is invalid)
        self._plans: dict[tuple[object, ...], tuple[OccurrencePlan, bool]] = {}
        # a plan's runs (the one object per value, see _one) and next instant -> the plan
        self._equal: dict[tuple[object, ...], OccurrencePlan] = {}

    def __call__(self, auto: DueAutomation, has_pending: bool, ids: list[int]) -> OccurrencePlan:
        """The plan of every automation in `ids`, all due alike with `auto` (the claim groups
        them); its records are frozen and shared, read only."""
        # a plan depends on everything about the automation but its ids: automations due alike
        # in later batches share it too
        key = (*auto[2:], has_pending)
        shared = self._plans.get(key)
        if shared is None:
            if len(self._plans) >= 10_000:  # a tick of scattered instants: keep it small
                self._plans.clear()
                self._runs.clear()
                self._equal.clear()
            invalid = auto.trigger_type != "poll" and self.schedule_of(auto) is None
            plan = self.plan(auto, has_pending)
            runs = [self._one(r) for r in plan.runs]
            # automations on different schedules mostly plan equal runs and share next
            # instants: equal plans are one object, which the claim groups its writes by
            value = (*runs, plan.next_run_at)
            same = self._equal.get(value)
            if same is None:
                same = self._equal[value] = OccurrencePlan(runs, plan.next_run_at)
            shared = self._plans[key] = (same, invalid)
        if shared[1]:
            self.invalid.extend(ids)
        return shared[0]

    def _one(self, planned: PlannedRun) -> PlannedRun:
        """The one object this tick plans for `planned`'s value (see PlannedRun)."""
        value = (
            planned.scheduled_for,
            planned.status,
            planned.missed_count,
            planned.skipped_reason,
            planned.not_before,
        )
        return self._runs.setdefault(value, planned)

    def schedule_of(self, auto: DueAutomation) -> Schedule | None:
        key = (
            auto.cron_expression,
            auto.rrule,
            auto.run_once_at,
            auto.timezone,
            auto.schedule_anchor,
        )
        if key not in self._schedules:
            try:
                self._schedules[key] = parse_schedule(
                    cron=auto.cron_expression,
                    rrule=auto.rrule,
                    once=auto.run_once_at,
                    tz=auto.timezone,
                    anchor=auto.schedule_anchor,
                )
            except ScheduleError:
                self._schedules[key] = None
        return self._schedules[key]

    def due_times(self, auto: DueAutomation) -> tuple[list[datetime], datetime | None, int]:
        """The most recent occurrences due by now (oldest first, the latest always included),
        the next one after now, and how many fell due in all (a long outage keeps only the
        last few hundred instants in memory, but every one is counted)."""
        first = auto.next_run_at
        if auto.trigger_type == "poll":
            step = timedelta(minutes=max(1, auto.poll_interval_minutes or 15))
            behind = int((self.now - first) / step)
            latest = first + behind * step
            return [latest], latest + step, 1
        schedule = self.schedule_of(auto)
        if schedule is None:
            return [first], None, 1
        times = [first]
        dropped = 0
        nxt = self.cache.next_fire(schedule, first)
        # the common case (on time, nothing missed) costs one cached lookup
        while nxt is not None and nxt <= self.now:
            times.append(nxt)
            if len(times) > 500:  # keep the most recent ones only, counting the others
                keep = self.catch_up_limit + 1
                dropped += len(times) - keep
                times = times[-keep:]
            nxt = self.cache.next_fire(schedule, nxt)
        if nxt is None or nxt <= self.now:
            nxt = self.cache.next_fire(schedule, self.now)
        return times, nxt, dropped + len(times)

    def plan(self, auto: DueAutomation, has_pending: bool) -> OccurrencePlan:
        times, next_run_at, total = self.due_times(auto)
        # occurrences too old to be kept in `times`: all of them were missed
        older = total - len(times)

        if auto.trigger_type != "poll" and self.schedule_of(auto) is None:
            return OccurrencePlan(
                [PlannedRun(times[-1], "skipped", skipped_reason="invalid_schedule")],
                None,
            )
        asked = self._set_aside(auto, times)
        if asked:
            # occurrences skipped as asked or for a holiday: recorded so, never run nor counted
            # as missed
            aside = {r.scheduled_for for r in asked}
            times = [t for t in times if t not in aside]
            total -= len(asked)
            if not times:
                return OccurrencePlan(asked, next_run_at)
        late = [t for t in times if self.now - t > self.misfire_grace]
        on_time = [t for t in times if self.now - t <= self.misfire_grace]
        runs: list[PlannedRun] = []
        policy = auto.misfire_policy
        if policy == "skip":
            if late:
                # nothing silently dropped: one row says how many were missed
                runs.append(
                    PlannedRun(
                        late[-1],
                        "skipped",
                        missed_count=older + len(late),
                        skipped_reason="missed",
                    )
                )
            runs.extend(PlannedRun(t, "running") for t in on_time[-1:])
        elif policy == "catch_up":
            kept = times[-self.catch_up_limit :]
            dropped = older + len(times) - len(kept)
            for i, t in enumerate(kept):
                runs.append(
                    PlannedRun(
                        t, "running" if i == 0 else "pending", missed_count=dropped if i == 0 else 0
                    )
                )
        else:  # latest: the most recent occurrence once, late, counting the ones it stands for
            runs.append(PlannedRun(times[-1], "running", missed_count=total - 1))
        runs = self._apply_overlap(auto, runs, has_pending)
        if asked:
            runs = sorted([*asked, *runs], key=lambda r: r.scheduled_for)
        return OccurrencePlan(runs, next_run_at)

    def _set_aside(self, auto: DueAutomation, times: list[datetime]) -> list[PlannedRun]:
        """The skipped runs of the due `times` it skips as asked or for being on one of its
        organisation's holidays (the common case, neither, costs two comparisons)."""
        if auto.trigger_type != "cron" or (auto.skips is None and auto.holidays_of is None):
            return []
        skips = read_skips(auto.skips) if auto.skips is not None else {}
        days = self.holidays_on(auto.holidays_of) if auto.holidays_of is not None else ()
        zone = load_zone(auto.timezone) if days else None
        aside: list[PlannedRun] = []
        for t in times:
            if t in skips:
                aside.append(PlannedRun(t, "skipped", skipped_reason=skip_reason(skips[t])))
            elif zone is not None and t.astimezone(zone).date() in days:
                aside.append(PlannedRun(t, "skipped", skipped_reason=HOLIDAY_REASON))
        return aside

    def holidays_on(self, org_id: int) -> Collection[date]:
        """The holidays of `org_id`, read once this tick."""
        days = self._holidays.get(org_id)
        if days is None:
            read = self._holidays_of
            days = self._holidays[org_id] = read(org_id) if read is not None else frozenset()
        return days

    def _apply_overlap(
        self, auto: DueAutomation, runs: list[PlannedRun], has_pending: bool
    ) -> list[PlannedRun]:
        if auto.status != "running" or auto.overlap_policy == "allow":
            return runs
        result: list[PlannedRun] = []
        buffered = has_pending
        for planned in runs:
            if planned.status == "skipped":
                result.append(planned)
            elif auto.overlap_policy == "buffer_one" and not buffered:
                buffered = True
                result.append(_with_status(planned, "pending"))
            else:
                result.append(_with_status(planned, "skipped", "overlap"))
        return result


def _with_status(
    planned: PlannedRun,
    status: Literal["running", "pending", "skipped"],
    reason: str | None = None,
) -> PlannedRun:
    return PlannedRun(
        planned.scheduled_for,
        status,
        missed_count=planned.missed_count,
        skipped_reason=reason,
        not_before=planned.not_before,
    )
