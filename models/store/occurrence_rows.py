"""Writing a claim batch: the occurrences' run rows and the automations' next instants.

A batch's run rows are equal but for their automation's ids (and an automation's running run
is the one claimed; runs executed before their claim mostly went alike, and their done rows are
equal too): each set of equal rows with many members is built by the database from the
automations' own rows, one INSERT ... SELECT, and automations advancing to the same next instant
move with one UPDATE. Python hands over the ids as one parameter (SQLite: a JSON array read by
json_each; PostgreSQL: an array), so the statements' text never depends on the data and they
stay prepared. Sets too small for a statement of their own go into one multi-row VALUES insert
and one executemany.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from models.store.bulk import BulkWriter
from models.store.completions import RUN_COLUMNS, RunCompletion, run_values
from models.store.occurrence_plans import OccurrencePlan, PlannedRun
from models.store.run_queue import ClaimedRun, lag_ms

#: equal rows from which they are written by a statement of their own
GROUPED_FROM = 8

#: the run row an occurrence claim inserts: these columns, then _CONSTANTS' values
_COLUMNS = (
    "org_id",
    "automation_id",
    "triggered_by",
    "scheduled_for",
    "attempt",
    "status",
    "not_before",
    "trigger_data",
    "missed_count",
    "skipped_reason",
    "started_at",
    "completed_at",
    "lag_ms",
    "lease_owner",
    "lease_expires_at",
    "created_at",
    "output_summary",
    "metrics",
    "retry_count",
    "chain_depth",
    "llm_input_tokens",
    "llm_output_tokens",
    "llm_cache_read_tokens",
    "llm_cache_write_tokens",
)
_CONSTANTS: tuple[Any, ...] = ({}, {}, 0, 0, 0, 0, 0, 0)
_CONSTANT_SQL = "'{}', '{}', 0, 0, 0, 0, 0, 0"
# the values between the automation's ids and the constants, one parameter each
_SHAPED = len(_COLUMNS) - 2 - len(_CONSTANTS)
_ADVANCE = "UPDATE automations SET next_run_at = ?, status = ?, lease_owner = ?, updated_at = ?"
#: the run row of an occurrence executed before its claim: its automation's ids, the values
#: its planned run shares with the others, RUN_COLUMNS, then _DONE_LITERALS
_DONE_SHARED = (
    "triggered_by",
    "scheduled_for",
    "not_before",
    "missed_count",
    "started_at",
    "lag_ms",
    "created_at",
)
_DONE_COLUMNS = ("org_id", "automation_id", *_DONE_SHARED, *RUN_COLUMNS)
#: what every such row holds: a first attempt of its occurrence, started by no event
_DONE_LITERALS = (
    ("attempt", "1"),
    ("trigger_data", "'{}'"),
    ("retry_count", "0"),
    ("chain_depth", "0"),
)
#: its automation, advanced and given the outcome in one write: what the claim and then the
#: completion (models.store.completions.AUTOMATION_UPDATE) would leave, the automation running
#: nothing else
_FINISH = (
    "UPDATE automations SET next_run_at = ?, status = 'idle', lease_owner = ?, updated_at = ?,"
    " last_run_at = ?, last_run_status = ?, last_success_at = ?,"
    " consecutive_failures = CASE ? WHEN 'succeeded' THEN 0 ELSE consecutive_failures END"
)


class OccurrenceWriter:
    """Collects a claim batch's plans (add), then writes them (write). Members are the rows
    the claim selected, starting with the automation's id and organisation id."""

    def __init__(
        self,
        conn: Connection | None,
        *,
        now: datetime,
        worker_id: str,
        lease_until: datetime,
        sqlite: bool | None = None,
    ) -> None:
        """`conn` may be given later (bind), once the plans are added and the done rows
        built (done_rows); then `sqlite` says which driver the rows are for."""
        self.bulk = BulkWriter(conn, sqlite=sqlite)
        self.now, self.worker_id, self.lease_until = now, worker_id, lease_until
        # (an occurrence's run, triggered_by) -> the automations that run it
        self._runs: dict[tuple[PlannedRun, str], list[Sequence[Any]]] = {}
        # (next_run_at, status) -> the automations advancing to it
        self._advances: dict[tuple[datetime | None, str], list[Sequence[Any]]] = {}
        ids = "IN (SELECT value FROM json_each(?))" if self.bulk.sqlite else "= ANY(?)"
        shaped = ", ".join(["?"] * _SHAPED)
        self._insert = self.bulk.sql(
            f"INSERT INTO automation_runs ({', '.join(_COLUMNS)})"
            f" SELECT org_id, id, {shaped}, {_CONSTANT_SQL} FROM automations WHERE id {ids}"
        )
        self._update = self.bulk.sql(f"{_ADVANCE} WHERE id {ids}")
        self._finish = self.bulk.sql(f"{_FINISH} WHERE id {ids}")
        done_columns = ", ".join((*_DONE_COLUMNS, *(name for name, _ in _DONE_LITERALS)))
        done_values = ", ".join(["?"] * (len(_DONE_COLUMNS) - 2) + [v for _, v in _DONE_LITERALS])
        self._insert_done = self.bulk.sql(
            f"INSERT INTO automation_runs ({done_columns})"
            f" SELECT org_id, id, {done_values} FROM automations WHERE id {ids}"
        )
        # (next_run_at, completed_at, status, outcome) -> the automations whose run is done
        self._finished: dict[tuple[Any, ...], list[Sequence[Any]]] = {}
        # the values a done run shares with the others of its planned run, and its completion's
        # (storage form) -> (its automation, its provisional run id) for each done run so
        # recorded: runs that went alike have equal rows but for their automation's ids
        self._done: dict[tuple[tuple[Any, ...], tuple[Any, ...]], list[tuple[Any, int]]] = {}
        self._shared: dict[tuple[PlannedRun, str], tuple[Any, ...]] = {}

    def add(
        self, members: list[Sequence[Any]], plan: OccurrencePlan, triggered_by: str, status: str
    ) -> None:
        """`members` (due alike, now in state `status`) run `plan`."""
        for planned in plan.runs:
            same = self._runs.get((planned, triggered_by))
            if same is None:
                self._runs[(planned, triggered_by)] = list(members)
            else:
                same.extend(members)
            if planned.status == "running":
                status = "running"
        same = self._advances.get((plan.next_run_at, status))
        if same is None:
            self._advances[(plan.next_run_at, status)] = list(members)
        else:
            same.extend(members)

    def add_done(
        self,
        recorded: list[tuple[Sequence[Any], RunCompletion]],
        plan: OccurrencePlan,
        triggered_by: str,
    ) -> None:
        """Automations whose run in `plan` is already done, with its completion: their other
        planned rows (skipped ones) are written as usual; the run is inserted complete."""
        members = [row for row, _ in recorded]
        planned = None
        for p in plan.runs:
            if p.status == "running":
                planned = p
                continue
            same = self._runs.get((p, triggered_by))
            if same is None:
                self._runs[(p, triggered_by)] = list(members)
            else:
                same.extend(members)
        assert planned is not None, "a quick run is its plan's running run"
        shared = self._shared.get((planned, triggered_by))
        if shared is None:
            shared = self._shared[(planned, triggered_by)] = self._done_shared(
                planned, triggered_by
            )
        done, finished = self._done, self._finished
        instant, doc = self.bulk.instant, self.bulk.document
        for row, c in recorded:
            key = (plan.next_run_at, c.completed_at, c.status, c.outcome)
            same = finished.get(key)
            if same is None:
                finished[key] = [row]
            else:
                same.append(row)
            values = (shared, run_values(c, instant(c.completed_at), instant, doc))
            alike = done.get(values)
            if alike is None:
                done[values] = [(row, c.run.run_id)]
            else:
                alike.append((row, c.run.run_id))

    def bind(self, conn: Connection) -> None:
        """The connection to write with."""
        self.bulk.conn = conn

    def running(self) -> Iterator[list[Sequence[Any]]]:
        """The automations of each run claimed to execute now."""
        return (m for (planned, _), m in self._runs.items() if planned.status == "running")

    def write(self, unlogged: set[int] | frozenset[int] = frozenset()) -> list[ClaimedRun]:
        """Insert the run rows and advance the automations; returns the runs claimed. Done
        runs whose (provisional) ids are in `unlogged` keep no history row."""
        bulk, now = self.bulk, self.now
        run_ids: dict[int, int] = {}
        small: dict[bool, list[tuple[Any, ...]]] = {True: [], False: []}
        for (planned, triggered_by), members in self._runs.items():
            running = planned.status == "running"
            values = bulk.row(self._values(planned, triggered_by))
            if len(members) >= GROUPED_FROM:
                ids = self._ids([m[0] for m in members])
                sql = self._insert + (" RETURNING automation_id, id" if running else "")
                result = bulk.conn.exec_driver_sql(sql, (*values, ids))
                if running:
                    run_ids.update(result.cursor.fetchall())
            else:
                values += _CONSTANTS
                small[running].extend((m[1], m[0], *values) for m in members)
        for running, rows in small.items():
            returning = ("automation_id", "id") if running else ()
            inserted = bulk.insert("automation_runs", _COLUMNS, rows, returning=returning)
            run_ids.update(inserted)
        one_by_one: list[tuple[Any, ...]] = []
        owner, at = self.worker_id, bulk.instant(now)
        for (next_run_at, status), members in self._advances.items():
            when = bulk.instant(next_run_at)
            if len(members) >= GROUPED_FROM:
                ids = self._ids([m[0] for m in members])
                bulk.conn.exec_driver_sql(self._update, (when, status, owner, at, ids))
            else:
                one_by_one.extend((when, status, owner, at, m[0]) for m in members)
        bulk.executemany(f"{_ADVANCE} WHERE id = ?", one_by_one, converted=True)
        if self._finished:
            self._write_done(unlogged)
        return [
            ClaimedRun(
                run_ids[m[0]],
                m[0],
                m[1],
                triggered_by,
                planned.scheduled_for,
                1,
                now,
                missed_count=planned.missed_count,
            )
            for (planned, triggered_by), members in self._runs.items()
            if planned.status == "running"
            for m in members
        ]

    def _write_done(self, unlogged: set[int] | frozenset[int]) -> None:
        bulk, now = self.bulk, self.now
        owner, at = self.worker_id, bulk.instant(now)
        one_by_one: list[tuple[Any, ...]] = []
        for (next_run_at, completed_at, status, outcome), members in self._finished.items():
            completed = bulk.instant(completed_at)
            values = (
                bulk.instant(next_run_at),
                owner,
                at,
                completed,
                status,
                completed,
                outcome or "none",
            )
            if len(members) >= GROUPED_FROM:
                ids = self._ids([m[0] for m in members])
                bulk.conn.exec_driver_sql(self._finish, (*values, ids))
            else:
                one_by_one.extend((*values, m[0]) for m in members)
        bulk.executemany(f"{_FINISH} WHERE id = ?", one_by_one, converted=True)
        rows: list[tuple[Any, ...]] = []
        for (shared, values), alike in self._done.items():
            if unlogged:
                alike = [m for m in alike if m[1] not in unlogged]
            if len(alike) >= GROUPED_FROM:
                ids = self._ids([row[0] for row, _ in alike])
                bulk.conn.exec_driver_sql(self._insert_done, (*shared, *values, ids))
            else:
                rows.extend((row[1], row[0], *shared, *values) for row, _ in alike)
        bulk.insert("automation_runs", _DONE_COLUMNS, rows, converted=True, literals=_DONE_LITERALS)

    def _done_shared(self, planned: PlannedRun, triggered_by: str) -> tuple[Any, ...]:
        """The values of _DONE_SHARED, in storage form, for the done runs of `planned`."""
        instant, scheduled = self.bulk.instant, planned.scheduled_for
        at = instant(self.now)
        return (
            triggered_by,
            instant(scheduled),
            instant(planned.not_before or scheduled),
            planned.missed_count,
            at,
            lag_ms(self.now, scheduled),
            at,
        )

    def _values(self, planned: PlannedRun, triggered_by: str) -> tuple[Any, ...]:
        """A run row's values between its automation's ids and the constants."""
        running, now = planned.status == "running", self.now
        return (
            triggered_by,
            planned.scheduled_for,
            1,
            planned.status,
            planned.not_before or planned.scheduled_for,
            {},
            planned.missed_count,
            planned.skipped_reason,
            now if running else None,
            now if planned.status == "skipped" else None,
            lag_ms(now, planned.scheduled_for) if running else None,
            self.worker_id if running else None,
            self.lease_until if running else None,
            now,
        )

    def _ids(self, ids: list[int]) -> Any:
        return f"[{','.join(map(str, ids))}]" if self.bulk.sqlite else ids
