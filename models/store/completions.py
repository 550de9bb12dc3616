"""Recording finished runs: the run row, its per-target and per-action rows, retries, the
automation's failure count and pause-after-failures, owner notices and the monthly counters.

Completions are written in batches (one transaction per batch) so a tick of many runs costs a
few statements, not a few per run. Only runs still leased to the completing worker are written:
a worker whose lease was taken over (it stalled) must not overwrite the rescuer's result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NoReturn

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from models.store.audit import add_rows
from models.store.bulk import BulkWriter
from models.store.run_queue import ClaimedRun, automations, runs
from models.tables import table_of
from models.tables.audit import AuditEntry
from models.tables.deliveries import Delivery
from models.tables.runs import Notice, RunAction, RunCounter, RunTarget

targets_t = table_of(RunTarget)
actions_t = table_of(RunAction)
notices_t = table_of(Notice)
counters_t = table_of(RunCounter)
deliveries_t = table_of(Delivery)

#: occurrence outcomes that move the automation's failure count (manual and test runs do not)
Outcome = Literal["succeeded", "failed"] | None


@dataclass(slots=True)
class RunCompletion:
    run: ClaimedRun
    status: str  # completed | partial | failed | skipped
    completed_at: datetime
    duration_ms: int
    summary: dict[str, Any] = field(default_factory=dict)
    output_hash: str | None = None
    output: str | None = None
    output_expires_at: datetime | None = None
    error_code: str | None = None
    error_message: str | None = None
    skipped_reason: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    retry_at: datetime | None = None  # queue the next attempt of this occurrence then
    # the instant the data was read as of, when earlier than completed_at (a retry reads as
    # its first attempt did); "since the last success" starts there, so nothing in between
    # is skipped
    evaluated_at: datetime | None = None
    outcome: Outcome = None
    notice: str | None = None  # plain-words message for the owner
    # a system job's scheduled check that found nothing to do: it keeps no history row, does
    # not count toward the plan's logged runs and leaves the automation's last run as it was
    idle: bool = False
    # LLM usage, recorded per run as numbers
    llm_input_tokens: int = 0
    llm_output_tokens: int = 0
    llm_cache_read_tokens: int = 0
    llm_cache_write_tokens: int = 0


class SharedDocument(dict[str, Any]):
    """A JSON document that many runs of a batch store alike (the steps a group's runs share,
    the summary of a render they share), encoded once, in BulkWriter.document's form (`text`).
    Read only, so its text stays its own; what it holds is shared as a dict's shallow copies
    share it."""

    __slots__ = ("text",)

    def __init__(self, value: dict[str, Any]) -> None:
        super().__init__(value)
        self.text = BulkWriter.document(value)

    def __reduce__(self) -> tuple[Any, ...]:  # a copy is built whole, not item by item
        return (SharedDocument, (dict(self),))

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a shared document is read only")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only


@dataclass(slots=True)
class CompletionReport:
    written: int = 0
    fenced: list[int] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)
    unlogged: int = 0
    retries: int = 0


def _month(value: datetime) -> str:
    return value.strftime("%Y-%m")


def complete_runs(
    engine: Engine,
    completions: Sequence[RunCompletion],
    *,
    worker_id: str,
    now: datetime,
    pause_after: int,
    logged_quota: Callable[[int], int | None],
) -> CompletionReport:
    """Write a batch of finished runs in one transaction (see the module docstring)."""
    report = CompletionReport()
    if not completions:
        return report
    with engine.begin() as conn:
        ids = [c.run.run_id for c in completions]
        owned = set(
            conn.execute(
                select(runs.c.id).where(
                    runs.c.id.in_(ids),
                    runs.c.lease_owner == worker_id,
                    runs.c.status == "running",
                )
            ).scalars()
        )
        report.fenced = [i for i in ids if i not in owned]
        mine = [c for c in completions if c.run.run_id in owned]
        if not mine:
            return report
        counted = [c for c in mine if not c.idle]
        unlogged = apply_quota(conn, counted, now=now, logged_quota=logged_quota)
        report.unlogged = len(unlogged)
        writer = BulkWriter(conn)
        run_rows, automation_rows, detailed, rescued = _rows(writer, counted, unlogged)
        writer.executemany(RUN_UPDATE, run_rows, converted=True)
        _write_details(conn, detailed, rescued)
        dropped = unlogged | {c.run.run_id for c in mine if c.idle}
        if dropped:
            conn.execute(
                update(deliveries_t).where(deliveries_t.c.run_id.in_(dropped)).values(run_id=None)
            )
            conn.execute(delete(runs).where(runs.c.id.in_(dropped)))
        report.retries = _queue_retries(conn, mine, now=now)
        writer.executemany(AUTOMATION_UPDATE, automation_rows, converted=True)
        _release_idle(conn, [c for c in mine if c.idle])
        report.paused = _pause_failing(conn, mine, now=now, pause_after=pause_after)
        _write_notices(conn, mine, now=now, paused=set(report.paused))
        report.written = len(mine)
    return report


def apply_quota(
    conn: Connection,
    completions: Sequence[RunCompletion],
    *,
    now: datetime,
    logged_quota: Callable[[int], int | None],
) -> set[int]:
    """Count the month's runs per organisation; runs over the plan's logged-run quota keep no
    history row (they still ran). Returns the run ids to drop from history."""
    month = _month(now)
    by_org: dict[int, list[RunCompletion]] = {}
    for c in completions:
        by_org.setdefault(c.run.org_id, []).append(c)
    existing = {
        row.org_id: row.logged
        for row in conn.execute(
            select(counters_t.c.org_id, counters_t.c.logged).where(
                counters_t.c.org_id.in_(list(by_org)), counters_t.c.month == month
            )
        )
    }
    dropped: set[int] = set()
    upserts: list[tuple[int, str, int, int]] = []
    for org_id, items in sorted(by_org.items()):
        quota = logged_quota(org_id)
        already = existing.get(org_id, 0)
        room = len(items) if quota is None else max(0, quota - already)
        keep, drop = items[:room], items[room:]
        dropped.update(c.run.run_id for c in drop)
        upserts.append((org_id, month, len(keep), len(drop)))
    # one statement for the batch; rows in org id order, so concurrent workers lock the shared
    # counter rows in one order (no deadlock)
    BulkWriter(conn).executemany(
        "INSERT INTO run_counters (org_id, month, logged, unlogged) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (org_id, month) DO UPDATE SET"
        " logged = run_counters.logged + excluded.logged,"
        " unlogged = run_counters.unlogged + excluded.unlogged",
        upserts,
    )
    return dropped


RUN_COLUMNS = (
    "status",
    "completed_at",
    "duration_ms",
    "output_summary",
    "output_hash",
    "output",
    "output_expires_at",
    "error_code",
    "error_message",
    "skipped_reason",
    "metrics",
    "llm_input_tokens",
    "llm_output_tokens",
    "llm_cache_read_tokens",
    "llm_cache_write_tokens",
)


RUN_UPDATE = (
    "UPDATE automation_runs SET "
    + ", ".join(f"{c} = ?" for c in RUN_COLUMNS)
    + ", lease_owner = NULL, lease_expires_at = NULL WHERE id = ?"
)
AUTOMATION_UPDATE = (
    "UPDATE automations SET last_run_at = ?, last_run_status = ?,"
    " last_success_at = CASE WHEN ? = 1 THEN ? ELSE last_success_at END,"
    " status = CASE WHEN status = 'running' AND NOT EXISTS (SELECT 1 FROM automation_runs r"
    " WHERE r.automation_id = automations.id AND r.status = 'running') THEN 'idle'"
    " ELSE status END,"
    " consecutive_failures = CASE ? WHEN 'succeeded' THEN 0"
    " WHEN 'failed' THEN consecutive_failures + 1 ELSE consecutive_failures END"
    " WHERE id = ?"
)
_SUCCEEDED = frozenset({"completed", "partial"})


def _rows(
    writer: BulkWriter, completions: Sequence[RunCompletion], unlogged: set[int]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[RunCompletion], list[int]]:
    """In one pass over the counted runs: the run rows (those logged, in RUN_UPDATE's order),
    the automation rows (all but tests, in AUTOMATION_UPDATE's order), the logged runs that
    still have detail rows once the inline ones are folded in, and the logged runs that were
    rescued (the dead worker's partial detail rows go)."""
    at, doc = writer.instant, writer.document
    run_rows: list[tuple[Any, ...]] = []
    automation_rows: list[tuple[Any, ...]] = []
    detailed: list[RunCompletion] = []
    rescued: list[int] = []
    for c in completions:
        run, status = c.run, c.status
        completed = at(c.completed_at)
        if run.triggered_by != "test":
            automation_rows.append(
                (
                    completed,
                    status,
                    int(status in _SUCCEEDED),
                    completed if c.evaluated_at is None else at(c.evaluated_at),
                    c.outcome or "none",
                    run.automation_id,
                )
            )
        run_id = run.run_id
        if run_id in unlogged:
            continue
        if run.rescued:
            rescued.append(run_id)
        if c.actions:
            _inline(c)
        if c.targets or c.actions:
            detailed.append(c)
        run_rows.append((*run_values(c, completed, at, doc), run_id))
    return run_rows, automation_rows, detailed, rescued


def run_values(
    c: RunCompletion,
    completed: Any,
    at: Callable[[datetime | None], Any],
    doc: Callable[[Any], str],
) -> tuple[Any, ...]:
    """A finished run's values in RUN_COLUMNS' order, in storage form (`completed`: its
    completed_at already so; `at` and `doc`: a BulkWriter's instant and document)."""
    message, summary, metrics = c.error_message, c.summary, c.metrics
    return (
        c.status,
        completed,
        c.duration_ms,
        summary.text if type(summary) is SharedDocument else doc(summary),
        c.output_hash,
        c.output,
        at(c.output_expires_at),
        c.error_code,
        message[:500] if message else None,
        c.skipped_reason,
        metrics.text if type(metrics) is SharedDocument else doc(metrics),
        c.llm_input_tokens,
        c.llm_output_tokens,
        c.llm_cache_read_tokens,
        c.llm_cache_write_tokens,
    )


def recordable_at_claim(c: RunCompletion) -> bool:
    """Whether a run's claim may record it as it inserts it (models.store.occurrences): a first
    attempt that completed, queues nothing, tells nobody, and whose steps all fit in its row
    (folded in here, as recording it would). Anything else is recorded by complete_runs."""
    run = c.run
    if (
        c.status != "completed"
        or c.outcome == "failed"
        or c.retry_at is not None
        or c.notice
        or c.idle
        or c.evaluated_at is not None
        or c.error_code
        or c.skipped_reason
        or run.attempt != 1
        or run.rescued
    ):
        return False
    if c.actions:
        _inline(c)
    return not c.actions and not c.targets


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


def _inline(c: RunCompletion) -> None:
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


def _write_details(
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


def _queue_retries(conn: Connection, completions: Sequence[RunCompletion], *, now: datetime) -> int:
    retry_rows = [
        {
            "org_id": c.run.org_id,
            "automation_id": c.run.automation_id,
            "triggered_by": c.run.triggered_by,
            "requested_by": c.run.requested_by,
            "scheduled_for": c.run.scheduled_for,
            "attempt": c.run.attempt + 1,
            "status": "pending",
            "not_before": c.retry_at,
            "trigger_data": c.run.trigger_data,
            "created_at": now,
            "output_summary": {},
            "metrics": {},
            "missed_count": 0,
            "retry_count": c.run.attempt,
        }
        for c in completions
        if c.retry_at is not None
    ]
    if retry_rows:
        conn.execute(insert(runs), retry_rows)
    return len(retry_rows)


def _release_idle(conn: Connection, completions: Sequence[RunCompletion]) -> None:
    """An idle check only ends the automation's running state; its last run stays."""
    if not completions:
        return
    BulkWriter(conn).executemany(
        "UPDATE automations SET"
        " status = CASE WHEN status = 'running' AND NOT EXISTS (SELECT 1 FROM automation_runs r"
        " WHERE r.automation_id = automations.id AND r.status = 'running') THEN 'idle'"
        " ELSE status END"
        " WHERE id = ?",
        [(c.run.automation_id,) for c in completions],
    )


def _pause_failing(
    conn: Connection, completions: Sequence[RunCompletion], *, now: datetime, pause_after: int
) -> list[int]:
    failed_ids = {c.run.automation_id for c in completions if c.outcome == "failed"}
    if not failed_ids:
        return []
    a = automations
    pausing = conn.execute(
        select(a.c.id, a.c.org_id, a.c.owner_id).where(
            a.c.id.in_(failed_ids),
            a.c.enabled.is_(True),
            a.c.consecutive_failures >= pause_after,
        )
    ).all()
    to_pause = [row.id for row in pausing]
    if to_pause:
        conn.execute(
            update(a)
            .where(a.c.id.in_(to_pause))
            .values(
                enabled=False,
                status="failed",
                paused_reason=f"paused after {pause_after} failed runs in a row",
                updated_at=now,
            )
        )
        add_rows(conn, (_system_pause(row, now, pause_after) for row in pausing))
    return to_pause


def _system_pause(row: Any, now: datetime, failures: int) -> AuditEntry:
    return AuditEntry(
        org_id=row.org_id,
        actor_user_id=None,
        action="pause",
        automation_id=row.id,
        owner_user_id=row.owner_id,
        at=now,
        changes={"enabled": {"old": True, "new": False}, "failed_in_a_row": failures},
    )


def _write_notices(
    conn: Connection, completions: Sequence[RunCompletion], *, now: datetime, paused: set[int]
) -> None:
    rows = []
    noticed: Counter[int] = Counter()
    for c in completions:
        if not c.notice:
            continue
        kind = "paused" if c.run.automation_id in paused else "failed"
        noticed[c.run.automation_id] += 1
        rows.append(
            {
                "org_id": c.run.org_id,
                "automation_id": c.run.automation_id,
                "kind": kind,
                "text": c.notice[:1000],
                "created_at": now,
                "sent_at": None,
            }
        )
    if rows:
        conn.execute(insert(notices_t), rows)
