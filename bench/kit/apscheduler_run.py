"""The tick benchmark's comparison point (bench/tick_throughput.py): APScheduler 3 running the
same number of due cron jobs from its SQLAlchemy job store on SQLite."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from models.engine import make_engine

_aps_ran: set[int] = set()
_aps_lock = threading.Lock()
_aps_all_ran = threading.Event()
_aps_target = 0


def aps_job(index: int) -> None:
    """The APScheduler job: note that it ran (the noop skill's counterpart). By index: a job
    whose cron fires every minute may fire again while the others are still due."""
    with _aps_lock:
        _aps_ran.add(index)
        if len(_aps_ran) >= _aps_target:
            _aps_all_ran.set()


def run_apscheduler(workdir: Path, n: int, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """N due cron jobs in APScheduler's SQLAlchemy job store (SQLite): seconds until every job
    has run and been rescheduled past its due time."""
    global _aps_target
    try:
        import pickle

        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.job import Job
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.cron import CronTrigger
    except ImportError:
        raise SystemExit("APScheduler 3 is needed: python -m pip install -e '.[bench]'") from None
    _aps_target = n
    _aps_ran.clear()
    _aps_all_ran.clear()
    # the job store gets the same SQLite settings as skilltick's engine (WAL, synchronous=NORMAL):
    # APScheduler commits once per job, and its default journal would make the fsyncs the story
    store = SQLAlchemyJobStore(engine=make_engine(f"sqlite:///{workdir / 'apscheduler.db'}"))
    scheduler = BackgroundScheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(10)},
        job_defaults={"coalesce": True, "misfire_grace_time": 3600, "max_instances": 1},
        timezone=UTC,
    )
    scheduler.start(paused=True)  # creates the job table
    due = datetime.now(UTC) - timedelta(seconds=1)
    triggers = {pair: CronTrigger.from_crontab(pair[0], timezone=pair[1]) for pair in pairs}
    # bulk-loaded (add_job commits each job on its own): the state add_job would store
    rows = []
    for i in range(n):
        job = Job(
            scheduler,
            id=f"bench-{i}",
            func=aps_job,
            trigger=triggers[pairs[i % len(pairs)]],
            executor="default",
            args=(i,),
            kwargs={},
            name=f"bench {i}",
            misfire_grace_time=3600,
            coalesce=True,
            max_instances=1,
            next_run_time=due,
        )
        rows.append(
            {
                "id": job.id,
                "next_run_time": due.timestamp(),
                "job_state": pickle.dumps(job.__getstate__(), store.pickle_protocol),
            }
        )
    with store.engine.begin() as conn:
        conn.execute(store.jobs_t.insert(), rows)
    del rows
    start = time.perf_counter()
    scheduler.resume()
    _aps_all_ran.wait(3600)
    ran = time.perf_counter() - start
    # the scheduler thread stores each job's next run time after submitting it
    while True:
        with store.engine.connect() as conn:
            left = conn.execute(
                text("SELECT COUNT(*) FROM apscheduler_jobs WHERE next_run_time <= :due"),
                {"due": due.timestamp()},
            ).scalar_one()
        if not left:
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    # jobs that fire every minute come due again while a long run goes on; the scheduler thread
    # may be submitting them as the executor shuts down, which APScheduler logs as an error
    scheduler.pause()
    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)
    scheduler.shutdown(wait=True)
    return {"seconds": seconds, "ran_seconds": ran, "jobs": n, "ran": len(_aps_ran)}
