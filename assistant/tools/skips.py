"""Skipping chosen runs of a scheduled automation ("skip next Monday's run", "skip Dec 14 and
21", "skip everything between Dec 24 and Jan 2") and bringing them back ("unskip Dec 14"). The
automation stays active: the worker records each skipped occurrence as a skipped run, with
when it was asked for, and runs the others as usual. The occurrences are the schedule's own:
a day it has no run on changes nothing, and says so."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import BaseModel

from assistant.language.skip_words import SkipWish, skips_in_words
from assistant.tools.audit_entries import automation_entry
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.views import AutomationView, trigger_in_words
from models.clock import local_time, utc
from models.errors import InvalidInput
from models.limits import NAME_MAX, check_text
from models.skip_list import MOST_SKIPS, read_skips, write_skips
from models.store.automations import save_automation
from models.tables.automations import Automation
from worker.schedule.for_automation import schedule_of
from worker.schedule.parse import Schedule, next_fire

#: how many occurrences a span is walked for, at most (past the cap, to say it is passed)
_WALKED = MOST_SKIPS + 1


class SkippedRuns(BaseModel):
    automation: AutomationView
    # the runs this call skipped (or, unskipping, brought back), soonest first
    skipped: list[datetime]
    next_run_at: datetime | None  # the first run it will make
    skips: list[datetime] = []  # every run it skips now, soonest first


def _title(auto: Automation) -> str:
    return f"#{auto.id} “{auto.name}”"


def _when(instants: Iterable[datetime], tz: str) -> str:
    return ", ".join(local_time(t, tz) for t in instants)


def _occurrences(schedule: Schedule, after: datetime, end: datetime | None) -> list[datetime]:
    """The schedule's fires after `after` and before `end`, at most _WALKED of them."""
    found: list[datetime] = []
    cur = next_fire(schedule, after)
    while cur is not None and len(found) < _WALKED and (end is None or cur < end):
        found.append(cur)
        cur = next_fire(schedule, cur)
    return found


def _named(
    auto: Automation, schedule: Schedule, wish: SkipWish, now: datetime, skips: set[datetime]
) -> list[datetime]:
    """The occurrences `wish` names: the next `count` not skipped yet, the one at `position`,
    or those in its span; InvalidInput when there is none."""
    if wish.count is not None:
        ahead = [t for t in _occurrences(schedule, now, None) if t not in skips]
        return ahead[: wish.count]
    if wish.position is not None:
        return _occurrences(schedule, now, None)[wish.position - 1 : wish.position]
    start = max(now, wish.start) if wish.start is not None else now
    found = _occurrences(schedule, start - timedelta(microseconds=1), wish.end)
    if not found and wish.then is not None:  # "Monday's run", said on a Monday after it
        return _named(auto, schedule, wish.then, now, skips)
    if not found:
        raise InvalidInput(
            f"{_title(auto)} has no run {wish.said} (it runs {_schedule_words(auto)}); "
            "nothing changed."
        )
    return found


def _schedule_words(auto: Automation) -> str:
    said = trigger_in_words(auto)
    return said[:1].lower() + said[1:]


