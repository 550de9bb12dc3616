"""Skipping the next runs of a scheduled automation ("skip tomorrow", "skip next week"): a pause
that ends just after the last run skipped, with the next run already set to the first run kept,
so the worker's upkeep resumes it by itself and the runs the pause covered are not owed (the
missed-run policy has nothing to catch up). Resuming it by hand, or undoing the skip, brings the
skipped runs back."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel

from assistant.language.skip_words import SkipWish, skip_in_words
from assistant.tools.audit_entries import automation_entry, field_changes
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.views import AutomationView
from models.clock import local_time
from models.errors import InvalidInput
from models.store.automations import save_automation
from models.tables.automations import Automation
from worker.schedule.for_automation import schedule_of
from worker.schedule.parse import Schedule, next_fire

#: runs one skip may leave out: more is a pause, and is said so
MOST_SKIPPED = 100
# how long after the last skipped run the pause ends, at most (less when runs come sooner)
_AFTER = timedelta(minutes=1)


class SkippedRuns(BaseModel):
    automation: AutomationView
    skipped: list[datetime]  # the runs left out, soonest first
    next_run_at: datetime | None  # the first run kept


def _title(auto: Automation) -> str:
    return f"#{auto.id} “{auto.name}”"


def _chosen(auto: Automation, schedule: Schedule, wish: SkipWish, now: datetime) -> list[datetime]:
    """The runs `wish` leaves out: the next ones from now, never one after a run kept."""
    first = next_fire(schedule, now)
    if first is None:
        raise InvalidInput(f"{_title(auto)} has no run left to skip.")
    if wish.position is not None and wish.position > 1:
        _refuse_later(auto, first, _runs_through(schedule, first, wish), wish)
    if wish.start is not None and first < wish.start:
        _refuse_later(auto, first, _runs_through(schedule, first, wish), wish)
    skipped: list[datetime] = []
    cur: datetime | None = first
    while cur is not None and len(skipped) <= MOST_SKIPPED:
        if wish.count is not None and len(skipped) == wish.count:
            break
        if wish.end is not None and cur >= wish.end:
            break
        skipped.append(cur)
        cur = next_fire(schedule, cur)
    if len(skipped) > MOST_SKIPPED:
        raise InvalidInput(
            f"That would skip more than {MOST_SKIPPED} runs of {_title(auto)}; say “pause it "
            "until …” instead."
        )
    if not skipped and wish.then is not None:  # "Monday's run", said on a Monday after it
        return _chosen(auto, schedule, wish.then, now)
    if not skipped:
        raise InvalidInput(
            f"{_title(auto)} has no run {wish.said} (next: {local_time(first, auto.timezone)}); "
            "nothing was skipped."
        )
    return skipped


def _runs_through(schedule: Schedule, first: datetime, wish: SkipWish) -> list[datetime]:
    """The runs from `first` through the last one `wish` names (at most MOST_SKIPPED + 1)."""
    runs: list[datetime] = []
    cur: datetime | None = first
    while cur is not None and len(runs) <= MOST_SKIPPED:
        if wish.position is not None and len(runs) == wish.position:
            break
        if wish.end is not None and cur >= wish.end:
            break
        runs.append(cur)
        cur = next_fire(schedule, cur)
    return runs


def _refuse_later(auto: Automation, first: datetime, runs: list[datetime], wish: SkipWish) -> None:
    """A later run alone cannot be skipped (a skip is a pause until just after the runs it
    leaves out): said plainly, with the words that skip it together with the runs before it."""
    tz = auto.timezone
    wanted = [r for r in runs if wish.start is None or r >= wish.start]
    if wish.position is not None:
        wanted = runs[wish.position - 1 :]
    if not wanted or len(runs) > MOST_SKIPPED:
        raise InvalidInput(
            f"{_title(auto)} has no run {wish.said} (next: {local_time(first, tz)}); nothing was "
            "skipped."
        )
    which = (
        f"the run of {local_time(wanted[0], tz)}"
        if len(wanted) == 1
        else f"the {len(wanted)} runs {wish.said}"
    )
    before = len(runs) - len(wanted)
    raise InvalidInput(
        f"I can't skip only {which}: a skip pauses {_title(auto)} until just after the runs it "
        f"leaves out, and {before} run{'s come' if before != 1 else ' comes'} before "
        f"(next: {local_time(first, tz)}). Say “skip the next {len(runs)} runs” to leave out "
        "those too, or “pause it until …”."
    )


class SkipTools(AutomationTools):
    def skip_runs(self, actor: Actor, automation_id: int, words: str) -> SkippedRuns:
        """Skip the runs `words` name ("the next run", "tomorrow", "next week", in the
        actor's zone): paused until just after the last of them, resuming by itself."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        now = self.clock()
        wish = skip_in_words(words, self.zone_of(actor), now)
        schedule = schedule_of(auto) if auto.trigger_type == "cron" else None
        if schedule is None:
            raise InvalidInput(
                f"{_title(auto)} runs on events, not on a schedule, so it has no run to skip; "
                "say “pause it until …” instead."
            )
        if not auto.enabled:
            raise InvalidInput(
                f"{_title(auto)} is paused, so no run is coming to skip; say “resume it” first."
            )
        skipped = _chosen(auto, schedule, wish, now)
        kept = next_fire(schedule, skipped[-1])
        if kept is None:
            raise InvalidInput(
                f"Skipping that leaves {_title(auto)} no run at all; say “delete it” or "
                "“pause it” instead."
            )
        until = skipped[-1] + min(_AFTER, (kept - skipped[-1]) / 2)
        changes = field_changes(auto, {"enabled": False, "paused_until": until})
        saved = save_automation(
            self.engine,
            auto,
            {
                "enabled": False,
                "status": "paused",
                "paused_until": until,
                "paused_reason": f"skipping {len(skipped)} run(s), by {actor.email}"[:300],
                # the first run kept: the pause owes nothing when it ends
                "next_run_at": kept,
                "updated_at": now,
            },
            audit=automation_entry(actor, "pause", auto, now, changes),
        )
        view = self.view_of(saved, now, owner_email=owner_email)
        return SkippedRuns(automation=view, skipped=skipped, next_run_at=kept)
