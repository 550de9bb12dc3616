#!/usr/bin/env python
"""Skill render time over a large demo ATS, and LLM input tokens with and without caching.

    python bench/skills_render.py [--candidates 10000] [--runs 50] [--llm-runs 5]

1. Seeds the demo organisation with N candidates (seed_demo) in a fresh SQLite file.
2. For every built-in skill, times `skill.run(ctx)` — params checked, the ATS read, both
   templates rendered — `--runs` times after one warm-up, and reports p50 and p99 per run
   (target: p99 < 50 ms, so skills never dominate a tick).
3. Baseline, measured in the same run: the skill's two Jinja2 templates rendered straight from a
   context gathered once beforehand (no ATS reads, no checks). The ratio p50 / baseline p50 is
   what reading the ATS and building the context cost on top of templating.
4. For the LLM skills (hybrid or llm), runs the LlmSkillRunner `--llm-runs` times against the
   local Messages API server of bench/kit/peers/anthropic.py (one tool call, then the answer),
   once with prompt caching and once without, and reports input tokens per run as that server
   counts them (characters / 4; cached prefix tokens reported as cache reads/writes, as the API
   does).

Prints a table, then as the LAST line one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, col  # noqa: E402

from bench.kit.peers.anthropic import fake_anthropic, final, tool_use  # noqa: E402
from models.engine import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.settings_integrations import AnthropicSettings  # noqa: E402
from models.tables.demo_ats import (  # noqa: E402
    AtsApplication,
    AtsInterview,
    AtsOffer,
)
from skills.ats.demo import DemoAts  # noqa: E402
from skills.ats.seed import seed_demo  # noqa: E402
from skills.base import OwnerInfo, SkillContext  # noqa: E402
from skills.builtin import default_registry  # noqa: E402
from skills.llm.runner import LlmSkillRunner  # noqa: E402
from skills.registry import HTML_TEMPLATE, TEXT_TEMPLATE, TemplateSkill  # noqa: E402
from worker.run.skill_stores import StoredHolidays, StoredSequenceSteps  # noqa: E402

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 9:00 in New York
TARGET_P99_MS = 50.0
PARAMS: dict[str, dict[str, Any]] = {
    "pipeline-report": {"scope": "organization"},
    "sourcing-recap": {"scope": "organization"},
    "new-candidate-alert": {"since_hours": 24 * 7},
    "stale-candidate-sla": {"scope": "organization"},
    "followups": {"scope": "organization"},
    "scheduled-report": {"report": "stale-candidate-sla"},
    "reminder": {"message": "Collect the scorecards"},
    "candidate-note": {"kind": "rejection"},
    "workflow": {
        "actions": [
            {
                "type": "send_email",
                "to": "owner",
                "subject": "{{ candidate.name }} moved",
                "body": "Now in {{ stage }}.",
            },
            {"type": "create_task", "title": "Call {{ candidate.first_name }}", "due_in_days": 2},
        ]
    },
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def first_id(engine: Engine, query: Any) -> int:
    with Session(engine) as session:
        found = session.scalars(query).first()
    if found is None:
        raise SystemExit(f"the demo data has no row for {query}")
    return int(found)


def triggers(engine: Engine) -> dict[str, dict[str, Any]]:
    candidate = first_id(
        engine,
        select(col(AtsApplication.candidate_id))
        .where(col(AtsApplication.stage) == "Interview")
        .order_by(col(AtsApplication.id)),
    )
    return {
        "interview-prep": {"candidate_id": candidate},
        "candidate-note": {"candidate_id": candidate},
        "event-alert": {"event": "candidate.withdrawn", "candidate_id": candidate},
        "workflow": {"candidate_id": candidate},
        "offer-accepted-alert": {
            "offer_id": first_id(
                engine,
                select(col(AtsOffer.id))
                .where(col(AtsOffer.status) == "accepted")
                .order_by(col(AtsOffer.id)),
            )
        },
        "interview-briefing": {
            "interview_id": first_id(
                engine,
                select(col(AtsInterview.id))
                .where(col(AtsInterview.status) == "scheduled")
                .order_by(col(AtsInterview.starts_at)),
            )
        },
        "post-interview-followup": {
            "interview_id": first_id(
                engine,
                select(col(AtsInterview.id))
                .where(col(AtsInterview.status) == "completed")
                .order_by(col(AtsInterview.starts_at).desc()),
            )
        },
    }


def context(
    engine: Engine, org_id: int, owner_id: int, skill: str, trigger: dict[str, Any]
) -> SkillContext:
    return SkillContext(
        org_id=org_id,
        owner=OwnerInfo(
            owner_id, "dana.recruiter@demo.skilltick.local", "Dana Recruiter", "America/Los_Angeles"
        ),
        params=dict(PARAMS.get(skill, {})),
        now=NOW,
        tz="America/New_York",
        triggered_by="schedule",
        last_success_at=None,
        trigger_data=trigger,
        ats=DemoAts(engine, org_id),
        holidays=StoredHolidays(engine, org_id),
        sequences=StoredSequenceSteps(engine, org_id),
        org_timezone="America/New_York",
    )


def time_ms(fn: Any, runs: int) -> list[float]:
    fn()  # warm-up: caches, first connection
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def render_figures(engine: Engine, org_id: int, owner_id: int, runs: int) -> dict[str, Any]:
    registry = default_registry()
    trig = triggers(engine)
    figures: dict[str, Any] = {}
    for spec in registry.list():
        skill = registry.get(spec.name)
        ctx = context(engine, org_id, owner_id, spec.name, trig.get(spec.name, {}))
        samples = time_ms(lambda skill=skill, ctx=ctx: skill.run(ctx), runs)
        row: dict[str, Any] = {
            "p50_ms": round(statistics.median(samples), 3),
            "p99_ms": round(percentile(samples, 0.99), 3),
        }
        if isinstance(skill, TemplateSkill) and skill.can_gather:
            gathered = skill.gather(ctx)
            templates = [skill._templates[n] for n in (TEXT_TEMPLATE, HTML_TEMPLATE)]
            if gathered.skipped_reason or not gathered.deliver:
                row["note"] = "nothing to render (skipped or action-only): no baseline"
            else:
                baseline = time_ms(
                    lambda t=templates, c=gathered.context: [x.render(c) for x in t], runs
                )
                row["baseline_p50_ms"] = round(statistics.median(baseline), 3)
                row["ratio_to_baseline"] = round(
                    row["p50_ms"] / max(row["baseline_p50_ms"], 1e-6), 1
                )
        figures[spec.name] = row
    return figures


def llm_figures(engine: Engine, org_id: int, owner_id: int, runs: int) -> dict[str, Any]:
    registry = default_registry()
    trig = triggers(engine)
    figures: dict[str, Any] = {}
    for spec in registry.list():
        if spec.mode not in ("llm", "hybrid"):
            continue
        row: dict[str, Any] = {}
        for label, caching in (("cached", True), ("uncached", False)):
            script = [
                step
                for _ in range(runs)
                for step in (tool_use("stage_counts", scope="organization"), final("Narrative."))
            ]
            with fake_anthropic(*script) as peer:
                runner = LlmSkillRunner(
                    AnthropicSettings(
                        api_key="bench",
                        base_url=peer.base_url,
                        prompt_caching=caching,
                    )
                )
                outputs = [
                    runner.run(
                        registry.get(spec.name),
                        context(engine, org_id, owner_id, spec.name, trig.get(spec.name, {})),
                    )
                    for _ in range(runs)
                ]
            assert all("fallback" not in o.llm for o in outputs), outputs[0].llm
            row[label] = {
                key: round(sum(o.llm[key] for o in outputs) / runs, 1)
                for key in (
                    "input_tokens",
                    "cache_read_tokens",
                    "cache_write_tokens",
                    "output_tokens",
                )
            }
        cached, uncached = row["cached"], row["uncached"]
        row["uncached_input_saved_share"] = round(
            1 - cached["input_tokens"] / max(uncached["input_tokens"], 1), 3
        )
        figures[spec.name] = row
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--llm-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        started = time.perf_counter()
        demo = seed_demo(engine, now=NOW, candidates=args.candidates)
        seed_s = time.perf_counter() - started
        # as a worker does at start (worker.tick.loop): what was built so far lives for the whole
        # process, so the collector stops rescanning it on every full collection
        gc.collect()
        gc.freeze()
        owner = demo.member_ids[0]
        render = render_figures(engine, demo.org_id, owner, args.runs)
        llm = llm_figures(engine, demo.org_id, owner, args.llm_runs)
        engine.dispose()
    print(
        f"demo ATS: {args.candidates} candidates, seeded in {seed_s:.1f} s; "
        f"{args.runs} runs per skill"
    )
    print(f"{'skill':26} {'p50 ms':>8} {'p99 ms':>8} {'raw jinja p50':>14} {'ratio':>7}")
    for name, row in render.items():
        print(
            f"{name:26} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} "
            f"{row.get('baseline_p50_ms', float('nan')):14.3f} "
            f"{row.get('ratio_to_baseline', float('nan')):7.1f}  {row.get('note', '')}"
        )
    worst = max(render.values(), key=lambda r: r["p99_ms"])["p99_ms"]
    print(
        f"worst p99: {worst:.2f} ms (target < {TARGET_P99_MS:g} ms): "
        f"{'OK' if worst < TARGET_P99_MS else 'OVER'}"
    )
    print("LLM input tokens per run (local Messages API server; chars/4):")
    for name, row in llm.items():
        c, u = row["cached"], row["uncached"]
        print(
            f"  {name:26} without caching {u['input_tokens']:8.1f} input | with caching "
            f"{c['input_tokens']:8.1f} input + {c['cache_read_tokens']:.1f} cache read + "
            f"{c['cache_write_tokens']:.1f} cache write"
        )
    print(
        json.dumps(
            {
                "candidates": args.candidates,
                "runs": args.runs,
                "worst_p99_ms": worst,
                "target_p99_ms": TARGET_P99_MS,
                "within_target": worst < TARGET_P99_MS,
                "render": render,
                "llm_tokens": llm,
            },
            separators=(",", ":"),
        )
    )


if __name__ == "__main__":
    main()
