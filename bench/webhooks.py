"""Webhook ingestion benchmark on loopback.

Sends signed generic webhooks to a real uvicorn server running skilltick (with its worker
in-process, as `skilltick serve` runs it) and, in the same run, to a bare FastAPI endpoint of
the same framework (the ceiling). The two servers take turns (--rounds slices each), so the
machine's load at any moment weighs on both. Reports accepted events/s and p50/p99 latency for
both and their ratio, checks that every 2xx is in the inbox (zero lost), then measures
event-to-run-start latency (run.started_at - event received) with events sent at a steady pace.

    python bench/webhooks.py [--seconds 30] [--concurrency 16] [--rounds 6]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import Request  # module level: FastAPI resolves the endpoint's annotations here

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.store.automations import add_automation  # noqa: E402 (the checkout comes first)
from models.store.orgs import create_org, create_user  # noqa: E402

SECRET = "bench-signing-secret"


# --- servers (run as subprocesses of this file) ----------------------------------------------


def _run_server(kind: str) -> None:
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    stop = threading.Event()
    if kind == "bare":
        app = FastAPI()

        @app.post("/bare")
        async def bare(request: Request) -> JSONResponse:
            await request.body()
            return JSONResponse({"received": True})
    else:
        from assistant.app import build_context
        from assistant.http.app import create_app
        from worker.tick.factory import build_worker
        from worker.tick.loop import run_worker

        ctx = build_context()
        app = create_app(ctx)
        worker = build_worker(ctx.engine, ctx.settings, registry=ctx.registry)
        threading.Thread(
            target=run_worker, args=(worker,), daemon=True, kwargs={"stop": stop, "wake": ctx.wake}
        ).start()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="error", lifespan="off", access_log=False
        )
    )

    def announce() -> None:
        while not server.started:
            time.sleep(0.01)
        print(f"port={server.servers[0].sockets[0].getsockname()[1]}", flush=True)

    threading.Thread(target=announce, daemon=True).start()
    server.run()
    stop.set()


def _start(kind: str, env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("port="):
        proc.kill()
        raise RuntimeError(f"{kind} server did not start")
    return proc, int(line.strip().split("=")[1])


# --- load ------------------------------------------------------------------------------------


def _delivery(n: int) -> tuple[bytes, dict[str, str]]:
    from worker.triggers.signatures import sign_generic

    body = json.dumps(
        {
            "id": f"bench-{n}-{time.monotonic_ns()}",
            "type": "candidate.stage_changed",
            "data": {
                "candidate_id": str(n),
                "application_id": str(n),
                "from_stage": "Screen",
                "to_stage": "Interview",
            },
        }
    ).encode()
    return body, {
        **sign_generic(SECRET, body, int(time.time())),
        "Content-Type": "application/json",
    }


async def _load(url: str, seconds: float, concurrency: int, first: int = 0) -> dict[str, Any]:
    """One slice of load: `concurrency` clients posting back to back for `seconds`."""
    latencies: list[float] = []
    accepted: list[str] = []
    errors = 0
    deadline = time.monotonic() + seconds
    counter = iter(range(first, 10**9))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one_client() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                body, headers = _delivery(next(counter))
                started = time.perf_counter()
                response = await client.post(url, content=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                if response.status_code == 200:
                    accepted.append(json.loads(body)["id"])
                else:
                    errors += 1

        started = time.monotonic()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    return {"elapsed": elapsed, "latencies": latencies, "accepted": accepted, "errors": errors}


def _summary(slices: list[dict[str, Any]]) -> dict[str, Any]:
    elapsed = sum(s["elapsed"] for s in slices)
    latencies = sorted(lat for s in slices for lat in s["latencies"])
    accepted = [i for s in slices for i in s["accepted"]]
    return {
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "accepted_per_s": round(len(accepted) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
        "errors": sum(s["errors"] for s in slices),
        "accepted_ids": accepted,
    }


async def _paced(url: str, seconds: float, rate: float) -> int:
    sent = 0
    async with httpx.AsyncClient(timeout=30) as client:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            body, headers = _delivery(sent)
            await client.post(url, content=body, headers=headers)
            sent += 1
            await asyncio.sleep(max(0.0, started + sent / rate - time.monotonic()))
    return sent


def _percentiles(values: list[int]) -> tuple[float, float]:
    values = sorted(values)
    if not values:
        return float("nan"), float("nan")
    return float(statistics.median(values)), float(values[int(len(values) * 0.99)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=30.0,
        help="load time, split evenly between the bare and skilltick servers",
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--rounds", type=int, default=6, help="turns each server takes (its time split evenly)"
    )
    parser.add_argument("--paced-seconds", type=float, default=5.0)
    parser.add_argument("--paced-rate", type=float, default=20.0, help="events/s")
    parser.add_argument("--serve", choices=["bare", "skilltick"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _run_server(args.serve)
        return

    from sqlalchemy import func, select
    from sqlmodel import col

    from models.engine import make_engine
    from models.migrate import upgrade
    from models.store.events import add_connection
    from models.tables.automations import Automation
    from models.tables.events import EventInbox
    from models.tables.runs import AutomationRun

    home = Path(tempfile.mkdtemp(prefix="skilltick-bench-"))
    db_url = os.environ.get("SKILLTICK_BENCH_DATABASE_URL") or f"sqlite:///{home}/bench.db"
    engine = make_engine(db_url)
    upgrade(engine)
    now = datetime.now(UTC)
    org = create_org(engine, slug="bench", name="Bench", now=now, plan="enterprise")
    user = create_user(engine, org_id=org.id or 0, email="r@bench.test", now=now)
    connection = add_connection(
        engine, org_id=org.id or 0, provider="generic", secret=SECRET, now=now
    )
    auto = add_automation(
        engine,
        Automation(
            org_id=org.id or 0,
            owner_id=user.id or 0,
            name="bench",
            skill="noop",
            trigger_type="event",
            event_type="candidate.stage_changed",
            output_channel="noop",
            output_config={"to": ["me"]},
            overlap_policy="allow",
            created_at=now,
            updated_at=now,
        ),
    )
    env = {
        **os.environ,
        "SKILLTICK_HOME": str(home),
        "SKILLTICK_DATABASE_URL": db_url,
        "SKILLTICK_EVENT_RUNS_PER_MINUTE": "100000000",
        "PYTHONPATH": str(ROOT),
    }

    def drain() -> None:
        """Wait until the worker has processed every stored event and finished its runs."""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                waiting = conn.execute(
                    select(func.count())
                    .select_from(EventInbox)
                    .where(col(EventInbox.status) == "received")
                ).scalar_one()
                pending = conn.execute(
                    select(func.count())
                    .select_from(AutomationRun)
                    .where(col(AutomationRun.status).in_(("pending", "running")))
                ).scalar_one()
            if not waiting and not pending:
                return
            time.sleep(0.2)

    # both servers run side by side and take turns, a slice each per round, so a change in the
    # machine's load during the run weighs on both alike; after each skilltick slice the worker
    # drains the backlog it left before the bare server's next turn (drain time is not counted)
    half = args.seconds / 2
    rounds = max(1, args.rounds)
    bare_proc, bare_port = _start("bare", env)
    app_proc: subprocess.Popen[str] | None = None
    try:
        app_proc, app_port = _start("skilltick", env)
        url = f"http://127.0.0.1:{app_port}/webhooks/ats/generic/{connection.key}"
        bare_url = f"http://127.0.0.1:{bare_port}/bare"
        bare_slices, app_slices = [], []
        for turn in range(rounds):
            first = turn * 10**6
            bare_slices.append(asyncio.run(_load(bare_url, half / rounds, args.concurrency)))
            app_slices.append(asyncio.run(_load(url, half / rounds, args.concurrency, first)))
            drain()
        bare, loaded = _summary(bare_slices), _summary(app_slices)
        bare_proc.kill()
        ids = loaded.pop("accepted_ids")
        bare.pop("accepted_ids")
        keys = {f"generic:{i}" for i in ids}
        with engine.connect() as conn:
            stored = conn.execute(
                select(col(EventInbox.dedupe_key)).where(
                    col(EventInbox.connection_id) == connection.id
                )
            ).scalars()
            lost = len(keys - set(stored))
        with engine.connect() as conn:
            first_paced = conn.execute(select(func.max(col(EventInbox.id)))).scalar_one() or 0
        sent = asyncio.run(_paced(url, args.paced_seconds, args.paced_rate))
        deadline = time.monotonic() + 30
        lags: list[int] = []
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                found = conn.execute(
                    select(col(AutomationRun.lag_ms)).where(
                        col(AutomationRun.automation_id) == auto.id,
                        col(AutomationRun.event_id) > first_paced,
                        col(AutomationRun.lag_ms).is_not(None),
                    )
                ).scalars()
                lags = [lag for lag in found if lag is not None]
            if len(lags) >= sent:
                break
            time.sleep(0.2)
    finally:
        for proc in (bare_proc, app_proc):
            if proc is not None:
                proc.kill()
                proc.wait()
    p50, p99 = _percentiles(lags)
    figures = {
        "benchmark": "webhooks",
        "seconds_per_server": half,
        "rounds": rounds,
        "concurrency": args.concurrency,
        "database": engine.dialect.name,
        "bare": bare,
        "skilltick": loaded,
        "ratio_to_bare": round(loaded["accepted_per_s"] / bare["accepted_per_s"], 3),
        "events_lost": lost,
        "event_to_run_start_ms": {
            "p50": p50,
            "p99": p99,
            "events": sent,
            "runs_started": len(lags),
            "rate_per_s": args.paced_rate,
        },
    }
    engine.dispose()
    print(
        f"bare FastAPI: {bare['accepted_per_s']}/s, p50 {bare['p50_ms']} ms, "
        f"p99 {bare['p99_ms']} ms"
    )
    print(
        f"skilltick webhooks: {loaded['accepted_per_s']}/s, p50 {loaded['p50_ms']} ms, "
        f"p99 {loaded['p99_ms']} ms; ratio_to_bare {figures['ratio_to_bare']}; lost {lost}"
    )
    print(f"event to run start at {args.paced_rate}/s: p50 {p50} ms, p99 {p99} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
