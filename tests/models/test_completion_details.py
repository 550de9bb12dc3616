"""Recording finished runs: what a completion's steps and recipients become (rows of their own,
or kept in the run row) reads back the same through run history, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from bench.kit.factories import make_automation, make_org
from models.store.automations import get_automation
from models.store.completions import RunCompletion, complete_runs
from models.store.run_history import get_run
from models.store.run_queue import ClaimedRun, claim_run, queue_run
from models.tables.runs import RunAction, RunTarget

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DONE = datetime(2026, 3, 2, 8, 0, 2, tzinfo=UTC)


def _claimed(engine: Engine, org_id: int, automation_id: int) -> ClaimedRun:
    run_id = queue_run(
        engine, automation_id=automation_id, org_id=org_id, triggered_by="manual", now=NOW
    )
    claimed = claim_run(engine, run_id=run_id, now=NOW, worker_id="w1", lease_seconds=300)
    assert claimed is not None
    return claimed


def _render() -> dict[str, Any]:
    return {
        "action_type": "render",
        "status": "completed",
        "started_at": DONE,
        "completed_at": DONE,
        "detail": {"skill": "noop", "mode": "deterministic"},
    }


def _deliver(sent: int) -> dict[str, Any]:
    return {
        "action_type": "deliver",
        "started_at": DONE,
        "completed_at": DONE,
        "status": "completed",
        "error": None,
        "detail": {"channel": "noop", "sent": sent, "skipped": 0, "failed": 0},
    }


def _recipient(n: int) -> dict[str, Any]:
    return {
        "target_type": "recipient",
        "target_ref": f"{n:016x}",
        "status": "completed",
        "error": None,
        "skipped_reason": None,
        "detail": {"channel": "noop"},
    }


def _stored(engine: Engine, run_id: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The detail rows written for a run: (position, action_type), (target_type, target_ref)."""
    with engine.connect() as conn:
        actions = conn.execute(
            select(col(RunAction.position), col(RunAction.action_type))
            .where(col(RunAction.run_id) == run_id)
            .order_by(col(RunAction.position))
        ).all()
        targets = conn.execute(
            select(col(RunTarget.target_type), col(RunTarget.target_ref))
            .where(col(RunTarget.run_id) == run_id)
            .order_by(col(RunTarget.id))
        ).all()
    return [tuple(a) for a in actions], [tuple(t) for t in targets]


def test_steps_and_recipients_read_back_alike_whether_kept_inline_or_as_rows(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW)
    aid = auto.id or 0
    few, many, other, render_only = (_claimed(engine, org.org_id, aid) for _ in range(4))

    def completion(run: ClaimedRun, actions: list[Any], targets: list[Any]) -> RunCompletion:
        return RunCompletion(
            run=run,
            status="completed",
            completed_at=DONE,
            duration_ms=3,
            summary={"noop": True},
            metrics={"delivered": len(targets)},
            actions=actions,
            targets=targets,
            outcome=None,
        )

    workflow_step = {
        "action_type": "send_email",
        "status": "completed",
        "started_at": DONE,
        "completed_at": DONE,
        "detail": {"template": "hello"},
    }
    report = complete_runs(
        engine,
        [
            completion(few, [_render(), _deliver(2)], [_recipient(1), _recipient(2)]),
            completion(many, [_render(), _deliver(5)], [_recipient(n) for n in range(5)]),
            completion(other, [_render(), workflow_step], []),
            completion(render_only, [_render()], []),
        ],
        worker_id="w1",
        now=DONE,
        pause_after=3,
        logged_quota=lambda _org: None,
    )
    assert (report.written, report.fenced) == (4, [])

    # a delivery to a few recipients writes no detail rows; one to more keeps its rows, and
    # its render step in the run row; a step of the skill's own keeps every step as a row
    assert _stored(engine, few.run_id) == ([], [])
    assert _stored(engine, many.run_id) == (
        [(1, "deliver")],
        [("recipient", f"{n:016x}") for n in range(5)],
    )
    assert _stored(engine, other.run_id) == ([(0, "render"), (1, "send_email")], [])
    assert _stored(engine, render_only.run_id) == ([], [])

    for run, recipients in ((few, 2), (many, 5)):
        detail = get_run(engine, org.org_id, run.run_id)
        assert [(a.position, a.action_type, a.status) for a in detail.actions] == [
            (0, "render", "completed"),
            (1, "deliver", "completed"),
        ]
        assert detail.actions[0].detail == {"skill": "noop", "mode": "deterministic"}
        assert detail.actions[1].detail["sent"] == recipients
        assert detail.actions[1].started_at == detail.actions[1].completed_at == DONE
        assert sorted(t.target_ref for t in detail.targets) == [
            f"{n:016x}" for n in range(1, 3) if recipients == 2
        ] + [f"{n:016x}" for n in range(5) if recipients == 5]
        assert detail.run.metrics == {"delivered": recipients}
        assert (detail.run.status, detail.run.duration_ms) == ("completed", 3)
    other_detail = get_run(engine, org.org_id, other.run_id)
    assert [a.action_type for a in other_detail.actions] == ["render", "send_email"]
    assert [a.action_type for a in get_run(engine, org.org_id, render_only.run_id).actions] == [
        "render"
    ]
    stored = get_automation(engine, org.org_id, aid)
    assert (stored.last_run_status, stored.status) == ("completed", "idle")


def test_a_rescued_run_replaces_the_partial_rows_of_the_worker_that_died(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW)
    run = _claimed(engine, org.org_id, auto.id or 0)
    with engine.begin() as conn:
        conn.execute(
            RunAction.__table__.insert(),  # type: ignore[attr-defined]
            [{"run_id": run.run_id, "position": 0, "action_type": "render", "status": "pending"}],
        )
        conn.execute(
            RunTarget.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "run_id": run.run_id,
                    "target_type": "recipient",
                    "target_ref": "0" * 16,
                    "status": "pending",
                }
            ],
        )
    run = run._replace(rescued=True)
    complete_runs(
        engine,
        [
            RunCompletion(
                run=run,
                status="completed",
                completed_at=DONE,
                duration_ms=1,
                actions=[_render(), _deliver(1)],
                targets=[_recipient(7)],
            )
        ],
        worker_id="w1",
        now=DONE,
        pause_after=3,
        logged_quota=lambda _org: None,
    )
    # the delivery is kept inline, and nothing of the first attempt is left
    assert _stored(engine, run.run_id) == ([], [])
    detail = get_run(engine, org.org_id, run.run_id)
    assert [a.action_type for a in detail.actions] == ["render", "deliver"]
    assert [t.target_ref for t in detail.targets] == [f"{7:016x}"]
