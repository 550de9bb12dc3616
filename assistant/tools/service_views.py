"""Typed outputs of the service's tool-set methods (pages, tokens, plan, status, outbox).
Like assistant.tools.views: no secrets except a token's own secret, once, when it is created."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from assistant.tools.views import AutomationView, RunView


class AutomationPage(BaseModel):
    """One page of automations, oldest first; pass `next_cursor` back for the next page."""

    items: list[AutomationView]
    next_cursor: int | None = Field(description="Cursor of the next page; null on the last.")


class RunPage(BaseModel):
    """One page of runs, newest first; pass `next_cursor` back for older runs."""

    items: list[RunView]
    next_cursor: int | None = Field(description="Cursor of the next page; null on the last.")
    note: str | None = Field(
        default=None,
        description="Runs this month beyond the plan's logged-run quota, which ran but keep "
        "no history row; null when every run is listed.",
    )


class ApiTokenView(BaseModel):
    id: int
    name: str
    user_email: str
    hint: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None = Field(default=None, description="None: until revoked.")


class IssuedToken(ApiTokenView):
    token: str = Field(description="The bearer token. Shown once; only its hash is stored.")


class LoginOffer(BaseModel):
    """Whom a login link signs in, shown before the browser is signed in."""

    name: str
    email: str
    org_name: str


class OrgView(BaseModel):
    id: int
    slug: str
    name: str
    plan: str
    timezone: str


class MemberSummary(BaseModel):
    email: str
    name: str
    role: str
    active: int
    paused: int
    failed: int


class OrgOverview(BaseModel):
    """An admin's view of the whole organisation."""

    org: OrgView
    members: list[MemberSummary]
    plans: list[str]


class SkillFailureRate(BaseModel):
    failed: int
    finished: int
    rate: float = Field(description="failed / finished over the window, 0 when none ran.")


class OpenBreaker(BaseModel):
    """A destination (mail server, webhook host, Slack) failing fast after repeated outages."""

    destination: str
    failures: int
    since: datetime | None
    until: datetime
    last_error: str


class ServiceStatus(BaseModel):
    """How the worker is doing, from the database (any host's workers)."""

    ok: bool = Field(description="False when no worker ticked recently or leases are stuck.")
    now: datetime
    last_tick_at: datetime | None
    seconds_since_last_tick: float | None
    workers_seen: int
    lag_ms_p50: int | None = Field(description="Start lag of runs in the last hour.")
    lag_ms_p95: int | None
    due_occurrences: int = Field(description="Cron/poll occurrences due and not claimed yet.")
    due_queued_runs: int = Field(description="Queued runs (manual, retries, events) due now.")
    stuck_leases: int = Field(description="Running runs whose worker stopped renewing.")
    failure_rate_by_skill: dict[str, SkillFailureRate] = Field(
        description="Over the last 24 hours, test runs excluded; the whole service's for an "
        "admin or the operator, the reader's organisation's runs only for a member."
    )
    open_breakers: list[OpenBreaker] = Field(
        default_factory=list,
        description="Destinations sends to which are paused after failing in a row.",
    )
    problems: list[str] = Field(description="What is wrong, in words; empty when ok.")
    store_problem: str | None = Field(
        default=None,
        description="Why the database cannot take writes now (workers then claim nothing).",
    )


class OutboxItem(BaseModel):
    id: int
    to: str
    subject: str
    created_at: datetime


class OutboxMessageView(OutboxItem):
    message_id: str
    text: str
    html: str | None
    raw: str


class OutboxPage(BaseModel):
    items: list[OutboxItem]
    next_cursor: int | None
