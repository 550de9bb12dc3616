#!/usr/bin/env python
"""Fairness: how long other organisations' runs wait when one organisation's runs are slow.

    python bench/fairness.py [--orgs 4] [--runs 20] [--slow 10] [--smtp-timeout 10]

Scenarios, each on a fresh SQLite database ticked once at T + 1 s:

- **baseline**: `--orgs` organisations with `--runs` queued "run now" runs each (skill noop,
  in-app delivery), nothing else.
- **slow tenant**: the same, plus one organisation (the demo one) with `--slow` event workflows
  whose e-mail body loops for hours (nested `range` loops) and `--slow` scheduled reports mailed
  through an SMTP server that accepts connections and never greets (timeout `--smtp-timeout`).
- **slow tenant, one thread**: the slow tenant again with `run_threads=1`, which is how a batch
  ran before runs executed concurrently; shown for comparison.

For each run of the other organisations, its start lag is the time from the tick's start to the
moment the executor starts it. Printed: p50/p99/max start lag per scenario and the p99 ratio of
"slow tenant" to "baseline" (target <= 2); then, as the LAST line, one JSON object with the
figures and `ok` (every other organisation's run completed; the slow tenant's runs failed with
their time-limit and SMTP messages).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlmodel import Session, col  # noqa: E402

from bench.kit.peers.silent_tcp import silent_server  # noqa: E402
from models.engine import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.settings import load_settings  # noqa: E402
from models.store.automations import add_automation  # noqa: E402
from models.store.orgs import create_org, create_user  # noqa: E402
from models.store.run_queue import queue_run  # noqa: E402
from models.tables.automations import Automation  # noqa: E402
from models.tables.demo_ats import AtsCandidate  # noqa: E402
from models.tables.runs import AutomationRun  # noqa: E402
from skills.ats.seed import seed_demo  # noqa: E402
from worker.tick.tick import Worker  # noqa: E402

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOOPS = "{% for i in range(100000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}"


def _automation(org_id: int, owner_id: int, name: str, **fields: Any) -> Automation:
    values: dict[str, Any] = {
        "skill": "noop",
        "trigger_type": "cron",
        "cron_expression": "0 9 * * *",
        "timezone": "UTC",
        "output_channel": "in_app",
        "output_config": {"to": ["me"]},
        "next_run_at": T,
    }
    values.update(fields)
    return Automation(
        org_id=org_id,
        owner_id=owner_id,
        name=name,
        created_at=T - timedelta(days=1),
        updated_at=T - timedelta(days=1),
        **values,
    )


def _add_other_orgs(engine: Any, orgs: int, runs: int) -> set[int]:
    """Organisations whose users press "run now" (queued after the slow tenant's runs)."""
    ids = set()
    for n in range(orgs):
        org = create_org(engine, slug=f"org{n}", name=f"Org {n}", now=T, plan="enterprise")
        user = create_user(
            engine, org_id=org.id or 0, email=f"u@org{n}.test", name="U", role="admin", now=T
        )
        ids.add(org.id or 0)
        for i in range(runs):
            auto = add_automation(
                engine,
                _automation(
                    org.id or 0, user.id or 0, f"report {i}", next_run_at=T + timedelta(days=1)
                ),
            )
            queue_run(
                engine, automation_id=auto.id or 0, org_id=org.id or 0, triggered_by="manual", now=T
            )
    return ids


def _add_slow_tenant(engine: Any, slow: int) -> int:
    demo = seed_demo(engine, now=T - timedelta(hours=1), candidates=20)
    owner = demo.member_ids[0]
    with Session(engine) as session:
        candidate = session.scalars(
            select(col(AtsCandidate.id)).where(col(AtsCandidate.org_id) == demo.org_id)
        ).first()
    for i in range(slow):
        flow = add_automation(
            engine,
            _automation(
                demo.org_id,
                owner,
                f"looping workflow {i}",
                skill="workflow",
                trigger_type="event",
                cron_expression=None,
                event_type="candidate.stage_changed",
                next_run_at=None,
                params={
                    "actions": [
                        {"type": "send_email", "to": "owner", "subject": "s", "body": LOOPS}
                    ]
                },
                output_channel="email",
            ),
        )
        queue_run(
            engine,
            automation_id=flow.id or 0,
            org_id=demo.org_id,
            triggered_by="event",
            now=T,
            trigger_data={"candidate_id": candidate},
        )
        add_automation(
            engine, _automation(demo.org_id, owner, f"mailed report {i}", output_channel="email")
        )
    return demo.org_id


def scenario(
    name: str, *, orgs: int, runs: int, slow: int, smtp_timeout: float, threads: int | None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as home, silent_server() as port:
        engine = make_engine(f"sqlite:///{home}/bench.db")
        upgrade(engine)
        # the slow tenant first: its runs are claimed ahead of the others'
        slow_org = _add_slow_tenant(engine, slow) if slow else None
        others = _add_other_orgs(engine, orgs, runs)
        overrides: dict[str, Any] = {"home": Path(home), "smtp_timeout_seconds": smtp_timeout}
        if slow:
            overrides.update(smtp_host="127.0.0.1", smtp_port=port)
        if threads is not None:
            overrides["run_threads"] = threads
        worker = Worker(engine, load_settings(**overrides))
        starts: dict[int, float] = {}
        execute = worker.executor.execute

        def timed(run: Any, inputs: Any, now: datetime) -> Any:
            if run.org_id in others:
                starts[run.run_id] = time.monotonic()
            return execute(run, inputs, now)

        worker.executor.execute = timed  # type: ignore[method-assign]
        started = time.monotonic()
        worker.tick(now=T + timedelta(seconds=1))
        tick_seconds = time.monotonic() - started
        with Session(engine) as session:
            rows = session.scalars(
                select(AutomationRun).where(col(AutomationRun.attempt) == 1)
            ).all()
        engine.dispose()
    lags = sorted(at - started for at in starts.values())
    other_rows = [r for r in rows if r.org_id in others]
    slow_rows = [r for r in rows if r.org_id == slow_org]
    errors = [r.error_message or "" for r in slow_rows]
    ok = (
        len(other_rows) == orgs * runs
        and all(r.status == "completed" for r in other_rows)
        and len(lags) == orgs * runs
        and all(r.status == "failed" for r in slow_rows)
        and sum("took longer than 2 s" in e for e in errors) == slow
        and sum(e.startswith("SMTP server") for e in errors) == slow
    )
    return {
        "scenario": name,
        "runs": len(lags),
        "p50_s": round(statistics.median(lags), 3),
        "p99_s": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 3),
        "max_s": round(lags[-1], 3),
        "tick_s": round(tick_seconds, 3),
        "ok": ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=4)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--smtp-timeout", type=float, default=10.0)
    args = parser.parse_args()
    common = {"orgs": args.orgs, "runs": args.runs, "smtp_timeout": args.smtp_timeout}
    base = scenario("baseline", slow=0, threads=None, **common)
    fair = scenario("slow tenant", slow=args.slow, threads=None, **common)
    single = scenario("slow tenant, one thread", slow=args.slow, threads=1, **common)
    for row in (base, fair, single):
        print(
            f"{row['scenario']:<26} start lag p50 {row['p50_s']:.3f} s  p99 {row['p99_s']:.3f} s"
            f"  max {row['max_s']:.3f} s  (tick {row['tick_s']:.1f} s, ok={row['ok']})"
        )
    floor = max(base["p99_s"], 0.001)
    ratio = fair["p99_s"] / floor
    print(f"p99 start lag with the slow tenant / without: {ratio:.2f} (target <= 2)")
    print(f"one thread, for comparison: {single['p99_s'] / floor:.1f}")
    print(
        json.dumps(
            {
                "p99_ratio": round(ratio, 3),
                "p99_ratio_one_thread": round(single["p99_s"] / floor, 3),
                "baseline": base,
                "slow_tenant": fair,
                "slow_tenant_one_thread": single,
                "ok": base["ok"] and fair["ok"] and single["ok"] and ratio <= 2,
            }
        )
    )


if __name__ == "__main__":
    main()
