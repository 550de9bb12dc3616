"""Operations endpoints: /healthz, /status, /metrics and POST /cron/tick, which lets
an external scheduler (system cron, a Kubernetes CronJob, EventBridge) drive the worker.

The endpoints are defined by _router, which imports FastAPI, and the metrics by
store_collector, which imports the Prometheus client; the endpoints' annotations are evaluated
there (no postponed annotations), so FastAPI reads real types."""

import hmac
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assistant.app import AppContext
from assistant.http.api_edge import ErrorBody, Unauthenticated, api_route, bearer, context
from assistant.http.dashboard.support import SESSION_COOKIE
from assistant.tools.service_views import ServiceStatus
from assistant.tools.toolset import Actor
from models.errors import PermissionDenied, StoreUnavailable
from models.store.health import store_fault
from models.store.listings import LAG_BUCKETS_SECONDS, metric_figures

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI
    from fastapi.security import HTTPAuthorizationCredentials
    from prometheus_client.registry import Collector


class Health(BaseModel):
    ok: bool = Field(description="The process answers and the database takes writes.")


class TickResult(BaseModel):
    """What one tick did."""

    worker_id: str
    now: str
    occurrences: int
    claimed: int
    rescued: int
    statuses: dict[str, int]
    skipped_reasons: dict[str, int]
    retries_queued: int
    paused: list[int]
    duration_ms: int
    report: dict[str, Any] = Field(description="The full tick report.")


def check_reader(
    request: Request, credentials: "HTTPAuthorizationCredentials | None"
) -> Actor | None:
    """/status and /metrics answer a bearer API token or a dashboard session, unless the
    status_auth setting is off (`serve --demo` turns it off unless it is set). The reader
    (None when the setting is off)."""
    ctx = context(request)
    if not ctx.settings.service.status_needs_auth:
        return None
    # a scrape every few seconds reads the token and never writes its last use
    token = credentials.credentials if credentials is not None else ""
    actor = ctx.tools.actor_for_token(token, record_use=False) if token else None
    if actor is not None:
        return actor
    session = request.cookies.get(SESSION_COOKIE, "")
    actor = ctx.tools.actor_for_session(session) if session else None
    if actor is not None:
        return actor
    raise Unauthenticated(
        "Send an API token (`Authorization: Bearer <token>`, from `skilltick tokens create`) "
        "or sign in to the dashboard first."
    )


UNAUTHENTICATED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid API token or session."}
}


def store_collector(ctx: AppContext) -> "Collector":
    """Metric families computed from the database at each scrape (any host's workers count)."""
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
    from prometheus_client.registry import Collector

    class StoreCollector(Collector):
        """Metric families computed from the database at each scrape (any host's workers count)."""

        def __init__(self, ctx: AppContext) -> None:
            self.ctx = ctx

        def collect(self) -> Iterator[Any]:
            figures = metric_figures(self.ctx.engine)
            runs = GaugeMetricFamily(
                "skilltick_runs",
                "Runs in the history by status and trigger.",
                labels=["status", "triggered_by"],
            )
            for (run_status, by), n in sorted(figures.runs_by_status.items()):
                runs.add_metric([run_status, by], n)
            yield runs
            bounds = [str(b) for b in LAG_BUCKETS_SECONDS] + ["+Inf"]
            yield HistogramMetricFamily(
                "skilltick_run_lag_seconds",
                "Run start lag (started_at - scheduled_for).",
                buckets=list(
                    zip(bounds, (float(c) for c in figures.lag_bucket_counts), strict=True)
                ),
                sum_value=figures.lag_sum_seconds,
            )
            deliveries = CounterMetricFamily(
                "skilltick_deliveries",
                "Deliveries by channel and status.",
                labels=["channel", "status"],
            )
            for (channel, delivery_status), n in sorted(figures.deliveries.items()):
                deliveries.add_metric([channel, delivery_status], n)
            yield deliveries

    return StoreCollector(ctx)


