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
from operator import attrgetter
from typing import Any, Literal, NoReturn

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine

from models.store.bulk import BulkWriter
from models.store.completion_effects import (
    pause_failing,
    queue_retries,
    release_idle,
    write_notices,
)
from models.store.run_details import inline_steps, write_details
from models.store.run_queue import ClaimedRun, runs
from models.tables import table_of
from models.tables.deliveries import Delivery
from models.tables.runs import RunCounter

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
    notice_kind: str = "failed"  # or "skipped": every run of it is skipped, and why
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


_org_id = attrgetter("run.org_id")


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
        write_details(conn, detailed, rescued)
        dropped = unlogged | {c.run.run_id for c in mine if c.idle}
        if dropped:
            conn.execute(
                update(deliveries_t).where(deliveries_t.c.run_id.in_(dropped)).values(run_id=None)
            )
            conn.execute(delete(runs).where(runs.c.id.in_(dropped)))
        report.retries = queue_retries(conn, mine, now=now)
        writer.executemany(AUTOMATION_UPDATE, automation_rows, converted=True)
        release_idle(conn, [c for c in mine if c.idle])
        report.paused = pause_failing(conn, mine, now=now, pause_after=pause_after)
        write_notices(conn, mine, now=now, paused=set(report.paused))
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
    # a batch's runs belong to a few organisations: counted without a Python step per run
    counts = Counter(map(_org_id, completions))
    existing = {
        row.org_id: row.logged
        for row in conn.execute(
            select(counters_t.c.org_id, counters_t.c.logged).where(
                counters_t.c.org_id.in_(list(counts)), counters_t.c.month == month
            )
        )
    }
    dropped: set[int] = set()
    upserts: list[tuple[int, str, int, int]] = []
    for org_id, count in sorted(counts.items()):
        quota = logged_quota(org_id)
        room = count if quota is None else max(0, quota - existing.get(org_id, 0))
        if room < count:  # the organisation's runs beyond its room, in their order
            items = [c for c in completions if c.run.org_id == org_id]
            dropped.update(c.run.run_id for c in items[room:])
        upserts.append((org_id, month, min(room, count), max(0, count - room)))
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
            inline_steps(c)
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
        inline_steps(c)
    return not c.actions and not c.targets
