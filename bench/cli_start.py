"""Command line start: the wall and CPU time of `skilltick --help` and of a read command
(`automations list --json` on a seeded SQLite store), each in a new interpreter, as a user runs
them.

The baseline, in the same run: the same commands in an interpreter that first imports what a
start used to load before running anything (the MCP SDK, FastAPI, uvicorn, the Slack SDKs, the
Prometheus client and Alembic, and the application behind every command: tool set, tables,
skills). The ratio says how much sooner a command starts for not loading them: help loads none
of them; a read loads the application but no SDK. The last line is one JSON object.

    python bench/cli_start.py               # 5 runs of each, medians
    python bench/cli_start.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# what a start used to import before the surfaces were built in factories
SERVING_SDKS = (
    "mcp.server.mcpserver",
    "fastapi",
    "fastapi.security",
    "uvicorn",
    "slack_bolt",
    "slack_sdk",
    "slack_sdk.oauth.installation_store.sqlalchemy",
    "prometheus_client",
    "alembic.command",
)
# what a start used to import before the commands were loaded only when named
APPLICATION = ("assistant.app", "assistant.cli.automations_more", "assistant.cli.ops")
COMMANDS = {"help": ["--help"], "read": ["automations", "list", "--org", "demo", "--json"]}


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="skilltick-cli-start-"))
    env = {**os.environ, "SKILLTICK_DATABASE_URL": f"sqlite:///{home / 'skilltick.db'}"}
    cli = [sys.executable, "-m", "assistant"]
    preload = "; ".join(f"import {module}" for module in (*SERVING_SDKS, *APPLICATION))
    baseline = [
        sys.executable,
        "-c",
        f"{preload}; import sys; from assistant.cli.root import main; main(sys.argv[1:])",
    ]
    subprocess.run([*cli, "demo", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    figures: dict[str, float] = {}
    for name, words in COMMANDS.items():
        samples: dict[str, list[tuple[float, float]]] = {"now": [], "baseline": []}
        for _ in range(args.runs):  # alternated, so both see the same machine
            samples["now"].append(timed([*cli, *words], env))
            samples["baseline"].append(timed([*baseline, *words], env))
        for kind, runs in samples.items():
            figures[f"{name}_{kind}_wall_s"] = round(statistics.median(w for w, _ in runs), 3)
            figures[f"{name}_{kind}_cpu_s"] = round(statistics.median(c for _, c in runs), 3)
        for measure in ("wall", "cpu"):
            ratio = figures[f"{name}_baseline_{measure}_s"] / figures[f"{name}_now_{measure}_s"]
            figures[f"{name}_{measure}_ratio"] = round(ratio, 2)
        print(
            f"{' '.join(words):40} now {figures[f'{name}_now_wall_s']:6.2f} s "
            f"(cpu {figures[f'{name}_now_cpu_s']:.2f})   with the SDKs "
            f"{figures[f'{name}_baseline_wall_s']:6.2f} s "
            f"(cpu {figures[f'{name}_baseline_cpu_s']:.2f})   x{figures[f'{name}_wall_ratio']}"
        )
    print(json.dumps({"runs": args.runs, **figures}))


if __name__ == "__main__":
    main()