class SkipTools(AutomationTools):
    def skip_runs(
        self,
        actor: Actor,
        automation_id: int,
        words: str = "",
        at: list[datetime] | None = None,
    ) -> SkippedRuns:
        """Skip the runs `words` name ("the next run", "Dec 14 and 21", "everything between
        Dec 24 and Jan 2", days in the automation's zone) or the occurrences `at`; it stays
        active."""
        check_text(words, "The runs in words", NAME_MAX)
        auto, owner_email, schedule, skips, now = self._skippable(actor, automation_id)
        chosen = self._chosen(auto, schedule, skips, now, words, at)
        added = sorted(t for t in chosen if t not in skips)
        if not added:
            raise InvalidInput(
                f"{_title(auto)} already skips {_when(chosen, auto.timezone)}; nothing changed."
            )
        if len(skips) + len(added) > MOST_SKIPS:
            raise InvalidInput(
                f"That would skip more runs of {_title(auto)} than the {MOST_SKIPS} it may skip; "
                "say “pause it until …” instead. Nothing changed."
            )
        kept = {**skips, **dict.fromkeys(added, now)}
        return self._save(actor, auto, owner_email, kept, added, "skip", now)

    def unskip_runs(
        self,
        actor: Actor,
        automation_id: int,
        words: str = "",
        at: list[datetime] | None = None,
    ) -> SkippedRuns:
        """Bring back the skipped runs `words` name ("Dec 14", "the next one", "all") or the
        occurrences `at`."""
        check_text(words, "The runs in words", NAME_MAX)
        auto, owner_email, schedule, skips, now = self._skippable(actor, automation_id)
        if not skips:
            raise InvalidInput(f"{_title(auto)} skips no run; nothing changed.")
        everything = words.strip().lower() in ("all", "everything", "them all", "all of them")
        if everything:
            removed = sorted(skips)
        elif at is None and _says_count(words):
            count = skips_in_words(words, auto.timezone, now)[0].count or 1
            removed = sorted(skips)[:count]
        else:
            removed = sorted(
                t for t in self._chosen(auto, schedule, {}, now, words, at) if t in skips
            )
        if not removed:
            raise InvalidInput(
                f"{_title(auto)} skips none of those runs (it skips "
                f"{_when(sorted(skips), auto.timezone)}); nothing changed."
            )
        kept = {t: asked for t, asked in skips.items() if t not in removed}
        return self._save(actor, auto, owner_email, kept, removed, "unskip", now)

    def skipped_runs(self, actor: Actor, automation_id: int) -> SkippedRuns:
        """The runs `automation_id` skips, soonest first, and the first run it will make."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        now = self.clock()
        view = self.view_of(auto, now, owner_email=owner_email)
        return SkippedRuns(
            automation=view,
            skipped=view.skipped,
            next_run_at=_first_kept(auto, now, set(view.skipped)),
            skips=view.skipped,
        )

    def _skippable(
        self, actor: Actor, automation_id: int
    ) -> tuple[Automation, str, Schedule, dict[datetime, datetime], datetime]:
        """The automation, its owner, its schedule and the runs it skips still ahead."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        now = self.clock()
        schedule = schedule_of(auto) if auto.trigger_type == "cron" else None
        if schedule is None:
            raise InvalidInput(
                f"{_title(auto)} runs on events, not on a schedule, so it has no run to skip; "
                "say “pause it until …” instead."
            )
        return auto, owner_email, schedule, upcoming_skips(auto, now), now

    def _chosen(
        self,
        auto: Automation,
        schedule: Schedule,
        skips: dict[datetime, datetime],
        now: datetime,
        words: str,
        at: list[datetime] | None,
    ) -> list[datetime]:
        if at is not None:
            if len(at) > MOST_SKIPS:
                raise InvalidInput(f"Name at most {MOST_SKIPS} runs at once; nothing changed.")
            for t in at:
                if utc(t) <= now or next_fire(schedule, utc(t) - timedelta(seconds=1)) != utc(t):
                    raise InvalidInput(
                        f"{_title(auto)} has no run ahead at {local_time(t, auto.timezone)} "
                        f"(it runs {_schedule_words(auto)}); nothing changed."
                    )
            return sorted({utc(t) for t in at})
        chosen: set[datetime] = set()
        # days are the automation's own local days: "Dec 14" is its run on that day
        for wish in skips_in_words(words, auto.timezone, now):
            chosen.update(_named(auto, schedule, wish, now, set(skips)))
        return sorted(chosen)

    def _save(
        self,
        actor: Actor,
        auto: Automation,
        owner_email: str,
        kept: dict[datetime, datetime],
        changed: list[datetime],
        action: str,
        now: datetime,
    ) -> SkippedRuns:
        change = {"added" if action == "skip" else "removed": [t.isoformat() for t in changed]}
        saved = save_automation(
            self.engine,
            auto,
            {"skips": write_skips(kept), "updated_at": now},
            audit=automation_entry(actor, action, auto, now, {"skips": change}),
        )
        view = self.view_of(saved, now, owner_email=owner_email)
        return SkippedRuns(
            automation=view,
            skipped=changed,
            next_run_at=_first_kept(saved, now, set(kept)),
            skips=sorted(kept),
        )


def _says_count(words: str) -> bool:
    low = words.strip().lower()
    return low.startswith(("the next", "next")) or low in ("it", "that", "this")


def upcoming_skips(auto: Automation, now: datetime) -> dict[datetime, datetime]:
    """The runs `auto` skips that are still ahead (those passed are of no use any more)."""
    return {t: asked for t, asked in read_skips(auto.skips).items() if t > now}


def _first_kept(auto: Automation, now: datetime, skips: set[datetime]) -> datetime | None:
    """The first run `auto` will make from now, the skipped ones passed over."""
    schedule = schedule_of(auto) if auto.trigger_type == "cron" else None
    if schedule is None:
        return auto.next_run_at
    for t in _occurrences(schedule, now, None):
        if t not in skips:
            return t
    return None
