#!/usr/bin/env python
"""Tick throughput: N automations due in the same minute, one tick, against a raw-SQL floor.

    python bench/tick_throughput.py [--automations 100000] [--pairs 1000]
                                    [--store sqlite|postgresql --pg-url URL] [--workers N]

1. Load N enabled cron automations (noop skill, noop channel, enterprise organisations) over P
   distinct (cron, time zone) pairs, all with next_run_at = T, bulk-inserted with executemany
   through SQLAlchemy Core.
2. Copy the database (same schema, same indexes, same rows) for the floor.
3. Tick once at now = T + 5 s with a Worker (claim_batch from settings) and time it; with
   --workers N, N processes tick the same minute concurrently (aggregate occurrences/s).
4. Floor, on the copy (the same lean schema and indexes): the same work as plain driver-level
   executemany, one transaction per step: claim (select due + update them), insert the run rows,
   complete them, reschedule the automations (next_run_at from a dict keyed by (cron, zone): no
   schedule maths).
5. APScheduler 3 (`pip install -e '.[bench]'`), on the same machine: the same number of jobs with
   the same (cron, zone) pairs, all due, in its SQLAlchemy job store on a SQLite file, run by a
   BackgroundScheduler until every job has run once and been rescheduled (`--apscheduler-jobs`
   runs fewer for a quick look; its rate is jobs/s either way).

Prints the figures, then as the LAST line one JSON object (occurrences_per_s, ratio_to_floor,
ratio_to_apscheduler, peak_rss_mb, exactly_once, store, automations, pairs, workers, ...).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import JSON, create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from bench.kit.rows import cron_automation_row  # noqa: E402
from models.engine import make_engine, normalise_url  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.settings import load_settings  # noqa: E402
from models.store.orgs import create_org, create_user  # noqa: E402
from models.store.run_queue import automations, runs  # noqa: E402
from worker.schedule.parse import next_fire, parse_schedule  # noqa: E402

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
TICK_AT = T + timedelta(seconds=5)
LOAD_CHUNK = 5_000
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DATETIME on SQLite


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------


def make_pairs(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """`count` distinct (cron, zone) pairs that all fire at T (checked)."""
    candidates: set[tuple[str, str]] = set()
    for tz in sorted(available_timezones()):
        try:
            local = T.astimezone(ZoneInfo(tz))
        except Exception:
            continue
        m, h = local.minute, local.hour
        dow = (local.isoweekday()) % 7  # cron: 0 = Sunday
        crons = [
            "* * * * *",
            f"{m} * * * *",
            f"{min(m, (m + 30) % 60)},{max(m, (m + 30) % 60)} * * * *",
            f"{m} {h} * * *",
            f"{m} {h} * * {dow}",
            f"{m} {h} {local.day} * *",
            f"{m} {min(h, (h + 12) % 24)},{max(h, (h + 12) % 24)} * * *",
        ]
        crons += [f"*/{s} * * * *" for s in (5, 10, 15, 20, 30) if m % s == 0]
        crons += [f"{m} */{k} * * *" for k in (2, 3, 4, 6, 8, 12) if h % k == 0]
        candidates.update((cron, tz) for cron in crons)
    ordered = sorted(candidates)
    random.Random(seed).shuffle(ordered)
    pairs: list[tuple[str, str]] = []
    for cron, tz in ordered:
        try:
            schedule = parse_schedule(cron=cron, tz=tz)
        except Exception:
            continue
        if next_fire(schedule, T - timedelta(seconds=1)) == T:
            pairs.append((cron, tz))
            if len(pairs) == count:
                return pairs
    raise SystemExit(f"only {len(pairs)} distinct (cron, zone) pairs fire at {T}; use fewer")


def next_after(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
    """The floor's reschedule table (computed before timing)."""
    out = {}
    for cron, tz in pairs:
        nxt = next_fire(parse_schedule(cron=cron, tz=tz), T)
        assert nxt is not None
        out[(cron, tz)] = nxt
    return out