def _router() -> "APIRouter":
    from fastapi import APIRouter, Depends, Header
    from fastapi.security import HTTPAuthorizationCredentials
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    def signed_in_reader(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer())
    ) -> Actor | None:
        return check_reader(request, credentials)

    router = APIRouter(route_class=api_route(), tags=["operations"])

    @router.get(
        "/healthz",
        response_model=Health,
        responses={503: {"model": ErrorBody, "description": "The database cannot take writes."}},
    )
    def healthz(request: Request) -> Health:
        """Health: the process answers and its database takes a write (for SQLite, in the very
        file it opened: not deleted, replaced or read-only)."""
        problem = store_fault(context(request).engine, datetime.now(UTC))
        if problem is not None:
            raise StoreUnavailable(problem)
        return Health(ok=True)

    @router.get(
        "/status",
        response_model=ServiceStatus,
        responses={
            503: {"model": ServiceStatus, "description": "The database cannot take writes."},
            **UNAUTHENTICATED,
        },
    )
    def status(
        request: Request, reader: Actor | None = Depends(signed_in_reader)
    ) -> ServiceStatus | JSONResponse:
        """The worker at a glance: last tick, start lag, due backlog, stuck leases and failure rate
        by skill, with problems in words. No records and no personal data; an organisation's
        users (admins and members) see failure rates of their organisation's runs and, of the
        webhook hosts whose sends are paused, their organisation's only; an operator of the
        service (`skilltick operators add`) sees the whole service's. 503 (with the same body)
        while the database cannot take writes. Needs an API token or a dashboard session (the
        status_auth setting)."""
        report = context(request).tools.service_status(reader)
        if report.store_problem is not None:
            return JSONResponse(report.model_dump(mode="json"), status_code=503)
        return report

    @router.get(
        "/metrics",
        response_class=Response,
        responses={
            200: {
                "content": {"text/plain": {"schema": {"type": "string"}}},
                "description": "Prometheus text exposition format.",
            },
            **UNAUTHENTICATED,
            403: {
                "model": ErrorBody,
                "description": "Not an operator's token: the figures are the whole service's.",
            },
        },
    )
    def metrics(request: Request, reader: Actor | None = Depends(signed_in_reader)) -> Response:
        """Prometheus metrics, read from the database at scrape time: runs by status, run start
        lag histogram, deliveries by channel and status (and webhook outcomes once ATS webhooks
        record them). They count the whole service: they need the API token or dashboard
        session of one of its operators (`skilltick operators add`; the status_auth setting)."""
        if reader is not None and not reader.operator:
            raise PermissionDenied(
                "/metrics counts the whole service's runs; only an operator's token reads it "
                "(the host makes a user one with `skilltick operators add`)."
            )
        registry: CollectorRegistry = request.app.state.metrics_registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @router.post(
        "/cron/tick",
        response_model=TickResult,
        responses={401: {"model": ErrorBody, "description": "Missing or wrong secret."}},
    )
    def cron_tick(
        request: Request,
        authorization: Annotated[
            str | None, Header(description="Bearer <SKILLTICK_CRON_SECRET>")
        ] = None,
    ) -> TickResult:
        """Run one worker tick now (claim what is due, execute, deliver) and return its report.
        Needs `Authorization: Bearer <SKILLTICK_CRON_SECRET>`; refused when the secret is unset."""
        expected = context(request).settings.service.bearer_secret()
        if expected is None:
            raise Unauthenticated("The tick endpoint is closed: set SKILLTICK_CRON_SECRET.")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), expected.encode()
        ):
            raise Unauthenticated("Missing or wrong cron secret.")
        ctx = context(request)
        report = ctx.build_worker().tick()
        data = report.as_dict()
        return TickResult(
            worker_id=report.worker_id,
            now=data["now"],
            occurrences=report.occurrences,
            claimed=report.claimed,
            rescued=report.rescued,
            statuses=data["statuses"],
            skipped_reasons=data["skipped_reasons"],
            retries_queued=report.retries_queued,
            paused=report.paused,
            duration_ms=report.duration_ms,
            report=data,
        )

    return router


def install(app: "FastAPI", ctx: AppContext) -> None:
    """Add the operations routes; a placeholder cron secret stops the app here."""
    from prometheus_client import CollectorRegistry

    ctx.settings.service.check()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(store_collector(ctx))
    app.state.metrics_registry = registry
    app.include_router(_router())
