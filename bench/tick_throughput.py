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
import multiprocessing
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.kit.apscheduler_run import run_apscheduler  # noqa: E402
from bench.kit.due_data import (  # noqa: E402
    SQLITE_DATETIME,
    TICK_AT,
    Store,
    T,
    analyze,
    load,
    make_pairs,
    next_after,
    peak_rss_mb,
    tuned_engine,
)
from bench.kit.tick_floor import FLOOR_DIFFERS, run_floor  # noqa: E402
from models.engine import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.settings import load_settings  # noqa: E402

# --------------------------------------------------------------------------------------------
# the tick
# --------------------------------------------------------------------------------------------


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
