#!/usr/bin/env python
"""What an interview briefing on a schedule costs when it covers the time until its next run:
a daily run (a day ahead) against a weekly one (the look-ahead, 7 days), over a large demo ATS.

    python bench/briefing_window.py [--candidates 3000] [--runs 20]

1. Seeds the demo organisation with N candidates (seed_demo) in a fresh SQLite file; the
   briefing's owner is the interviewer with the most scheduled interviews.
2. Baseline, in the same run: the briefing run by a daily schedule (its window: the 24 hours
   until the next run, the reach the skill had before it looked further).
3. The same briefing run by a weekly schedule (its window: 7 days), as the skill ships (the
   first BRIEFED_IN_FULL interviews in full, a line for each other one), and with every
   interview in full (what the cap saves).
4. For each: p50 and p99 wall time per run (params checked, ATS reads, both templates), the
   interviews in the window, and the text's length in characters (what a hybrid run sends the
   model, about 4 characters a token).

Prints the figures, then as the LAST line one JSON object (daily_*, weekly_*, weekly_uncapped_*:
p50_ms, p99_ms, interviews, text_chars; ratio_weekly_to_daily_p50; briefed_in_full).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models.engine import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from skills.ats.demo import DemoAts  # noqa: E402
from skills.ats.seed import seed_demo  # noqa: E402
from skills.base import OwnerInfo, SkillContext  # noqa: E402
from skills.builtin import default_registry, people  # noqa: E402

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # a Monday
TZ = "America/New_York"


def context(ats: DemoAts, org_id: int, owner: int, gap: timedelta) -> SkillContext:
    return SkillContext(
        org_id=org_id,
        owner=OwnerInfo(owner, "owner@demo.skilltick.local", "Owner", TZ),
        params={},
        now=NOW,
        tz=TZ,
        triggered_by="schedule",
        last_success_at=None,
        trigger_data={},
        ats=ats,
        org_timezone=TZ,
        occurrence=NOW,
        next_run_after=lambda after: after + gap,
    )


def measure(ctx: SkillContext, runs: int) -> dict[str, Any]:
    skill = default_registry().get("interview-briefing")
    output = skill.run(ctx)  # warm-up: caches, first connection
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        skill.run(ctx)
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 2),
        "interviews": output.summary.get("interviews", 0),
        "text_chars": len(output.text),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        demo = seed_demo(engine, now=NOW, candidates=args.candidates)
        ats = DemoAts(engine, demo.org_id)
        ahead = ats.interviews_between(NOW, NOW + timedelta(days=7))
        busiest = Counter(i.interviewer_id for i in ahead if i.status == "scheduled")
        owner = busiest.most_common(1)[0][0] or demo.admin_id
        figures: dict[str, Any] = {"candidates": args.candidates, "runs": args.runs}
        for label, gap in (("daily", timedelta(days=1)), ("weekly", timedelta(days=7))):
            row = measure(context(ats, demo.org_id, owner, gap), args.runs)
            figures.update({f"{label}_{k}": v for k, v in row.items()})
        capped = people.BRIEFED_IN_FULL
        people.BRIEFED_IN_FULL = 10**6
        try:
            row = measure(context(ats, demo.org_id, owner, timedelta(days=7)), args.runs)
        finally:
            people.BRIEFED_IN_FULL = capped
        figures.update({f"weekly_uncapped_{k}": v for k, v in row.items()})
    figures["briefed_in_full"] = capped
    figures["ratio_weekly_to_daily_p50"] = round(
        figures["weekly_p50_ms"] / max(figures["daily_p50_ms"], 1e-6), 2
    )
    for label in ("daily", "weekly", "weekly_uncapped"):
        print(
            f"{label:16} p50 {figures[f'{label}_p50_ms']:8} ms  p99 {figures[f'{label}_p99_ms']:8} ms"
            f"  interviews {figures[f'{label}_interviews']:4}  text {figures[f'{label}_text_chars']} chars"
        )
    print(f"weekly / daily (p50): {figures['ratio_weekly_to_daily_p50']}x")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
