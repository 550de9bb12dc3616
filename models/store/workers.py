"""Worker heartbeats: what each worker last did, for /status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.engine import read_only
from models.tables.runs import WorkerBeat


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def record_beat(engine: Engine, worker_id: str, now: datetime, summary: dict[str, Any]) -> None:

    with _session(engine) as s:
        beat = s.get(WorkerBeat, worker_id) or WorkerBeat(worker_id=worker_id, last_tick_at=now)
        beat.last_tick_at = now
        beat.last_tick_summary = summary
        s.add(beat)
        s.commit()


def recent_summaries(engine: Engine, since: datetime) -> list[dict[str, Any]]:
    """The last tick summaries of the workers that ticked at or after `since`."""
    with _session(read_only(engine)) as s:
        beats = s.exec(select(WorkerBeat).where(WorkerBeat.last_tick_at >= since)).all()
        return [dict(b.last_tick_summary or {}) for b in beats]
