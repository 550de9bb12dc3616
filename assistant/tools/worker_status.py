"""Tool-set methods for the worker's status: last tick, start lag, due backlog, stuck leases,
failure rates by skill and paused destinations, scoped to who reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assistant.tools.base import Actor, ToolsetBase
from assistant.tools.service_views import OpenBreaker, ServiceStatus, SkillFailureRate
from models.clock import utc
from models.store import listings as service_store
from models.store.automations import list_automations
from models.store.health import store_fault
from models.store.run_queue import stuck_lease_count
from models.store.workers import recent_summaries
from worker.delivery.webhook import webhook_destination

#: a worker that has not ticked for this long is reported as a problem
TICK_STALE_AFTER = timedelta(minutes=3)
FAILURE_WINDOW = timedelta(hours=24)


def _percentile(values: list[int], q: float) -> int | None:
    if not values:
        return None
    return values[min(len(values) - 1, int(q * len(values)))]


class StatusTools(ToolsetBase):
    """The worker's status, as `skilltick status` and /status read it."""

    def service_status(self, reader: Actor | None = None) -> ServiceStatus:
        """Last tick, start lag, due backlog, stuck leases and failure rate by skill; first of
        all, whether the database takes writes (when not, that is the one thing reported).
        A `reader` (a user of one organisation, admin or member) is shown failure rates of
        their own organisation's runs only and no other organisation's webhook host among the
        paused destinations; the whole service's are for its operators (a reader marked
        operator, or no reader: `skilltick status` on the host)."""
        problem = store_fault(self.engine, datetime.now(UTC))
        if problem is not None:
            return ServiceStatus(
                ok=False,
                now=datetime.now(UTC),
                last_tick_at=None,
                seconds_since_last_tick=None,
                workers_seen=0,
                lag_ms_p50=None,
                lag_ms_p95=None,
                due_occurrences=0,
                due_queued_runs=0,
                stuck_leases=0,
                failure_rate_by_skill={},
                problems=[f"{problem} Workers claim nothing until it takes writes again."],
                store_problem=problem,
            )
        now = self.clock()
        scope = reader.org_id if reader is not None and not reader.operator else None
        figures = service_store.service_figures(
            self.engine, now=now, window=FAILURE_WINDOW, org_id=scope
        )
        stuck = stuck_lease_count(self.engine, now=now)
        since = (now - figures.last_tick_at).total_seconds() if figures.last_tick_at else None
        problems = []
        if since is None:
            problems.append("No worker has ticked yet.")
        elif since > TICK_STALE_AFTER.total_seconds():
            problems.append(f"No worker has ticked for {int(since // 60)} minutes.")
        if stuck:
            problems.append(f"{stuck} running runs lost their worker (lease expired).")
        breakers = _open_breakers(self.engine, now)
        if scope is not None:
            breakers = _readable_breakers(self.engine, breakers, scope)
        for b in breakers:
            problems.append(
                f"Sends to {b.destination} are paused until {b.until:%H:%M:%S} UTC after "
                f"{b.failures} failures in a row (last error: {b.last_error})."
            )
        rates = {
            skill: SkillFailureRate(failed=f, finished=n, rate=round(f / n, 4) if n else 0)
            for skill, (f, n) in sorted(figures.failures_by_skill.items())
        }
        return ServiceStatus(
            ok=not problems,
            now=now,
            last_tick_at=figures.last_tick_at,
            seconds_since_last_tick=round(since, 3) if since is not None else None,
            workers_seen=figures.workers_seen,
            lag_ms_p50=_percentile(figures.recent_lag_ms, 0.5),
            lag_ms_p95=_percentile(figures.recent_lag_ms, 0.95),
            due_occurrences=figures.due_occurrences,
            due_queued_runs=figures.due_queued_runs,
            stuck_leases=stuck,
            failure_rate_by_skill=rates,
            open_breakers=breakers,
            problems=problems,
        )


def _open_breakers(engine: Any, now: datetime) -> list[OpenBreaker]:
    """Breakers the recently ticking workers reported open and not yet due to close."""
    found: dict[str, OpenBreaker] = {}
    for summary in recent_summaries(engine, now - TICK_STALE_AFTER):
        for raw in summary.get("open_breakers") or []:
            try:
                breaker = OpenBreaker.model_validate(raw)
            except ValueError:
                continue
            if utc(breaker.until) > now and breaker.destination not in found:
                found[breaker.destination] = breaker
    return [found[d] for d in sorted(found)]


#: how a webhook host is named among the paused destinations (worker.delivery.webhook)
WEBHOOK_DESTINATION = "webhook "


def _readable_breakers(engine: Any, breakers: list[OpenBreaker], org_id: int) -> list[OpenBreaker]:
    """The shared destinations (the mail server, Slack) and the organisation's own webhook
    hosts: another organisation's webhook host (and its answer) is not theirs to see."""
    if not any(b.destination.startswith(WEBHOOK_DESTINATION) for b in breakers):
        return breakers  # the usual case: no organisation's automations to read
    ours = {
        webhook_destination(str(url))
        for auto in list_automations(engine, org_id, system=None)
        if auto.output_channel == "webhook"
        for url in (auto.output_config or {}).get("to", [])
    }
    return [
        b
        for b in breakers
        if not b.destination.startswith(WEBHOOK_DESTINATION) or b.destination in ours
    ]
