"""Service latency on SQLite with a large store: p50/p99 of the dashboard's automations page, a
run-history page deep in the cursor, and GET /api/automations, plus the server process's RSS.

The server runs in its own process (uvicorn, the real app). A bare FastAPI endpoint in that same
process, returning the same number of rows of static JSON, is the baseline: the ratio says what
the store and the tool set cost over FastAPI and the socket. The last line is one JSON object.

    python bench/service_latency.py                      # 10,000 automations, 1,000,000 runs
    python bench/service_latency.py --runs 200000        # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.kit.rows import completed_run_row, cron_automation_row  # noqa: E402
from models.engine import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.store.access import create_token  # noqa: E402
from models.store.orgs import create_org, create_user  # noqa: E402
from models.tables import table_of  # noqa: E402
from models.tables.automations import Automation  # noqa: E402
from models.tables.runs import AutomationRun  # noqa: E402

PAGE_ROWS = 50
CHUNK = 50_000
SERVER = """
import sys, threading
import uvicorn
from fastapi import FastAPI
from assistant.app import build_context
from assistant.http import create_app
from models.settings import load_settings

ctx = build_context(load_settings(database_url=sys.argv[1]), migrate=False)
app = create_app(ctx)
# the same shape and size as an AutomationView, as static data
ROWS = [{"id": i, "name": f"automation {i}", "owner_email": "member@bench.test",
         "skill": "noop", "params": {}, "trigger_type": "cron", "trigger": "At 09:00 AM",
         "cron": "0 9 * * *", "rrule": None, "once": None, "timezone": "UTC",
         "event_type": None, "output_channel": "noop", "to": ["me"], "enabled": True,
         "status": "idle", "paused_reason": None, "paused_until": None,
         "consecutive_failures": 0, "misfire_policy": "latest", "overlap_policy": "skip",
         "next_run_at": "2026-03-02T09:00:00Z", "next_runs": ["2026-03-02T09:00:00Z"] * 3,
         "last_run_at": "2026-03-01T09:00:00Z", "last_run_status": "completed"}
        for i in range(int(sys.argv[2]))]

@app.get("/bench/baseline", include_in_schema=False)
def baseline() -> dict:
    return {"items": ROWS, "next_cursor": None}

server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                       lifespan="off"))
def announce() -> None:
    while not server.started:
        threading.Event().wait(0.02)
    print(server.servers[0].sockets[0].getsockname()[1], flush=True)
