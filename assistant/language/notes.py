"""Notes a requester needs before confirming: a daylight-saving change that moves the next runs
(or skips a wall-clock time that does not exist that day)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from assistant.language.draft import Draft
from worker.schedule.cron import is_interval_cron, normalize_cron_cached
from worker.schedule.rrule import rrule_parts


def _interval(draft: Draft) -> bool:
    schedule = draft.schedule
    if draft.trigger_type == "poll":
        return True
    if schedule is None or schedule.expression is None:
        return False
    if schedule.kind == "cron":
        return is_interval_cron(normalize_cron_cached(schedule.expression)[1])
    return rrule_parts(schedule.expression).get("FREQ") in ("MINUTELY", "HOURLY")


def dst_notes(draft: Draft, now: datetime) -> list[str]:
    """A note for each daylight-saving change between now and the last of the next runs."""
    if not draft.next_runs:
        return []
    zone = ZoneInfo(draft.tz)
    notes: list[str] = []
    previous = now
    for run in draft.next_runs:
        before, after = previous.astimezone(zone).utcoffset(), run.astimezone(zone).utcoffset()
        if before != after and before is not None and after is not None:
            direction = "forward" if after > before else "back"
            local = run.astimezone(zone)
            if _interval(draft):
                notes.append(
                    f"clocks in {draft.tz} go {direction} before {local:%a %d %b}; it keeps "
                    "running at the same interval, so local clock times shift by an hour."
                )
            else:
                notes.append(
                    f"clocks in {draft.tz} go {direction} before {local:%a %d %b}; it keeps to "
                    f"local time ({local:%H:%M %Z}), which is {run:%H:%M} UTC from then on."
                )
        previous = run
    wall = _wall_times(draft)
    for run in draft.next_runs:
        local = run.astimezone(zone)
        if wall and (local.hour, local.minute) not in wall and not _interval(draft):
            intended = sorted(wall)[0]
            notes.append(
                f"{intended[0]:02d}:{intended[1]:02d} does not exist on {local:%a %d %b} in "
                f"{draft.tz} (clocks go forward); that day it runs at {local:%H:%M}."
            )
    return notes


def _wall_times(draft: Draft) -> set[tuple[int, int]]:
    schedule = draft.schedule
    if schedule is None or schedule.kind != "cron" or schedule.expression is None:
        if schedule is not None and schedule.kind == "rrule" and schedule.expression:
            parts = rrule_parts(schedule.expression)
            if "BYHOUR" in parts and "BYMINUTE" in parts:
                return {
                    (int(h), int(m))
                    for h in parts["BYHOUR"].split(",")
                    for m in parts["BYMINUTE"].split(",")
                }
        return set()
    minute, hour = schedule.expression.split()[:2]
    if not (minute.isdigit() and all(h.isdigit() for h in hour.split(","))):
        return set()
    return {(int(h), int(minute)) for h in hour.split(",")}
