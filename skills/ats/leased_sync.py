"""One sync of a source under its lease, whoever starts it (the worker or `skilltick ats
sync`): claimed with a conditional update so only one runs at a time across processes,
renewed while it runs, released with the next sync's time (later after each failure in a
row) and, after a complete full read, that read's time. Admins hear of an outage once, and of
its end (skills.ats.sync_alerts)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from models.store.ats_sync import (
    claim_sync,
    record_outcome,
    release_sync,
    renew_sync,
)
from models.tables.ats_sync import AtsSyncSource
from skills.ats import sync_alerts
from skills.ats.greenhouse_sync import sync_greenhouse
from skills.ats.lever_sync import sync_lever
from skills.ats.mirror_sync import SyncCounts

log = logging.getLogger(__name__)

#: how long a sync's lease lasts unrenewed: a worker that died holding it is taken over after
LEASE = timedelta(minutes=10)
#: a full read (finds candidates deleted in the ATS) at least this often
FULL_EVERY = timedelta(days=1)
#: the longest wait after failures in a row
BACKOFF_CAP = timedelta(hours=6)


@dataclass(frozen=True)
class SyncOutcome:
    """How one attempt ended: counts, an error line, or `busy` (another holder's lease)."""

    source_id: int
    org_id: int
    counts: SyncCounts | None = None
    error: str | None = None
    busy: bool = False


#: each vendor's sync (models.tables.ats_sync.SYNC_VENDORS names the same)
SYNCS: dict[str, Callable[..., SyncCounts]] = {"greenhouse": sync_greenhouse, "lever": sync_lever}


def sync_source(
    engine: Engine, source: AtsSyncSource, now: datetime, *, full: bool = False, **client: Any
) -> SyncCounts:
    """Sync one source with its vendor's sync (`client`: the HTTP client's options)."""
    return SYNCS[source.vendor](engine, source, now, full=full, **client)


def next_after(now: datetime, interval: timedelta, failures: int) -> datetime:
    """The next sync: one interval on, doubled for each failure in a row, at most the cap."""
    if failures <= 0:
        return now + interval
    return now + min(interval * (2 ** min(failures, 16)), max(BACKOFF_CAP, interval))


def full_due(source: AtsSyncSource, now: datetime) -> bool:
    return source.last_full_at is None or now - source.last_full_at >= FULL_EVERY


class _Renewal:
    """Keeps the lease alive from a thread while the sync's HTTP calls run."""

    def __init__(self, engine: Engine, source_id: int, holder: str, clock: Callable[[], datetime]):
        self.engine, self.source_id, self.holder, self.clock = engine, source_id, holder, clock
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="ats-sync-lease", daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(LEASE.total_seconds() / 3):
            try:
                renew_sync(
                    self.engine, self.source_id, holder=self.holder, until=self.clock() + LEASE
                )
            except Exception:  # the next renewal tries again
                log.warning("renewing an ATS sync lease failed", exc_info=True)

    def __enter__(self) -> _Renewal:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def leased_sync(
    engine: Engine,
    source: AtsSyncSource,
    now: datetime,
    *,
    holder: str,
    interval: timedelta,
    full: bool | None = None,
    clock: Callable[[], datetime] | None = None,
    **client: Any,
) -> SyncOutcome:
    """Sync `source` if its lease can be taken; `full=None`: a full read when one is due.
    Any failure is recorded on the source and returned, never raised."""
    source_id = source.id or 0
    if not claim_sync(engine, source_id, holder=holder, now=now, lease=LEASE):
        return SyncOutcome(source_id, source.org_id, busy=True)
    whole = full_due(source, now) if full is None else full
    try:
        with _Renewal(engine, source_id, holder, clock or (lambda: now)):
            counts = sync_source(engine, source, now, full=whole, **client)
    except Exception as error:  # a peer down, a refused key, a collision: recorded, retried later
        line = _one_line(error)
        record_outcome(engine, source_id, now=now, error=line)
        failures = source.failures + 1
        release_sync(
            engine,
            source_id,
            holder=holder,
            next_sync_at=next_after(now, interval, failures),
            failures=failures,
        )
        _alert(sync_alerts.after_failure, engine, source, failures, line, now)
        return SyncOutcome(source_id, source.org_id, error=line)
    release_sync(
        engine,
        source_id,
        holder=holder,
        next_sync_at=next_after(now, interval, 0),
        failures=0,
        full_at=now if whole else None,
    )
    _alert(sync_alerts.after_success, engine, source, now)
    return SyncOutcome(source_id, source.org_id, counts=counts)


def _alert(tell: Callable[..., bool], *args: Any) -> None:
    """Admins told of an outage or its end; a notice that cannot be stored is logged, and the
    sync's outcome stands."""
    try:
        tell(*args)
    except Exception:
        log.warning("an ATS sync notice to the admins failed", exc_info=True)
