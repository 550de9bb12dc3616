"""Conversation engine latency: every turn of the scripted conversation suite
(bench/kit/conversation/scripts.yaml) through the engine on SQLite, deterministic (no
LLM), with p50/p99 per turn. The baseline, measured in the same run on the same database, is a
bare tool-set call (list the speaker's automations): the ratio says what reading the message,
the conversation state and the decision cost over one tool call. Each script's expectations are
checked too (outside the timing), so a fast wrong answer does not count. Each turn is timed on
the wall clock and in CPU time of the thread that runs it (everything runs in that thread,
SQLite included), so a machine shared with other work still shows what a turn costs.

Like a service process, the run keeps one database, engine and tool set from start to end (each
round plays every script again in fresh organisations). A first round, announced in the output
and not counted, warms what a process warms once: imports, the first connections, SQLAlchemy's
compiled-statement cache. `--cold` starts each round on a new engine instead (its statements
compiled again), as the benchmark did before. The last line is one JSON object.

    python bench/conversation.py                 # 5 rounds over every script
    python bench/conversation.py --rounds 1
    python bench/conversation.py --cold          # a new engine (cold statement cache) per round
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.conversation import ConversationEngine, Turn  # noqa: E402
from assistant.tools.toolset import Toolset, actor_for  # noqa: E402
from bench.kit.conversation.scripts import NOW, SCRIPTS, SLACK_CONFIGURED, run_script  # noqa: E402
from models.engine import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.settings import load_settings  # noqa: E402
from skills.builtin import default_registry  # noqa: E402

TARGET_P99_MS = 20.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Bench:
    """One database, engine, tool set and conversation engine, as a service process has."""

    def __init__(self, directory: Path, name: str) -> None:
        self.engine = make_engine(f"sqlite:///{directory}/{name}.db")
        upgrade(self.engine)
        self.tools = Toolset(
            self.engine, load_settings(), registry=default_registry(), clock=lambda: NOW
        )
        self.conversation = ConversationEngine(self.tools)

    def round(self, index: int) -> tuple[list[float], list[float], list[float], int]:
        """Every script once, in organisations of their own (numbered from `index`): each
        turn's wall and CPU milliseconds, the baselines, and how many turns asked Claude."""
        engine, tools, conversation = self.engine, self.tools, self.conversation
        turns: list[float] = []
        cpu: list[float] = []
        baseline: list[float] = []
        planned = conversation.planner_turns

        def say(org: str, email: str, key: str, message: str) -> dict[str, Any]:
            actor = actor_for(engine, org, email)
            start = time.perf_counter()
            tools.list_automations(actor, everyone=False)
            baseline.append((time.perf_counter() - start) * 1000)
            turn = Turn(actor, key)
            start, start_cpu = time.perf_counter(), time.thread_time()
            reply = conversation.handle(turn, message)
            turns.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            return reply.as_json()

        for i, script in enumerate(SCRIPTS):
            run_script(engine, index + i, script, say, "engine")
        return turns, cpu, baseline, conversation.planner_turns - planned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--cold", action="store_true", help="a new engine per round (statements compiled again)"
    )
    args = parser.parse_args()
    os.environ.update(SLACK_CONFIGURED)  # the scripts post to Slack channels
    turns: list[float] = []
    cpu: list[float] = []
    baseline: list[float] = []
    planner = 0
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp), "warm-up")
        warm_up, _, _, _ = bench.round(0)
        print(
            f"warm-up round (not counted): {len(warm_up)} turns, first {warm_up[0]:.1f} ms, "
            f"p50 {percentile(warm_up, 0.5):.1f} ms, max {max(warm_up):.1f} ms"
        )
        for index in range(1, args.rounds + 1):
            if args.cold:
                bench.engine.dispose()
                bench = Bench(Path(tmp), f"round{index}")
            t, c, b, p = bench.round(index * len(SCRIPTS))
            turns += t
            cpu += c
            baseline += b
            planner += p
        bench.engine.dispose()
    figures = {
        "scripts": len(SCRIPTS),
        "turns": len(turns),
        "turn_p50_ms": round(percentile(turns, 0.5), 2),
        "turn_p99_ms": round(percentile(turns, 0.99), 2),
        "turn_mean_ms": round(statistics.fmean(turns), 2),
        "turn_cpu_p50_ms": round(percentile(cpu, 0.5), 2),
        "turn_cpu_p99_ms": round(percentile(cpu, 0.99), 2),
        "baseline_p50_ms": round(percentile(baseline, 0.5), 2),
        "baseline_p99_ms": round(percentile(baseline, 0.99), 2),
        "p50_ratio": round(percentile(turns, 0.5) / percentile(baseline, 0.5), 1),
        "p99_ratio": round(percentile(turns, 0.99) / percentile(baseline, 0.99), 1),
        "share_without_llm": round(1 - planner / len(turns), 4),
        "engine": "new per round" if args.cold else "one for the run",
        "target_p99_ms": TARGET_P99_MS,
        "p99_within_target": percentile(turns, 0.99) < TARGET_P99_MS,
    }
    print(
        f"{figures['turns']} turns over {figures['scripts']} scripts x {args.rounds} rounds "
        f"({figures['engine']} engine): "
        f"p50 {figures['turn_p50_ms']} ms, p99 {figures['turn_p99_ms']} ms per turn "
        f"(CPU p50 {figures['turn_cpu_p50_ms']} ms, p99 {figures['turn_cpu_p99_ms']} ms) "
        f"(baseline tool call p50 {figures['baseline_p50_ms']} ms, p99 "
        f"{figures['baseline_p99_ms']} ms; ratio p50 {figures['p50_ratio']}x, p99 "
        f"{figures['p99_ratio']}x); {figures['share_without_llm']:.0%} without an LLM"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
