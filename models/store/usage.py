"""What an organisation used: its runs counted this month against the plan's logged-run quota
(the monthly counters; a preview in the conversation counts there as a test run does), and what its runs used of an LLM over a period as the run rows record
it (how many used one and their tokens, how many ran without). No price is stored anywhere:
the tokens are what is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, text
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.store.audit import add_rows
from models.tables.audit import AuditEntry
from models.tables.runs import AutomationRun, RunCounter

# runs that ran: queued, running and skipped ones used nothing
_RAN = ("completed", "partial", "failed")


@dataclass(frozen=True, slots=True)
class LlmUsage:
    """Runs of a period with and without LLM tokens, and the tokens of those with."""

    with_llm: int = 0
    without_llm: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0


def llm_usage(
    engine: Engine,
    org_id: int,
    *,
    automation_ids: list[int] | None,
    start: datetime,
    end: datetime,
) -> LlmUsage:
    """The runs scheduled in [start, end) that ran, test runs included (they use tokens too);
    `automation_ids` None: every automation of the organisation."""
    used = (col(AutomationRun.llm_input_tokens) + col(AutomationRun.llm_output_tokens)) > 0
    stmt = (
        sa_select(
            func.count(),
            func.sum(case((used, 1), else_=0)),
            func.sum(col(AutomationRun.llm_input_tokens)),
            func.sum(col(AutomationRun.llm_output_tokens)),
            func.sum(col(AutomationRun.llm_cache_read_tokens)),
            func.sum(col(AutomationRun.llm_cache_write_tokens)),
        )
        .select_from(AutomationRun)
        .where(
            col(AutomationRun.org_id) == org_id,
            col(AutomationRun.status).in_(_RAN),
            col(AutomationRun.scheduled_for) >= start,
            col(AutomationRun.scheduled_for) < end,
        )
    )
    if automation_ids is not None:
        stmt = stmt.where(col(AutomationRun.automation_id).in_(automation_ids))
    with read_only(engine).connect() as conn:
        row = conn.execute(stmt).one()
    ran, with_llm, tokens_in, tokens_out, read, wrote = (int(v or 0) for v in row)
    return LlmUsage(with_llm, ran - with_llm, tokens_in, tokens_out, read, wrote)


def month_runs(engine: Engine, org_id: int, month: str) -> tuple[int, int]:
    """The organisation's runs counted in `month` ("2026-12", UTC): (kept in the history,
    beyond the plan's quota and so not kept)."""
    with Session(read_only(engine)) as s:
        row = s.exec(
            select(RunCounter.logged, RunCounter.unlogged).where(
                RunCounter.org_id == org_id, RunCounter.month == month
            )
        ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def count_preview(
    engine: Engine, org_id: int, *, now: datetime, logged_quota: int | None, audit: AuditEntry
) -> None:
    """Count one preview run in the month's counters as a test run is counted (beyond the
    plan's logged-run quota it is counted as not kept), with its audit entry, in one
    transaction."""
    month = now.strftime("%Y-%m")
    with engine.begin() as conn:
        logged = conn.execute(
            select(RunCounter.logged).where(RunCounter.org_id == org_id, RunCounter.month == month)
        ).scalar()
        kept = int(logged_quota is None or int(logged or 0) < logged_quota)
        conn.execute(
            text(
                "INSERT INTO run_counters (org_id, month, logged, unlogged)"
                " VALUES (:org, :month, :kept, :dropped) ON CONFLICT (org_id, month) DO UPDATE SET"
                " logged = run_counters.logged + excluded.logged,"
                " unlogged = run_counters.unlogged + excluded.unlogged"
            ),
            {"org": org_id, "month": month, "kept": kept, "dropped": 1 - kept},
        )
        add_rows(conn, [audit])
