"""Reads while the tick writes, on one SQLite file: p50/p99 of the dashboard's and the API's main
reads (automation list, one automation, its runs, a run) with the server idle, then while
another process ticks a few thousand due runs again and again, and the ratio of the two.

The server runs in its own process (uvicorn, the real app); the tick runs in a third process
on the same file (a Worker claiming, running and completing every automation each minute of a
simulated clock, tick after tick, until the reads are done). `--compare-root DIR` also serves
the same requests from another checkout of the code (say main before a change) in the same
run, idle and loaded, alternating with this checkout `--repetitions` times, so both see the
same machine. The last line is one JSON object.

    python bench/reads_under_load.py                          # 3,000 due runs per tick
    python bench/reads_under_load.py --due 1000 --requests 60 --compare-root /tmp/main-copy
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

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # every automation fires each minute from here
HISTORY = 2_000  # finished runs of automation 1 before the ticks start
PAGE = 50

SERVER = """
import sys, threading
import uvicorn
from assistant.app import build_context
from assistant.http import create_app
from models.settings import load_settings

ctx = build_context(load_settings(database_url=sys.argv[1]), migrate=False)
server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=0,
                                       log_level="warning", lifespan="off"))
def announce() -> None:
    while not server.started:
        threading.Event().wait(0.02)
    print(server.servers[0].sockets[0].getsockname()[1], flush=True)
threading.Thread(target=announce, daemon=True).start()
server.run()
"""

# ticks minute after minute (a simulated clock) until stdin closes; one line per tick
TICKER = """
import sys, threading, time
from datetime import datetime, timedelta
from models.engine import make_engine
from models.settings import load_settings
from worker.tick.tick import Worker

url, start = sys.argv[1], datetime.fromisoformat(sys.argv[2])
engine = make_engine(url)
worker = Worker(engine, load_settings(database_url=url, smtp_host=None), worker_id="load")
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
minute = 0
print("ticking", flush=True)
while not stop.is_set():
    began = time.perf_counter()
    report = worker.tick(now=start + timedelta(minutes=minute, seconds=5))
    print(f"tick {minute}: {report.claimed} runs in {time.perf_counter() - began:.2f} s",
          flush=True)
    minute += 1
engine.dispose()
"""


def generate(db_url: str, due: int) -> dict[str, Any]:
    """One organisation, `due` automations due every minute from T, a run history for #1."""
    engine = make_engine(db_url)
    upgrade(engine)
    org = create_org(engine, slug="bench", name="Bench", now=T, plan="enterprise")
    admin = create_user(engine, org_id=org.id or 0, email="admin@bench.test", role="admin", now=T)
    created = T - timedelta(days=1)
    rows = [
        cron_automation_row(
            org_id=org.id,
            owner_id=admin.id,
            name=f"automation {i}",
            cron="* * * * *",
            next_run_at=T,
            created_at=created,
        )
        for i in range(due)
    ]
    history = []
    for i in range(HISTORY):
        at = T - timedelta(minutes=HISTORY - i)
        history.append(completed_run_row(org.id, 1, at))
    with engine.begin() as conn:
        conn.execute(insert(table_of(Automation)), rows)
        conn.execute(insert(table_of(AutomationRun)), history)
    token = create_token(engine, user=admin, name="bench", now=T).secret
    with engine.connect() as conn:
        run_id = conn.exec_driver_sql("SELECT max(id) FROM automation_runs").scalar()
    engine.dispose()
    return {"token": token, "run_id": run_id}


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.50) * 1000, 2), "p99_ms": round(pick(0.99) * 1000, 2)}


class Server:
    """The real app serving `db_url` from the code at `root`, with a logged-in session."""

    def __init__(self, root: Path, db_url: str, token: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, db_url],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
            cwd=root,
        )
        assert self.process.stdout is not None
        base = f"http://127.0.0.1:{int(self.process.stdout.readline())}"
        self.api = httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120
        )
        self.page = httpx.Client(base_url=base, timeout=120)
        self.page.post("/login", data={"token": token}, headers={"Origin": base})
        assert "skilltick_session" in self.page.cookies, "the login link did not open a session"

    def reads(self, run_id: int) -> dict[str, tuple[httpx.Client, str]]:
        return {
            "dashboard_automations": (self.page, "/?scope=all"),
            "dashboard_automation_runs": (self.page, "/automations/1"),
            "dashboard_run": (self.page, f"/runs/{run_id}"),
            "api_automations": (self.api, f"/api/automations?limit={PAGE}"),
            "api_automation": (self.api, "/api/automations/1"),
            "api_automation_runs": (self.api, f"/api/automations/1/runs?limit={PAGE}"),
            "api_run": (self.api, f"/api/runs/{run_id}"),
        }

    def close(self) -> None:
        self.api.close()
        self.page.close()
        self.process.terminate()
        self.process.wait(10)


