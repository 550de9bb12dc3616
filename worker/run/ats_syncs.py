"""The worker keeps each connected ATS mirror fresh: every tick it looks for sources whose
next sync is due and syncs them on a background thread, beside the tick (a sync's HTTP calls
take seconds to minutes and never run inside a claim transaction). Each sync holds the
source's lease, so workers and `skilltick ats sync` never sync one organisation at once."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from models.settings import CoreSettings
from models.store.ats_sync import due_sources
from skills.ats.leased_sync import SyncOutcome, leased_sync

log = logging.getLogger(__name__)


class AtsSyncs:
    """Called with each tick's `now` (a Worker's before-claim hook). `client` options reach
    the vendor's HTTP client (tests: fewer attempts, no real sleeps)."""

    def __init__(self, engine: Engine, settings: CoreSettings, holder: str, **client: Any) -> None:
        self.engine, self.holder, self.client = engine, holder, client
        self.interval = timedelta(minutes=max(0, settings.ats_sync_minutes))
        self.thread: threading.Thread | None = None
        self.outcomes: list[SyncOutcome] = []  # the last background pass's

    def __call__(self, now: datetime) -> None:
        self.start(now)

    def start(self, now: datetime) -> bool:
        """Begin a background pass if syncing is on, none is running and a source is due."""
        if not self.interval or (self.thread is not None and self.thread.is_alive()):
            return False
        if not due_sources(self.engine, now):
            return False
        self.thread = threading.Thread(
            target=self._background, args=(now,), name="ats-sync", daemon=True
        )
        self.thread.start()
        return True

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running pass (tests; a stopping worker may leave it: leases expire)."""
        if self.thread is not None:
            self.thread.join(timeout)

    def _background(self, now: datetime) -> None:
        try:
            self.outcomes = self.run_due(now)
        except Exception:  # the next tick looks again; the tick itself never sees it
            log.warning("ATS sync pass failed", exc_info=True)

    def run_due(self, now: datetime) -> list[SyncOutcome]:
        """Sync every due source in turn, each under its lease; returns how each went."""
        started = time.monotonic()

        def clock() -> datetime:
            # the tick's `now` moved on by the time this pass has taken, for lease renewals;
            # each sync starts as of `now`: an earlier start only makes cursors read more
            return now + timedelta(seconds=time.monotonic() - started)

        outcomes = []
        for source in due_sources(self.engine, now):
            outcome = leased_sync(
                self.engine,
                source,
                now,
                holder=self.holder,
                interval=self.interval,
                clock=clock,
                **self.client,
            )
            if outcome.error is not None and source.failures == 0:
                # the first failure of a series; `skilltick ats status` shows it until healed
                log.warning("ATS sync of organisation %s failed: %s", source.org_id, outcome.error)
            outcomes.append(outcome)
        return outcomes
