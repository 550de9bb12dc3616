"""The tick benchmark's data (bench/tick_throughput.py): N due cron automations over distinct
(cron, zone) pairs, in a store (SQLite or PostgreSQL) and a copy of it for the floor, and the
engine both are read with."""

from __future__ import annotations

import random
import resource
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

from bench.kit.rows import cron_automation_row
from models.engine import make_engine, normalise_url
from models.settings import load_settings
from models.store.orgs import create_org, create_user
from models.store.run_queue import automations
from worker.schedule.parse import next_fire, parse_schedule

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
TICK_AT = T + timedelta(seconds=5)
LOAD_CHUNK = 5_000
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DATETIME on SQLite


def make_pairs(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """`count` distinct (cron, zone) pairs that all fire at T (checked)."""
    candidates: set[tuple[str, str]] = set()
    for tz in sorted(available_timezones()):
        try:
            local = T.astimezone(ZoneInfo(tz))
        except Exception:
            continue
        m, h = local.minute, local.hour
        dow = (local.isoweekday()) % 7  # cron: 0 = Sunday
        crons = [
            "* * * * *",
            f"{m} * * * *",
            f"{min(m, (m + 30) % 60)},{max(m, (m + 30) % 60)} * * * *",
            f"{m} {h} * * *",
            f"{m} {h} * * {dow}",
            f"{m} {h} {local.day} * *",
            f"{m} {min(h, (h + 12) % 24)},{max(h, (h + 12) % 24)} * * *",
        ]
        crons += [f"*/{s} * * * *" for s in (5, 10, 15, 20, 30) if m % s == 0]
        crons += [f"{m} */{k} * * *" for k in (2, 3, 4, 6, 8, 12) if h % k == 0]
        candidates.update((cron, tz) for cron in crons)
    ordered = sorted(candidates)
    random.Random(seed).shuffle(ordered)
    pairs: list[tuple[str, str]] = []
    for cron, tz in ordered:
        try:
            schedule = parse_schedule(cron=cron, tz=tz)
        except Exception:
            continue
        if next_fire(schedule, T - timedelta(seconds=1)) == T:
            pairs.append((cron, tz))
            if len(pairs) == count:
                return pairs
    raise SystemExit(f"only {len(pairs)} distinct (cron, zone) pairs fire at {T}; use fewer")


def next_after(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
    """The floor's reschedule table (computed before timing)."""
    out = {}
    for cron, tz in pairs:
        nxt = next_fire(parse_schedule(cron=cron, tz=tz), T)
        assert nxt is not None
        out[(cron, tz)] = nxt
    return out


def load(engine: Engine, n: int, pairs: list[tuple[str, str]], orgs: int) -> None:
    """Organisations and owners through the store API, automations with Core executemany."""
    owners: list[tuple[int, int]] = []
    for i in range(orgs):
        org = create_org(
            engine, slug=f"bench{i}", name=f"Bench {i}", now=T, plan="enterprise", timezone="UTC"
        )
        user = create_user(
            engine,
            org_id=org.id or 0,
            email=f"owner@bench{i}.test",
            name="Owner",
            role="admin",
            now=T,
        )
        owners.append((org.id or 0, user.id or 0))
    created = T - timedelta(days=1)
    stmt = insert(automations)
    with engine.begin() as conn:
        for start in range(0, n, LOAD_CHUNK):
            rows = []
            for i in range(start, min(n, start + LOAD_CHUNK)):
                cron, tz = pairs[i % len(pairs)]
                org_id, owner_id = owners[i % len(owners)]
                rows.append(
                    cron_automation_row(
                        org_id=org_id,
                        owner_id=owner_id,
                        name=f"bench {i}",
                        cron=cron,
                        timezone=tz,
                        next_run_at=T,
                        created_at=created,
                    )
                )
            conn.execute(stmt, rows)


class Store:
    """Two databases with the same data: `tick_url` and `floor_url`."""

    def __init__(self, kind: str, workdir: Path, pg_url: str | None) -> None:
        self.kind = kind
        self.workdir = workdir
        self.pg_url = pg_url
        self.server: Any = None
        self.names: list[str] = []
        if kind == "sqlite":
            self.tick_url = f"sqlite:///{workdir / 'tick.db'}"
            self.floor_url = f"sqlite:///{workdir / 'floor.db'}"
            return
        if not pg_url:
            from bench.kit.peers import (
                postgres as pg_server,  # a throwaway server, deleted at the end
            )

            self.server = pg_server.start()
            pg_url = self.server.url
        self.admin = create_engine(
            normalise_url(pg_url), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        suffix = uuid.uuid4().hex[:8]
        tick, floor = f"bench_tick_{suffix}", f"bench_floor_{suffix}"
        self.names = [tick, floor]
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{tick}"'))
        base = make_url(normalise_url(pg_url))
        self.tick_url = base.set(database=tick).render_as_string(hide_password=False)
        self.floor_url = base.set(database=floor).render_as_string(hide_password=False)

    def copy_tick_to_floor(self) -> None:
        if self.kind == "sqlite":
            for ext in ("", "-wal"):  # no -wal is left once every connection is closed
                if (self.workdir / f"tick.db{ext}").exists():
                    shutil.copyfile(self.workdir / f"tick.db{ext}", self.workdir / f"floor.db{ext}")
            return
        tick, floor = self.names
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{floor}" TEMPLATE "{tick}"'))

    def close(self) -> None:
        if self.kind == "postgresql":
            with self.admin.connect() as conn:
                for name in self.names:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.admin.dispose()
            if self.server is not None:
                from bench.kit.peers import postgres as pg_server

                pg_server.stop(self.server)


def analyze(engine: Engine) -> None:
    """Planner statistics, as a long-running store would have them."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def tuned_engine(url: str) -> Engine:
    """An engine as the service makes it: SQLite's cache and memory map from the settings
    (SKILLTICK_SQLITE_CACHE_MB, SKILLTICK_SQLITE_MMAP_MB), for the tick and the floor alike."""
    core = load_settings().core
    return make_engine(
        url, sqlite_cache_mb=core.sqlite_cache_mb, sqlite_mmap_mb=core.sqlite_mmap_mb
    )
