#!/usr/bin/env python
"""Deterministic understanding: time per request over the request table, against a baseline,
and how often it is right on the recruiter table and on a freshly generated corpus.

    python bench/understanding.py [--rounds 20] [--phrases 5000] [--seed N]

1. Load every request of bench/kit/language/requests.yaml (cases and questions) with its zone and
   moment.
2. Baseline, in the same run: a trivial regex pass over the same strings (find the times, days
   and skill words with three precompiled patterns): the floor of "reading" a sentence.
3. Understand each request `rounds` times with assistant.language.understand (no LLM, no
   database) and time each call, by the thread's CPU time (what the parser costs; on a shared
   2-core machine wall time also counts other processes' time slices) and by wall time.
4. Share understood without an LLM: requests of the `cases` table that came back "ok" with the
   expected skill, over all of them (questions are meant to be questions: not counted).
5. Recruiter table right: cases whose status, skill and next 5 fire times match the table (the
   brute-force expectation of bench/kit/language/expect.py), questions asked as questions.
6. Generated corpus (bench/kit/language/phrases.py, a fresh seed unless --seed): shares
   right, question and wrong against the fire times computed from each phrase's structure.
7. The same corpus with a data-window phrase in what each request asks for ("yesterday's
   pipeline report", "the sourcing recap for the last 24 hours";
   bench/kit/language/data_phrases.py): shares right, question and wrong against the same fire
   times (those words place the data, not the runs).
8. Generated reminder requests (bench/kit/language/reminder_phrases.py, the same seed, a fifth
   as many): shares right (the reminder skill with its text, recipients, channel and fire times),
   question and wrong.

Prints the figures, then as the LAST line one JSON object (p50_ms, p99_ms: CPU time;
wall_p50_ms, wall_p99_ms; baseline_p50_ms, baseline_p99_ms; ratio_p99_to_baseline;
understood_share, requests, rounds; table_right_share; corpus_seed, corpus_phrases,
corpus_right, corpus_question, corpus_wrong; data_words_right, data_words_question,
data_words_wrong; reminders_phrases, reminders_right, reminders_question, reminders_wrong).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from assistant.language import understand  # noqa: E402
from bench.kit.language.corpus_score import (  # noqa: E402
    Score,
    score,
    score_phrases,
    tally,
)
from bench.kit.language.data_phrases import data_corpus  # noqa: E402
from bench.kit.language.expect import expected_fires  # noqa: E402
from bench.kit.language.reminder_phrases import judge_reminder, reminder_corpus  # noqa: E402
from bench.kit.language.requests import request_table  # noqa: E402
from models.clock import parse_instant  # noqa: E402

BASELINE = (
    re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\bnoon\b|\b\d{1,2}:\d{2}\b", re.I),
    re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)\w*|\bweekdays?\b|\bdaily\b", re.I),
    re.compile(r"\bpipeline\b|\bsourcing\b|\bprep\b|\bbriefing\b|\boffer\b", re.I),
)


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    table = request_table()
    cases = [{**c, "tz": g["tz"], "now": g["now"]} for g in table["groups"] for c in g["cases"]]
    questions = [{**q, "now": q.get("now", "2026-01-15T12:00:00Z")} for q in table["questions"]]
    return cases, questions


def _instant(value: Any) -> datetime:
    return parse_instant(value if isinstance(value, str) else value.isoformat())


def _table_right(case: dict[str, Any]) -> bool:
    now = _instant(case["now"])
    draft = understand(case["say"], tz=case["tz"], now=now)
    if case.get("question"):
        return draft.status == "question"
    if not draft.ok or draft.skill != case["skill"]:
        return False
    if "event" in case:
        return draft.trigger_type == "event" and draft.event_type == case["event"]["type"]
    zone = case.get("in", case["tz"])
    return draft.fires(now, 5) == expected_fires(case["fires"], zone, now, 5)


def data_words_score(seed: int, size: int) -> Score:
    return score_phrases(seed, (changed for _, changed in data_corpus(seed, size)))


def reminders_score(seed: int, size: int) -> Score:
    return tally(seed, (judge_reminder(request) for request in reminder_corpus(seed, size)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--phrases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None, help="corpus seed (default: fresh)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**9)
    cases, questions = load()
    requests = [(c["say"], c["tz"], _instant(c["now"])) for c in cases + questions]
    for say, tz, now in requests:  # warm caches (regex compilation, zoneinfo)
        understand(say, tz=tz, now=now)
    baseline: list[float] = []
    timings: list[float] = []
    wall: list[float] = []
    for _ in range(args.rounds):
        for say, tz, now in requests:
            start = time.thread_time_ns()
            for pattern in BASELINE:
                pattern.findall(say)
            baseline.append((time.thread_time_ns() - start) / 1e6)
            start, start_wall = time.thread_time_ns(), time.perf_counter()
            understand(say, tz=tz, now=now)
            timings.append((time.thread_time_ns() - start) / 1e6)
            wall.append((time.perf_counter() - start_wall) * 1000)
    understood = 0
    for case in cases:
        draft = understand(case["say"], tz=case["tz"], now=_instant(case["now"]))
        wanted_question = bool(case.get("question"))
        if (draft.status == "question") == wanted_question and (
            wanted_question or draft.skill == case["skill"]
        ):
            understood += 1
    table_right = sum(_table_right(case) for case in cases) + sum(
        understand(q["say"], tz=q["tz"], now=_instant(q["now"])).status == "question"
        for q in questions
    )
    corpus = score(seed, args.phrases)
    data_words = data_words_score(seed, args.phrases)
    reminders = reminders_score(seed, max(1, args.phrases // 5))
    result = {
        "p50_ms": round(statistics.median(timings), 4),
        "p99_ms": round(percentile(timings, 0.99), 4),
        "wall_p50_ms": round(statistics.median(wall), 4),
        "wall_p99_ms": round(percentile(wall, 0.99), 4),
        "baseline_p50_ms": round(statistics.median(baseline), 4),
        "baseline_p99_ms": round(percentile(baseline, 0.99), 4),
        "ratio_p99_to_baseline": round(
            percentile(timings, 0.99) / max(percentile(baseline, 0.99), 1e-9), 1
        ),
        "understood_share": round(understood / len(cases), 4),
        "requests": len(requests),
        "rounds": args.rounds,
        "p99_target_ms": 5,
        "share_target": 0.95,
        "table_right_share": round(table_right / (len(cases) + len(questions)), 4),
        "corpus_seed": seed,
        "corpus_phrases": corpus.total,
        "corpus_right": round(corpus.share("right"), 4),
        "corpus_question": round(corpus.share("question"), 4),
        "corpus_wrong": round(corpus.share("wrong"), 4),
        "data_words_right": round(data_words.share("right"), 4),
        "data_words_question": round(data_words.share("question"), 4),
        "data_words_wrong": round(data_words.share("wrong"), 4),
        "reminders_phrases": reminders.total,
        "reminders_right": round(reminders.share("right"), 4),
        "reminders_question": round(reminders.share("question"), 4),
        "reminders_wrong": round(reminders.share("wrong"), 4),
        "corpus_right_target": 0.95,
        "corpus_wrong_target": 0.005,
    }
    print(
        f"understanding (CPU time): p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms "
        f"over {len(requests)} requests x {args.rounds} rounds"
    )
    print(
        f"understanding (wall time): p50 {result['wall_p50_ms']} ms, p99 {result['wall_p99_ms']} ms"
    )
    print(
        f"baseline regex pass (CPU time): p50 {result['baseline_p50_ms']} ms, p99 "
        f"{result['baseline_p99_ms']} ms (ratio p99 {result['ratio_p99_to_baseline']}x)"
    )
    print(
        f"understood without an LLM: {understood}/{len(cases)} ({result['understood_share']:.1%})"
    )
    print(
        f"recruiter table right: {table_right}/{len(cases) + len(questions)} "
        f"({result['table_right_share']:.1%})"
    )
    print(
        f"generated corpus (seed {seed}, {corpus.total} phrases): right "
        f"{result['corpus_right']:.2%}, question {result['corpus_question']:.2%}, wrong "
        f"{result['corpus_wrong']:.2%}"
    )
    for line in corpus.wrong[:10]:
        print(f"  wrong: {line}")
    print(
        f"same corpus with data words in the request: right {result['data_words_right']:.2%}, "
        f"question {result['data_words_question']:.2%}, wrong {result['data_words_wrong']:.2%}"
    )
    for line in data_words.wrong[:5]:
        print(f"  wrong: {line}")
    print(
        f"reminder requests ({reminders.total}): right {result['reminders_right']:.2%}, "
        f"question {result['reminders_question']:.2%}, wrong {result['reminders_wrong']:.2%}"
    )
    for line in reminders.wrong[:5] + reminders.questions[:5]:
        print(f"  {line}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