def load(engine: Engine, n: int, pairs: list[tuple[str, str]], orgs: int) -> None:
    """Organisations and owners through the store API, automations with Core executemany."""
    owners: list[tuple[int, int]] = []
    for i in range(orgs):
        org = create_org(
            engine, slug=f"bench{i}", name=f"Bench {i}", now=T, plan="enterprise", timezone="UTC"
        )
        user = create_user(
            engine,
            org_id=org.id or 0,
            email=f"owner@bench{i}.test",
            name="Owner",
            role="admin",
            now=T,
        )
        owners.append((org.id or 0, user.id or 0))
    created = T - timedelta(days=1)
    stmt = insert(automations)
    with engine.begin() as conn:
        for start in range(0, n, LOAD_CHUNK):
            rows = []
            for i in range(start, min(n, start + LOAD_CHUNK)):
                cron, tz = pairs[i % len(pairs)]
                org_id, owner_id = owners[i % len(owners)]
                rows.append(
                    cron_automation_row(
                        org_id=org_id,
                        owner_id=owner_id,
                        name=f"bench {i}",
                        cron=cron,
                        timezone=tz,
                        next_run_at=T,
                        created_at=created,
                    )
                )
            conn.execute(stmt, rows)


# --------------------------------------------------------------------------------------------
# stores
# --------------------------------------------------------------------------------------------


