"""What the quick-run tests share: the instants they tick at, a test skill's spec, a worker that
runs quick runs with the given skills and channels, a record of the claim's reads of the due
automations, the noop channel as one whose runs go the leased way, and what they compare: a run
as its history shows it and its automation's state after it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from models.clock import utc
from models.settings import load_settings
from models.store.run_history import get_run
from models.tables.automations import Automation
from skills.base import Skill, SkillSpec
from skills.registry import SkillRegistry
from tests.worker.tick.tick_support import at, reload
from worker.delivery.base import Channel
from worker.delivery.channels import ChannelRegistry
from worker.delivery.noop import NoopChannel
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NINE = at("2026-03-02T09:00:00Z")
NEXT_NINE = at("2026-03-03T09:00:00Z")


def skill_spec(name: str, description: str) -> SkillSpec:
    """The spec of a deterministic test skill run on a schedule, delivering to noop."""
    return SkillSpec(
        name=name,
        description=description,
        mode="deterministic",
        params={},
        triggers=("cron",),
        default_output="noop",
        path=None,
    )


def quick_worker(
    engine: Engine, tmp_path: Path, skills: Sequence[Skill], **channels: Channel
) -> Worker:
    """A worker that runs quick runs (PostgreSQL leaves them off unless asked), with only these
    skills and these channels besides the built-in ones, as worker "w1"."""
    settings = load_settings(smtp_host=None)
    registry = SkillRegistry(tmp_path, gatherers={}, python_skills=list(skills))
    outputs = ChannelRegistry(engine, settings)
    for name, channel in channels.items():
        outputs.register(name, channel)
    worker = Worker(engine, settings, registry=registry, channels=outputs)
    worker.quick_runs = True
    worker.worker_id = "w1"
    return worker


def due_reads(engine: Engine) -> list[str]:
    """The claim's reads of the due automations from now on (their statement, as run)."""
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "ORDER BY automations.next_run_at, automations.id" in statement:
            seen.append(statement)

    return seen


class LeasedNoop(NoopChannel):
    """The noop channel as a channel that does not say its sends stay in the transaction: its
    runs go the leased way (claimed as a row, executed, then completed)."""

    in_transaction = False


def comparable_run(engine: Engine, auto: Automation, run_id: int) -> dict[str, Any]:
    """A run as the history shows it (its row, steps and recipients), without what differs from
    one occurrence to the next (ids and instants), instants checked against the run's own."""
    detail = get_run(engine, auto.org_id, run_id)
    run = detail.run
    assert run.completed_at is not None and run.started_at is not None
    assert run.output_expires_at is not None
    for step in detail.actions:
        assert step.started_at in (None, run.completed_at)
    instants = {"id", "scheduled_for", "not_before", "started_at", "completed_at", "created_at"}
    measured = {"output_expires_at", "duration_ms"}
    row = {k: v for k, v in run.model_dump().items() if k not in instants | measured}
    return {
        "run": row,
        "kept_for_hours": (utc(run.output_expires_at) - utc(run.completed_at)).total_seconds()
        / 3600,
        "actions": [
            {k: v for k, v in a.model_dump().items() if k not in {"id", "run_id"} | instants}
            for a in detail.actions
        ],
        "targets": [
            {k: v for k, v in t.model_dump().items() if k not in {"id", "run_id"}}
            for t in detail.targets
        ],
    }


def automation_state(engine: Engine, auto: Automation, run_id: int) -> dict[str, Any]:
    stored = reload(engine, auto)
    run = get_run(engine, auto.org_id, run_id).run
    return {
        "status": stored.status,
        "last_run_status": stored.last_run_status,
        "last_run_at_is_the_run": stored.last_run_at == run.completed_at,
        "last_success_at_is_the_run": stored.last_success_at == run.completed_at,
        "consecutive_failures": stored.consecutive_failures,
        "lease_owner": stored.lease_owner,
        "enabled": stored.enabled,
    }