def sample(server: Server, run_id: int, requests: int) -> dict[str, list[float]]:
    """`requests` timed GETs of each read, round robin (each sees the load at its moment)."""
    reads = server.reads(run_id)
    for client, path in reads.values():
        client.get(path).raise_for_status()
    out: dict[str, list[float]] = {name: [] for name in reads}
    for _ in range(requests):
        for name, (client, path) in reads.items():
            start = time.perf_counter()
            client.get(path).raise_for_status()
            out[name].append(time.perf_counter() - start)
    return out


class Ticker:
    """A process ticking the due automations over and over until closed."""

    def __init__(self, db_url: str, minute: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", TICKER, db_url, (T + timedelta(minutes=minute)).isoformat()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ticking"

    def close(self) -> list[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        lines = self.process.stdout.read().splitlines()
        if self.process.wait(600) != 0:
            raise SystemExit("the ticking process failed")
        return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=3_000, help="automations due each minute")
    parser.add_argument("--requests", type=int, default=100, help="per read, phase, repetition")
    parser.add_argument("--repetitions", type=int, default=2)
    parser.add_argument("--compare-root", type=Path, help="another checkout to serve the reads")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="skilltick-reads-"))
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    data = generate(db_url, args.due)
    roots = {"this": ROOT}
    if args.compare_root is not None:
        roots = {"compared": args.compare_root.resolve(), "this": ROOT}
    samples: dict[str, dict[str, dict[str, list[float]]]] = {
        code: {"idle": {}, "loaded": {}} for code in roots
    }
    ticks: list[str] = []
    minute = 0
    for _ in range(args.repetitions):
        for code, root in roots.items():
            server = Server(root, db_url, data["token"])
            try:
                for phase in ("idle", "loaded"):
                    ticker = Ticker(db_url, minute) if phase == "loaded" else None
                    try:
                        got = sample(server, data["run_id"], args.requests)
                    finally:
                        if ticker is not None:
                            done = ticker.close()
                            ticks += done
                            minute += len(done)
                    for name, values in got.items():
                        samples[code][phase].setdefault(name, []).extend(values)
            finally:
                server.close()
    figures: dict[str, Any] = {"due": args.due, "requests_each": args.requests * args.repetitions}
    figures["ticks"] = len(ticks)
    print(f"{len(ticks)} ticks ran while loaded; the last: {ticks[-1] if ticks else '-'}")
    for code in roots:
        for name in samples[code]["idle"]:
            idle = percentiles(samples[code]["idle"][name])
            loaded = percentiles(samples[code]["loaded"][name])
            ratio = round(loaded["p99_ms"] / max(idle["p99_ms"], 0.01), 1)
            print(
                f"{code:8} {name:26} idle p50 {idle['p50_ms']:8.2f} p99 {idle['p99_ms']:8.2f}"
                f"   loaded p50 {loaded['p50_ms']:8.2f} p99 {loaded['p99_ms']:8.2f} ms"
                f"   p99 x{ratio}"
            )
            for phase, f in (("idle", idle), ("loaded", loaded)):
                for metric, value in f.items():
                    figures[f"{code}_{name}_{phase}_{metric}"] = value
            figures[f"{code}_{name}_p99_ratio"] = ratio
    if "compared" in roots:
        for name in samples["this"]["loaded"]:
            before = percentiles(samples["compared"]["loaded"][name])["p99_ms"]
            after = percentiles(samples["this"]["loaded"][name])["p99_ms"]
            figures[f"{name}_loaded_p99_compared_over_this"] = round(before / max(after, 0.01), 1)
            print(f"{name:26} loaded p99: compared {before:8.2f} ms, this {after:8.2f} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