threading.Thread(target=announce, daemon=True).start()
server.run()
"""


def generate(db_url: str, automations: int, runs: int, deep_share: float) -> dict[str, Any]:
    """Bulk insert through SQLAlchemy Core executemany, in chunks; one automation gets
    `deep_share` of the runs so its history is deep."""
    engine = make_engine(db_url)
    upgrade(engine)
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    org = create_org(engine, slug="bench", name="Bench", now=now, plan="enterprise")
    admin = create_user(engine, org_id=org.id or 0, email="admin@bench.test", role="admin", now=now)
    member = create_user(engine, org_id=org.id or 0, email="member@bench.test", now=now)
    started = time.perf_counter()
    autos = table_of(Automation)
    rows = [
        cron_automation_row(
            org_id=org.id,
            owner_id=member.id,
            name=f"automation {i}",
            cron="0 9 * * *",
            next_run_at=now + timedelta(hours=1),
            created_at=now,
            last_run_at=now - timedelta(hours=23),
            last_run_status="completed",
        )
        for i in range(automations)
    ]
    with engine.begin() as conn:
        conn.execute(insert(autos), rows)
    deep_runs = int(runs * deep_share)
    spread = runs - deep_runs
    table = table_of(AutomationRun)

    def run_row(i: int) -> dict[str, Any]:
        automation_id = 1 if i < deep_runs else 2 + (i - deep_runs) % (automations - 1)
        return completed_run_row(org.id, automation_id, now - timedelta(minutes=runs - i))

    # interleave the deep automation's runs with the others', as a real history would be
    every = max(1, round(1 / deep_share)) if deep_runs else 0
    with engine.begin() as conn:
        batch: list[dict[str, Any]] = []
        deep_i, spread_i = 0, deep_runs
        for n in range(runs):
            if deep_i < deep_runs and (n % every == 0 or spread_i >= runs):
                batch.append(run_row(deep_i))
                deep_i += 1
            else:
                batch.append(run_row(spread_i))
                spread_i += 1
            if len(batch) >= CHUNK:
                conn.execute(insert(table), batch)
                batch = []
        if batch:
            conn.execute(insert(table), batch)
    seconds = time.perf_counter() - started
    admin_token = create_token(engine, user=admin, name="bench", now=now).secret
    with engine.connect() as conn:
        deep_ids = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id FROM automation_runs WHERE automation_id = 1 ORDER BY id"
            )
        ]
    engine.dispose()
    return {
        "seconds": round(seconds, 1),
        "admin_token": admin_token,
        "spread": spread,
        "deep_cursor": deep_ids[len(deep_ids) // 10] if deep_ids else None,
        "automation_cursor": automations // 2,
    }


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.50) * 1000, 2), "p99_ms": round(pick(0.99) * 1000, 2)}


def measure(c: httpx.Client, path: str, n: int) -> dict[str, float]:
    for _ in range(5):
        c.get(path).raise_for_status()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        c.get(path).raise_for_status()
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--automations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument(
        "--deep-share",
        type=float,
        default=0.1,
        help="share of runs belonging to the one deep automation",
    )
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="skilltick-bench-"))
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    data = generate(db_url, args.automations, args.runs, args.deep_share)
    print(
        f"generated {args.automations} automations and {args.runs} runs in {data['seconds']} s",
        flush=True,
    )

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, db_url, str(PAGE_ROWS)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        base = f"http://127.0.0.1:{port}"
        token = data["admin_token"]
        api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
        page = httpx.Client(base_url=base)
        page.post("/login", data={"token": token}, headers={"Origin": base})
        assert "skilltick_session" in page.cookies, "the login link did not open a session"
        cursor = data["automation_cursor"]
        results = {
            "automations_page": measure(page, f"/?scope=all&cursor={cursor}", args.requests),
            "run_history_deep_page": measure(
                page, f"/automations/1?cursor={data['deep_cursor']}", args.requests
            ),
            "api_automations": measure(
                api, f"/api/automations?limit={PAGE_ROWS}&cursor={cursor}", args.requests
            ),
            "baseline_static_json": measure(api, "/bench/baseline", args.requests),
        }
        rss_mb = psutil.Process(server.pid).memory_info().rss / 2**20
    finally:
        server.terminate()
        server.wait(10)
    base_p99 = results["baseline_static_json"]["p99_ms"]
    for name, figures in results.items():
        print(
            f"{name:24} p50 {figures['p50_ms']:8.2f} ms   p99 {figures['p99_ms']:8.2f} ms   "
            f"x{figures['p99_ms'] / base_p99:5.1f} baseline p99"
        )
    print(f"server RSS after the requests: {rss_mb:.0f} MiB")
    summary = {
        "automations": args.automations,
        "runs": args.runs,
        "deep_automation_runs": int(args.runs * args.deep_share),
        "generate_seconds": data["seconds"],
        "requests_each": args.requests,
        **{f"{k}_{m}": v for k, f in results.items() for m, v in f.items()},
        **{
            f"{k}_p99_ratio": round(f["p99_ms"] / base_p99, 2)
            for k, f in results.items()
            if k != "baseline_static_json"
        },
        "server_rss_mib": round(rss_mb, 1),
        "target_p99_ms": 150,
        "all_under_target": all(f["p99_ms"] < 150 for f in results.values()),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
