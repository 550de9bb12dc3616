"""Child-process entry points for test_concurrency.py (started with the `spawn` context; this
module is not collected: its name does not start with `test_`).

Every child builds its own engine and Worker from the database URL, as a real worker process on
another host would; time is an argument, so the children tick simulated minutes, not real ones.
"""

from __future__ import annotations

import faulthandler
import random
import threading
import traceback
from collections import Counter
from datetime import datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from models.engine import make_engine
from models.settings import load_settings
from worker.delivery.base import Channel, Message, Recipient
from worker.delivery.channels import ChannelRegistry
from worker.delivery.email import email_channel
from worker.tick.tick import Worker

BARRIER_TIMEOUT_S = 60.0
#: a worker still exiting this long after it reported prints every thread's stack to stderr,
#: so a hang on exit shows where it hangs (a slow exit under load just prints, harmlessly)
EXIT_STACKS_AFTER_S = 30.0


def tick_minutes(
    url: str,
    worker_id: str,
    t0: datetime,
    minutes: int,
    claim_batch: int,
    seed: int,
    barrier: Barrier,
    results: Queue[dict[str, Any]],
) -> None:
    """Tick at t0 + m minutes + a random jitter of up to 400 ms, for m in 0..minutes-1. The
    barrier lets every worker start minute m together (and only after all finished m - 1), so
    they race on each minute's claims. Puts one summary dict on `results`."""
    summary: dict[str, Any] = {"worker_id": worker_id, "error": None}
    engine = make_engine(url)
    try:
        settings = load_settings(database_url=url, claim_batch=claim_batch, smtp_host=None)
        worker = Worker(engine, settings, worker_id=worker_id)
        rng = random.Random(seed)
        claimed = quick = rescued = fenced = occurrences = 0
        statuses: Counter[str] = Counter()
        busy_minutes = 0
        for minute in range(minutes):
            barrier.wait(BARRIER_TIMEOUT_S)
            now = t0 + timedelta(minutes=minute, milliseconds=rng.randint(0, 400))
            report = worker.tick(now=now)
            claimed += report.claimed
            quick += report.quick
            rescued += report.rescued
            fenced += report.fenced
            occurrences += report.occurrences
            statuses.update(report.statuses)
            busy_minutes += report.claimed > 0
        summary.update(
            claimed=claimed,
            quick=quick,
            rescued=rescued,
            fenced=fenced,
            occurrences=occurrences,
            statuses=dict(statuses),
            busy_minutes=busy_minutes,
        )
    except BaseException:
        # do not leave the other workers waiting for a minute this one will never tick
        barrier.abort()
        summary["error"] = traceback.format_exc()
    finally:
        engine.dispose()
        results.put(summary)
        faulthandler.dump_traceback_later(EXIT_STACKS_AFTER_S)


class StallingChannel:
    """Wraps a delivery channel: the first `sends` calls go through; the next one is delivered
    too (the message reaches the outbox) and then hangs for ever, like a worker that stalls or
    dies between handing a message over and recording that it went."""

    records_deliveries = True

    def __init__(self, inner: Channel, sends: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.sends = sends
        self.calls = 0

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        self.inner.send(message, recipient, message_id=message_id, org_id=org_id)
        self.calls += 1
        if self.calls > self.sends:
            threading.Event().wait()  # until SIGKILL


def stall_mid_batch(
    url: str, worker_id: str, now: datetime, lease_seconds: int, sends: int
) -> None:
    """Tick once at `now` with the email channel (local outbox) wrapped in a StallingChannel.
    Never returns: the test SIGKILLs this process once the stalled send is observable."""
    engine = make_engine(url)
    # one run thread: the batch stops at the stalled send, as a single-threaded worker would
    settings = load_settings(
        database_url=url, lease_seconds=lease_seconds, smtp_host=None, run_threads=1
    )
    channels = ChannelRegistry(engine, settings)
    channels.register("email", StallingChannel(email_channel(settings.smtp, engine), sends))
    Worker(engine, settings, channels=channels, worker_id=worker_id).tick(now=now)
    raise AssertionError("the stalling channel should have blocked this tick")
