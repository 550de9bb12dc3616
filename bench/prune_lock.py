"""How long a prune holds SQLite's write lock over a large run history: the pruner as it was (one
write transaction that scans the runs table) against the batched pruner (reads find the rows,
each batch of deletes is a short write transaction of its own), on copies of one database.

The history holds `--runs` completed runs spread over the retention period, `--old-share` of them
just past it and `--expired-share` with a full output past its TTL: what a prune every ten minutes
finds. The last line is one JSON object; `max_hold_ratio` is the longest single hold before over
after.

    python bench/prune_lock.py                    # 200,000 runs
    python bench/prune_lock.py --runs 1000000     # on a quiet machine only
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, insert, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.kit.factories import make_org  # noqa: E402
from bench.kit.rows import completed_run_row, cron_automation_row  # noqa: E402
from models.engine import READ_ONLY_OPTION, make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.store.retention import BATCH, prune  # noqa: E402
from models.tables import table_of  # noqa: E402
from models.tables.automations import Automation  # noqa: E402
from models.tables.deliveries import Delivery, OutboxMessage  # noqa: E402
from models.tables.runs import AutomationRun, RunAction, RunTarget  # noqa: E402

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RETENTION_DAYS = 90
CHUNK = 50_000


def generate(path: Path, runs: int, old_share: float, expired_share: float) -> float:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    started = time.perf_counter()
    org = make_org(engine, NOW)
    automation = cron_automation_row(
        org_id=org.org_id,
        owner_id=org.member_id,
        name="a",
        cron="0 9 * * *",
        next_run_at=NOW,
        created_at=NOW,
    )
    with engine.begin() as conn:
        autos = table_of(Automation)
        auto_id = conn.execute(insert(autos).values(automation).returning(autos.c.id)).scalar_one()
    old, expired = int(runs * old_share), int(runs * expired_share)
    span = timedelta(days=RETENTION_DAYS) / max(1, runs - old)
    table = table_of(AutomationRun)
    with engine.begin() as conn:
        batch: list[dict[str, Any]] = []
        for i in range(runs):
            if i < old:  # the oldest, just past retention, as ten minutes of history would be
                at = NOW - timedelta(days=RETENTION_DAYS, seconds=old - i)
            else:
                at = NOW - timedelta(days=RETENTION_DAYS) + span * (i - old + 1)
            row = completed_run_row(org.org_id, auto_id, at)
            row["scheduled_for"] = at
            row["output"], row["output_expires_at"] = None, None
            if i >= runs - expired:
                row["output"], row["output_expires_at"] = "noop\n", NOW - timedelta(seconds=1)
            batch.append(row)
            if len(batch) >= CHUNK:
                conn.execute(insert(table), batch)
                batch = []
        if batch:
            conn.execute(insert(table), batch)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    engine.dispose()  # the last connection closed copies the log into the file
    assert not Path(f"{path}-wal").exists(), "the write-ahead log was left beside the file"
    return time.perf_counter() - started


def prune_in_one_transaction(engine: Engine, *, now: datetime, retention_days: int) -> None:
    """The pruner before batching (verbatim but for the report): the baseline."""
    cutoff = now - timedelta(days=retention_days)
    with Session(engine, expire_on_commit=False) as s:
        s.exec(
            update(AutomationRun)
            .where(
                col(AutomationRun.output_expires_at).is_not(None),
                col(AutomationRun.output_expires_at) <= now,
            )
            .values(output=None, output_expires_at=None)
        )
        old = list(
            s.exec(
                select(AutomationRun.id).where(
                    col(AutomationRun.created_at) < cutoff,
                    col(AutomationRun.status).notin_(("pending", "running")),
                )
            )
        )
        for start in range(0, len(old), 500):
            chunk = old[start : start + 500]
            s.exec(update(Delivery).where(col(Delivery.run_id).in_(chunk)).values(run_id=None))
            s.exec(delete(RunTarget).where(col(RunTarget.run_id).in_(chunk)))
            s.exec(delete(RunAction).where(col(RunAction.run_id).in_(chunk)))
            s.exec(delete(AutomationRun).where(col(AutomationRun.id).in_(chunk)))
        s.exec(delete(OutboxMessage).where(col(OutboxMessage.created_at) < cutoff))
        s.exec(delete(Delivery).where(col(Delivery.created_at) < cutoff))
        s.commit()


def holds(path: Path, run: Callable[[Engine], Any]) -> dict[str, float]:
    """Run `run` on a fresh engine over `path`, timing each write transaction from its BEGIN
    IMMEDIATE to its commit or rollback."""
    engine = make_engine(f"sqlite:///{path}")
    spans: list[float] = []
    opened: dict[int, float] = {}

    @event.listens_for(engine, "begin")
    def _begun(conn: Any) -> None:
        if not conn.get_execution_options().get(READ_ONLY_OPTION):
            opened[id(conn)] = time.perf_counter()

    def _ended(conn: Any) -> None:
        if id(conn) in opened:
            spans.append(time.perf_counter() - opened.pop(id(conn)))

    event.listen(engine, "commit", _ended)
    event.listen(engine, "rollback", _ended)
    started = time.perf_counter()
    run(engine)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "max_hold_ms": round(max(spans) * 1000, 2),
        "total_hold_ms": round(sum(spans) * 1000, 2),
        "write_transactions": len(spans),
        "seconds": round(seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200_000)
    parser.add_argument("--old-share", type=float, default=0.001)
    parser.add_argument("--expired-share", type=float, default=0.001)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=BATCH, help="rows a write transaction deletes")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="skilltick-prune-"))
    source = workdir / "source.db"
    seconds = generate(source, args.runs, args.old_share, args.expired_share)
    print(f"generated {args.runs} runs in {seconds:.1f} s", flush=True)
    pruners: dict[str, Callable[[Engine], Any]] = {
        "before": lambda e: prune_in_one_transaction(e, now=NOW, retention_days=RETENTION_DAYS),
        "after": lambda e: prune(e, now=NOW, retention_days=RETENTION_DAYS, batch=args.batch),
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in pruners}
    try:
        for _ in range(args.repeat):
            for name, run in pruners.items():  # alternate, each on a fresh copy
                copy = workdir / f"{name}.db"
                shutil.copyfile(source, copy)
                results[name].append(holds(copy, run))
                copy.unlink()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    summary: dict[str, Any] = {
        "runs": args.runs,
        "pruned_runs": int(args.runs * args.old_share),
        "batch": args.batch,
    }
    for name, figures in results.items():
        for key in figures[0]:
            summary[f"{name}_{key}"] = statistics.median(f[key] for f in figures)
        print(f"{name:6} " + "  ".join(f"{k} {summary[f'{name}_{k}']}" for k in figures[0]))
    summary["max_hold_ratio"] = round(
        summary["before_max_hold_ms"] / summary["after_max_hold_ms"], 1
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
