"""A finished run's steps and recipients: folded into its own row when they are few and plain
(inline_steps), written as run_targets and run_actions rows otherwise (write_details)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.engine import Connection

from models.store.bulk import BulkWriter
from models.tables import table_of
from models.tables.runs import RunAction, RunTarget

if TYPE_CHECKING:
    from models.store.completions import RunCompletion

targets_t = table_of(RunTarget)
actions_t = table_of(RunAction)

TARGET_COLUMNS = (
    "run_id",
    "target_type",
    "target_ref",
    "status",
    "error",
    "skipped_reason",
    "detail",
)
ACTION_COLUMNS = (
    "run_id",
    "position",
    "action_type",
    "status",
    "error",
    "skipped_reason",
    "started_at",
    "completed_at",
    "detail",
)


#: where a run's render step is kept when it is recorded in the run row (models.store.run_history
#: turns it back into the render action for readers)
INLINE_RENDER = "render"
#: where a run's delivery step and the recipients it went to are kept when they are recorded in
#: the run row, along with its render step
INLINE_DELIVERY = "delivery"
#: a delivery to more recipients than this keeps its rows
INLINE_RECIPIENTS = 4


def inline_steps(c: RunCompletion) -> None:
    """A run whose skill planned no actions of its own (only its render, then maybe the
    delivery) keeps the render step in its metrics instead of a row of its own; if its only
    other detail is that delivery step and the few recipients it went to (a report to its
    owner, a digest to a few people), those are kept there too. The steps' instants are the
    run's completion time (or none) and their details are small, so nothing is lost, and the
    commonest run writes no detail rows. models.store.run_history turns them back into the
    rows they stand for. The completion's metrics are extended in place."""
    actions = c.actions
    if len(actions) > 2:
        return
    render, at = actions[0], c.completed_at
    metrics = c.metrics
    get = render.get
    if (
        render["action_type"] != "render"
        or get("status") != "completed"
        or get("started_at") != at
        or get("completed_at") != at
        or get("error")
        or get("skipped_reason")
        or INLINE_RENDER in metrics
        or INLINE_DELIVERY in metrics
    ):
        return
    if len(actions) == 1:
        metrics[INLINE_RENDER] = dict(get("detail") or {})
        c.actions = []
        return
    step, targets = actions[1], c.targets
    if step["action_type"] != "deliver":
        return
    metrics[INLINE_RENDER] = dict(get("detail") or {})
    get = step.get
    started = get("started_at")
    if (
        len(targets) > INLINE_RECIPIENTS
        or started not in (None, at)
        or get("completed_at") != started
        or any(t["target_type"] != "recipient" for t in targets)
    ):
        c.actions = [{**step, "position": 1}]
        return
    metrics[INLINE_DELIVERY] = {
        "position": 1,
        "status": get("status", "pending"),
        "error": get("error"),
        "skipped_reason": get("skipped_reason"),
        "timed": started is not None,
        "detail": get("detail") or {},
        "recipients": [
            {
                "ref": t["target_ref"],
                "status": t.get("status", "pending"),
                "error": t.get("error"),
                "skipped_reason": t.get("skipped_reason"),
                "detail": t.get("detail") or {},
            }
            for t in targets
        ],
    }
    c.actions, c.targets = [], []


def write_details(
    conn: Connection, completions: Sequence[RunCompletion], rescued: Sequence[int]
) -> None:
    """The target and action rows of `completions`; `rescued`: runs whose dead worker's
    partial detail rows are replaced."""
    target_rows = [
        (
            c.run.run_id,
            t["target_type"],
            t["target_ref"],
            t.get("status", "pending"),
            t.get("error"),
            t.get("skipped_reason"),
            t.get("detail") or {},
        )
        for c in completions
        for t in c.targets
    ]
    action_rows = [
        (
            c.run.run_id,
            a.get("position", i),
            a["action_type"],
            a.get("status", "pending"),
            a.get("error"),
            a.get("skipped_reason"),
            a.get("started_at"),
            a.get("completed_at"),
            a.get("detail") or {},
        )
        for c in completions
        for i, a in enumerate(c.actions)
    ]
    if rescued:
        conn.execute(delete(targets_t).where(targets_t.c.run_id.in_(rescued)))
        conn.execute(delete(actions_t).where(actions_t.c.run_id.in_(rescued)))
    writer = BulkWriter(conn)
    writer.insert("run_targets", TARGET_COLUMNS, target_rows)
    writer.insert("run_actions", ACTION_COLUMNS, action_rows)
