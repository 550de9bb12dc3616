"""The tick benchmark's floor (bench/tick_throughput.py): the same work as plain driver-level
executemany, one transaction per step, on a copy of the tick's database."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON

from bench.kit.due_data import SQLITE_DATETIME, TICK_AT, T, tuned_engine
from models.store.run_queue import runs


def _core_defaults(table: Any, given: set[str]) -> dict[str, tuple[bool, Any]]:
    """name -> (is JSON, value) of the NOT NULL columns not in `given` that SQLAlchemy fills
    from a Python-side default (raw SQL does not)."""
    out: dict[str, tuple[bool, Any]] = {}
    for col in table.columns:
        if (
            col.name in given
            or col.primary_key
            or col.nullable
            or col.server_default is not None
            or col.default is None
        ):
            continue
        value = col.default.arg(None) if col.default.is_callable else col.default.arg
        is_json = isinstance(col.type, JSON)
        out[col.name] = (is_json, json.dumps(value) if is_json else value)
    return out


@contextmanager
def transaction(raw: Any, sqlite: bool) -> Iterator[Any]:
    cur = raw.cursor()
    if sqlite:
        cur.execute("BEGIN IMMEDIATE")  # what the tick's transactions do on SQLite
    try:
        yield cur
        if sqlite:
            cur.execute("COMMIT")
        else:
            raw.commit()
    finally:
        cur.close()


def run_floor(url: str, nexts: dict[tuple[str, str], datetime]) -> dict[str, float]:
    engine = tuned_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    p = "?" if sqlite else "%s"
    j = "?" if sqlite else "%s::json"

    texts: dict[datetime, str] = {}

    def ts(value: datetime) -> Any:
        # each instant formatted once: the floor does no work it can avoid
        if not sqlite:
            return value
        text = texts.get(value)
        if text is None:
            text = texts[value] = value.astimezone(UTC).strftime(SQLITE_DATETIME)
        return text

    now, owner = TICK_AT, "floor"
    lease_until, expires = now + timedelta(seconds=120), now + timedelta(hours=24)
    lock = "" if sqlite else " FOR UPDATE SKIP LOCKED"
    true = "1" if sqlite else "true"
    raw = engine.raw_connection()
    steps: dict[str, float] = {}
    cpu = time.process_time()
    try:
        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.execute(
                "SELECT id, org_id, cron_expression, timezone, next_run_at FROM automations"
                f" WHERE enabled = {true} AND next_run_at IS NOT NULL AND next_run_at <= {p}"
                " AND trigger_type IN ('cron', 'poll') ORDER BY next_run_at, id" + lock,
                (ts(now),),
            )
            due = cur.fetchall()
            cur.executemany(
                f"UPDATE automations SET status = 'running', lease_owner = {p},"
                f" updated_at = {p} WHERE id = {p}",
                [(owner, ts(now), row[0]) for row in due],
            )
        steps["claim"] = time.perf_counter() - start

        given = (
            "org_id automation_id triggered_by scheduled_for attempt status not_before"
            " trigger_data started_at lag_ms missed_count output_summary retry_count"
            " metrics lease_owner lease_expires_at created_at"
        ).split()
        # NOT NULL columns the schema gained since this was written: their Core defaults
        extra = _core_defaults(runs, set(given))
        columns = ", ".join(given + list(extra))
        values = (
            f"{p}, {p}, 'schedule', {p}, 1, 'running', {p}, {j}, {p}, {p}, 0, {j}, 0,"
            f" {j}, {p}, {p}, {p}"
        )
        values += "".join(f", {j if is_json else p}" for is_json, _ in extra.values())
        constants = tuple(value for _, value in extra.values())
        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.executemany(
                f"INSERT INTO automation_runs ({columns}) VALUES ({values})",
                [
                    (
                        row[1],
                        row[0],
                        ts(T),
                        ts(T),
                        "{}",
                        ts(now),
                        5000,
                        "{}",
                        "{}",
                        owner,
                        ts(lease_until),
                        ts(now),
                        *constants,
                    )
                    for row in due
                ],
            )
        steps["run_insert"] = time.perf_counter() - start

        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.executemany(
                f"UPDATE automation_runs SET status = 'completed', completed_at = {p},"
                f" duration_ms = {p}, output_summary = {j}, output_hash = {p}, output = {p},"
                f" output_expires_at = {p}, metrics = {j}, lease_owner = NULL,"
                " lease_expires_at = NULL"
                f" WHERE automation_id = {p} AND scheduled_for = {p} AND attempt = 1",
                [
                    (
                        ts(now),
                        0,
                        '{"noop": true}',
                        "0" * 64,
                        "noop\n",
                        ts(expires),
                        "{}",
                        row[0],
                        ts(T),
                    )
                    for row in due
                ],
            )
        steps["complete"] = time.perf_counter() - start

        start = time.perf_counter()
        with transaction(raw, sqlite) as cur:
            cur.executemany(
                f"UPDATE automations SET next_run_at = {p}, status = 'idle',"
                f" last_run_at = {p}, last_run_status = 'completed', last_success_at = {p}"
                f" WHERE id = {p}",
                [(ts(nexts[(row[2], row[3])]), ts(now), ts(now), row[0]) for row in due],
            )
        steps["reschedule"] = time.perf_counter() - start
        steps["rows"] = len(due)
        steps["cpu_seconds"] = time.process_time() - cpu
    finally:
        raw.close()
        engine.dispose()
    return steps


#: what the floor does that the tick does not, and the other way round (printed beside it)
FLOOR_DIFFERS = (
    "floor vs tick: the floor runs each step over every row in one transaction (4 commits in"
    " all) and writes each run row twice (inserted running, then completed) and each"
    " automation twice (claimed, then rescheduled), the leased path's writes; it reads the due"
    " rows once and does no schedule maths, no skill, no counters, quota or rate limit. The"
    " tick (quick runs) commits once per claim batch, writes each run row and automation once,"
    " reads the due rows once (on SQLite, again under the write lock only when another"
    " connection wrote since) and plans, executes and counts every run."
)
