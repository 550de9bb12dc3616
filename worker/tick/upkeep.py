"""What every tick does besides running automations, whichever path drives it (`skilltick
worker`, `serve`, `skilltick tick`, `POST /cron/tick`): end pauses that are over, and prune
expired outputs and old history (and the skips of occurrences passed)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from models.settings import CoreSettings
from models.store.pauses import end_due_pauses
from models.store.retention import PruneReport
from models.store.skips import drop_passed_skips
from models.tables.automations import Automation
from worker.run.retention import prune

log = logging.getLogger(__name__)

#: a long-running worker prunes at most this often; a one-shot tick prunes every time
PRUNE_EVERY = timedelta(minutes=10)

_MISSED_WORDS = {
    "latest": "if it missed runs while paused, the most recent one runs now, once",
    "skip": "runs it missed while paused are recorded as skipped, not run",
    "catch_up": "runs it missed while paused are caught up now (at most 10)",
}


def _local(instant: datetime, tz: str) -> str:
    try:
        zone = ZoneInfo(tz)
    except Exception:  # an unknown zone: say it in UTC
        zone = ZoneInfo("UTC")
    local = instant.astimezone(zone)
    return f"{local:%a %d %b %H:%M} {local.tzname()}"


def resumed_notice(auto: Automation) -> str:
    """What the owner is told when a pause ends by itself."""
    until = auto.paused_until
    when = f" at {_local(until, auto.timezone)}" if until is not None else ""
    if auto.trigger_type == "event":
        then = "it reacts to matching events again"
    elif until is not None and auto.next_run_at is not None and auto.next_run_at > until:
        # a skip: the next run was set past the pause, so nothing is owed for it
        then = f"the runs it skipped are not made up; it runs next at {_local(auto.next_run_at, auto.timezone)}"
    else:
        then = _MISSED_WORDS.get(auto.misfire_policy, _MISSED_WORDS["latest"])
    return f'"{auto.name}" resumed by itself{when}, when its pause ended; {then}.'


class Upkeep:
    """Held by a Worker for its lifetime; `last_prune` throttles pruning in long-lived ones."""

    def __init__(self, engine: Engine, settings: CoreSettings) -> None:
        self.engine, self.settings = engine, settings
        self.last_prune: datetime | None = None

    def end_pauses(self, now: datetime) -> list[int]:
        """Resume what was paused until `now` or earlier; returns their ids."""
        try:
            return [a.id or 0 for a in end_due_pauses(self.engine, now, resumed_notice)]
        except Exception:  # the next tick tries again; nothing is lost
            log.warning("ending pauses failed", exc_info=True)
            return []

    def prune(self, now: datetime) -> PruneReport | None:
        if self.last_prune is not None and timedelta(0) <= now - self.last_prune < PRUNE_EVERY:
            return None
        try:
            report = prune(self.engine, self.settings, now)
        except Exception:  # the next tick tries again
            log.warning("pruning failed", exc_info=True)
            return None
        self.last_prune = now
        try:
            drop_passed_skips(self.engine, now)
        except Exception:  # the next prune tries again; a passed skip is never planned anyway
            log.warning("dropping passed skips failed", exc_info=True)
        return report