class Store:
    """Two databases with the same data: `tick_url` and `floor_url`."""

    def __init__(self, kind: str, workdir: Path, pg_url: str | None) -> None:
        self.kind = kind
        self.workdir = workdir
        self.pg_url = pg_url
        self.server: Any = None
        self.names: list[str] = []
        if kind == "sqlite":
            self.tick_url = f"sqlite:///{workdir / 'tick.db'}"
            self.floor_url = f"sqlite:///{workdir / 'floor.db'}"
            return
        if not pg_url:
            from bench.kit.peers import (
                postgres as pg_server,  # a throwaway server, deleted at the end
            )

            self.server = pg_server.start()
            pg_url = self.server.url
        self.admin = create_engine(
            normalise_url(pg_url), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        suffix = uuid.uuid4().hex[:8]
        tick, floor = f"bench_tick_{suffix}", f"bench_floor_{suffix}"
        self.names = [tick, floor]
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{tick}"'))
        base = make_url(normalise_url(pg_url))
        self.tick_url = base.set(database=tick).render_as_string(hide_password=False)
        self.floor_url = base.set(database=floor).render_as_string(hide_password=False)

    def copy_tick_to_floor(self) -> None:
        if self.kind == "sqlite":
            for ext in ("", "-wal"):  # no -wal is left once every connection is closed
                if (self.workdir / f"tick.db{ext}").exists():
                    shutil.copyfile(self.workdir / f"tick.db{ext}", self.workdir / f"floor.db{ext}")
            return
        tick, floor = self.names
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{floor}" TEMPLATE "{tick}"'))

    def close(self) -> None:
        if self.kind == "postgresql":
            with self.admin.connect() as conn:
                for name in self.names:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.admin.dispose()
            if self.server is not None:
                from bench.kit.peers import postgres as pg_server

                pg_server.stop(self.server)


def analyze(engine: Engine) -> None:
    """Planner statistics, as a long-running store would have them."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


# --------------------------------------------------------------------------------------------
# the tick
# --------------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def tuned_engine(url: str) -> Engine:
    """An engine as the service makes it: SQLite's cache and memory map from the settings
    (SKILLTICK_SQLITE_CACHE_MB, SKILLTICK_SQLITE_MMAP_MB), for the tick and the floor alike."""
    core = load_settings().core
    return make_engine(
        url, sqlite_cache_mb=core.sqlite_cache_mb, sqlite_mmap_mb=core.sqlite_mmap_mb
    )


def _tick_child(
    url: str,
    index: int,
    claim_batch: int | None,
    barrier: Any,
    results: Any,
) -> None:
    from worker.tick.tick import Worker

    engine = tuned_engine(url)
    overrides: dict[str, Any] = {"database_url": url, "smtp_host": None}
    if claim_batch:
        overrides["claim_batch"] = claim_batch
    worker = Worker(engine, load_settings(**overrides), worker_id=f"bench-{index}")
    with engine.connect() as conn:  # open the pool outside the timing
        conn.execute(text("SELECT 1"))
    barrier.wait(120)
    start = time.monotonic()
    report = worker.tick(now=TICK_AT)
    end = time.monotonic()
    engine.dispose()
    results.put(
        {
            "start": start,
            "end": end,
            "claimed": report.claimed,
            "statuses": dict(report.statuses),
            "fenced": report.fenced,
            "peak_rss_mb": peak_rss_mb(),
        }
    )


def run_tick(url: str, workers: int, claim_batch: int | None) -> dict[str, Any]:
    if workers == 1:
        from worker.tick.tick import Worker

        engine = tuned_engine(url)
        overrides: dict[str, Any] = {"database_url": url, "smtp_host": None}
        if claim_batch:
            overrides["claim_batch"] = claim_batch
        settings = load_settings(**overrides)
        worker = Worker(engine, settings, worker_id="bench-0")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        start, cpu = time.perf_counter(), time.process_time()
        report = worker.tick(now=TICK_AT)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        engine.dispose()
        return {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "claimed": report.claimed,
            "statuses": dict(report.statuses),
            "fenced": report.fenced,
            "claim_batch": settings.core.claim_batch,
            "peak_rss_mb": peak_rss_mb(),
            "per_worker": [report.claimed],
        }
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    procs = [
        ctx.Process(target=_tick_child, args=(url, i, claim_batch, barrier, results))
        for i in range(workers)
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=3600) for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"a tick process failed ({p.exitcode})")
    statuses: dict[str, int] = {}
    for g in got:
        for k, v in g["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "seconds": max(g["end"] for g in got) - min(g["start"] for g in got),
        "claimed": sum(g["claimed"] for g in got),
        "statuses": statuses,
        "fenced": sum(g["fenced"] for g in got),
        "claim_batch": claim_batch or load_settings().core.claim_batch,
        "peak_rss_mb": max(g["peak_rss_mb"] for g in got),
        "per_worker": sorted(g["claimed"] for g in got),
    }


# --------------------------------------------------------------------------------------------
# the floor
# --------------------------------------------------------------------------------------------


def _core_defaults(table: Any, given: set[str]) -> dict[str, tuple[bool, Any]]:
    """name -> (is JSON, value) of the NOT NULL columns not in `given` that SQLAlchemy fills
    from a Python-side default (raw SQL does not)."""
    out: dict[str, tuple[bool, Any]] = {}
    for col in table.columns:
        if (
            col.name in given
            or col.primary_key
            or col.nullable
            or col.server_default is not None
            or col.default is None
        ):
            continue
        value = col.default.arg(None) if col.default.is_callable else col.default.arg
        is_json = isinstance(col.type, JSON)
        out[col.name] = (is_json, json.dumps(value) if is_json else value)
    return out


@contextmanager
def transaction(raw: Any, sqlite: bool) -> Iterator[Any]:
    cur = raw.cursor()
    if sqlite:
        cur.execute("BEGIN IMMEDIATE")  # what the tick's transactions do on SQLite
    try:
        yield cur
        if sqlite:
            cur.execute("COMMIT")
        else:
            raw.commit()
    finally:
        cur.close()


def run_floor(url: str, nexts: dict[tuple[str, str], datetime]) -> dict[str, float]:
    engine = tuned_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    p = "?" if sqlite else "%s"
    j = "?" if sqlite else "%s::json"

    texts: dict[datetime, str] = {}

    def ts(value: datetime) -> Any:
        # each instant formatted once: the floor does no work it can avoid
        if not sqlite:
            return value
        text = texts.get(value)
        if text is None:
            text = texts[value] = value.astimezone(UTC).strftime(SQLITE_DATETIME)
        return text

    now, owner = TICK_AT, "floor"
    lease_until, expires = now + timedelta(seconds=120), now + timedelta(hours=24)
    lock = "" if sqlite else " FOR UPDATE SKIP LOCKED"
    true = "1" if sqlite else "true"
    raw = engine.raw_connection()
    steps: dict[str, float] = {}
    cpu = time.process_time()
    try:
        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.execute(
                "SELECT id, org_id, cron_expression, timezone, next_run_at FROM automations"
                f" WHERE enabled = {true} AND next_run_at IS NOT NULL AND next_run_at <= {p}"
                " AND trigger_type IN ('cron', 'poll') ORDER BY next_run_at, id" + lock,
                (ts(now),),
            )
            due = cur.fetchall()
            cur.executemany(
                f"UPDATE automations SET status = 'running', lease_owner = {p},"
                f" updated_at = {p} WHERE id = {p}",
                [(owner, ts(now), row[0]) for row in due],
            )
        steps["claim"] = time.perf_counter() - start

        given = (
            "org_id automation_id triggered_by scheduled_for attempt status not_before"
            " trigger_data started_at lag_ms missed_count output_summary retry_count"
            " metrics lease_owner lease_expires_at created_at"
        ).split()
        # NOT NULL columns the schema gained since this was written: their Core defaults
        extra = _core_defaults(runs, set(given))
        columns = ", ".join(given + list(extra))
        values = (
            f"{p}, {p}, 'schedule', {p}, 1, 'running', {p}, {j}, {p}, {p}, 0, {j}, 0,"
            f" {j}, {p}, {p}, {p}"
        )
        values += "".join(f", {j if is_json else p}" for is_json, _ in extra.values())
        constants = tuple(value for _, value in extra.values())
        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.executemany(
                f"INSERT INTO automation_runs ({columns}) VALUES ({values})",
                [
                    (
                        row[1],
                        row[0],
                        ts(T),
                        ts(T),
                        "{}",
                        ts(now),
                        5000,
                        "{}",
                        "{}",
                        owner,
                        ts(lease_until),
                        ts(now),
                        *constants,
                    )
                    for row in due
                ],
            )
        steps["run_insert"] = time.perf_counter() - start

        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.executemany(
                f"UPDATE automation_runs SET status = 'completed', completed_at = {p},"
                f" duration_ms = {p}, output_summary = {j}, output_hash = {p}, output = {p},"
                f" output_expires_at = {p}, metrics = {j}, lease_owner = NULL,"
                " lease_expires_at = NULL"
                f" WHERE automation_id = {p} AND scheduled_for = {p} AND attempt = 1",
                [
                    (
                        ts(now),
                        0,
                        '{"noop": true}',
                        "0" * 64,
                        "noop\n",
                        ts(expires),
                        "{}",
                        row[0],
                        ts(T),
                    )
                    for row in due
                ],
            )
        steps["complete"] = time.perf_counter() - start

        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.executemany(
                f"UPDATE automations SET next_run_at = {p}, status = 'idle',"
                f" last_run_at = {p}, last_run_status = 'completed', last_success_at = {p}"
                f" WHERE id = {p}",
                [(ts(nexts[(row[2], row[3])]), ts(now), ts(now), row[0]) for row in due],
            )
        steps["reschedule"] = time.perf_counter() - start
        steps["rows"] = len(due)
        steps["cpu_seconds"] = time.process_time() - cpu
    finally:
        raw.close()
        engine.dispose()
    return steps


#: what the floor does that the tick does not, and the other way round (printed beside it)
FLOOR_DIFFERS = (
    "floor vs tick: the floor runs each step over every row in one transaction (4 commits in"
    " all) and writes each run row twice (inserted running, then completed) and each"
    " automation twice (claimed, then rescheduled), the leased path's writes; it reads the due"
    " rows once and does no schedule maths, no skill, no counters, quota or rate limit. The"
    " tick (quick runs) commits once per claim batch, writes each run row and automation once,"
    " reads the due rows once (on SQLite, again under the write lock only when another"
    " connection wrote since) and plans, executes and counts every run."
)


# --------------------------------------------------------------------------------------------
# APScheduler 3
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------


def exactly_once(url: str, n: int) -> bool:
    """Every automation got exactly one run row, for the occurrence at T."""
    engine = tuned_engine(url)
    try:
        with engine.connect() as conn:
            rows, distinct, at_t = conn.execute(
                text(
                    "SELECT COUNT(*), COUNT(DISTINCT automation_id),"
                    " SUM(CASE WHEN scheduled_for = :t THEN 1 ELSE 0 END) FROM automation_runs"
                ),
                {"t": T.strftime(SQLITE_DATETIME) if engine.dialect.name == "sqlite" else T},
            ).one()
    finally:
        engine.dispose()
    return rows == distinct == at_t == n


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--automations", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=1_000)
    parser.add_argument("--orgs", type=int, default=10)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--pg-url",
        help="PostgreSQL server to create the bench databases on"
        " (default: a throwaway server from bench/kit/peers/postgres.py)",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--claim-batch",
        type=int,
        default=None,
        help="override settings.claim_batch (default from settings)",
    )
    parser.add_argument(
        "--apscheduler-jobs",
        type=int,
        default=None,
        help="jobs for the APScheduler run (default: --automations; 0 skips it)",
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="skilltick-bench-"))
    store = Store(args.store, workdir, args.pg_url)
    try:
        started = time.perf_counter()
        pairs = make_pairs(args.pairs)
        nexts = next_after(pairs)
        engine = make_engine(store.tick_url)
        upgrade(engine)
        load(engine, args.automations, pairs, args.orgs)
        analyze(engine)
        engine.dispose()  # on SQLite the last connection to close folds the WAL into the file
        store.copy_tick_to_floor()
        load_s = time.perf_counter() - started
        rss_before = peak_rss_mb()

        tick = run_tick(store.tick_url, args.workers, args.claim_batch)
        once = exactly_once(store.tick_url, args.automations)
        floor = run_floor(store.floor_url, nexts)
        aps_jobs = args.automations if args.apscheduler_jobs is None else args.apscheduler_jobs
        aps = run_apscheduler(workdir, aps_jobs, pairs) if aps_jobs else None
    finally:
        store.close()
        shutil.rmtree(workdir, ignore_errors=True)

    n = args.automations
    ok = (
        once
        and tick["claimed"] == n
        and tick["statuses"] == {"completed": n}
        and floor["rows"] == n
        and (aps is None or aps["ran"] == aps["jobs"])
    )
    aps_per_s = aps["jobs"] / aps["seconds"] if aps else None
    floor_s = floor["claim"] + floor["run_insert"] + floor["complete"] + floor["reschedule"]
    tick_cpu = tick.get("cpu_seconds")
    result = {
        "store": args.store,
        "automations": n,
        "pairs": args.pairs,
        "workers": args.workers,
        "claim_batch": tick["claim_batch"],
        "occurrences_per_s": round(tick["claimed"] / tick["seconds"]),
        "tick_seconds": round(tick["seconds"], 3),
        "floor_seconds": round(floor_s, 3),
        "floor_steps_s": {
            k: round(v, 3) for k, v in floor.items() if k not in ("rows", "cpu_seconds")
        },
        "ratio_to_floor": round(tick["seconds"] / floor_s, 2),
        # the same ratio in CPU time (one worker): steadier than wall time on a busy machine
        "cpu_ratio_to_floor": (
            round(tick_cpu / floor["cpu_seconds"], 2) if tick_cpu is not None else None
        ),
        "tick_cpu_seconds": round(tick_cpu, 3) if tick_cpu is not None else None,
        "floor_cpu_seconds": round(floor["cpu_seconds"], 3),
        "exactly_once": once,
        "apscheduler_jobs": aps["jobs"] if aps else 0,
        "apscheduler_jobs_per_s": round(aps_per_s) if aps_per_s else None,
        "apscheduler_seconds": round(aps["seconds"], 3) if aps else None,
        "ratio_to_apscheduler": (
            round(tick["claimed"] / tick["seconds"] / aps_per_s, 1) if aps_per_s else None
        ),
        "peak_rss_mb": round(tick["peak_rss_mb"], 1),
        "rss_before_tick_mb": round(rss_before, 1),
        "claimed_per_worker": tick["per_worker"],
        "statuses": tick["statuses"],
        "load_seconds": round(load_s, 1),
        "ok": ok,
    }
    print(
        f"store {args.store}, {n} automations over {args.pairs} (cron, zone) pairs, "
        f"{args.workers} worker(s), claim_batch {tick['claim_batch']} (load {load_s:.1f} s)"
    )
    print(
        f"tick:   {tick['seconds']:.3f} s  ->  {result['occurrences_per_s']} occurrences/s  "
        f"(claimed {tick['claimed']}, per worker {tick['per_worker']}, "
        f"statuses {tick['statuses']})"
    )
    print(
        f"floor:  {floor_s:.3f} s  ("
        + ", ".join(f"{k} {v:.3f}" for k, v in result["floor_steps_s"].items())
        + ")"
    )
    print(FLOOR_DIFFERS)
    if aps:
        print(
            f"apscheduler: {aps['jobs']} jobs in {aps['seconds']:.3f} s  ->  "
            f"{result['apscheduler_jobs_per_s']} jobs/s  "
            f"(all ran after {aps['ran_seconds']:.3f} s; ratio_to_apscheduler "
            f"{result['ratio_to_apscheduler']})"
        )
    print(
        f"ratio_to_floor {result['ratio_to_floor']} (in CPU time {result['cpu_ratio_to_floor']}:"
        f" tick {result['tick_cpu_seconds']} s, floor {result['floor_cpu_seconds']} s), "
        f"peak RSS {result['peak_rss_mb']} MB "
        f"(process before the tick: {result['rss_before_tick_mb']} MB)"
    )
    if not ok:
        print("WARNING: the tick or the floor did not handle every occurrence exactly once")
    print(json.dumps(result, sort_keys=True))
    return result


if __name__ == "__main__":
    main()
