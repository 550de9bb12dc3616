"""Failures at tick level, on both stores: retries with backoff, pause after failed occurrences,
owner notices (at most one an hour, the rest in a digest; a pause at once), permanent errors, paused mid-flight.

Retries come due at the failed attempt's time + 1 or 2 min; the tick's clock runs on from its fixed
instant by the time the tick itself takes, so the ticks below come a few seconds after each.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.errors import DeliveryError
from models.store.automations import save_automation
from models.tables.automations import Automation
from tests.worker.tick.tick_support import at, hm, new_worker, reload, runs_of
from worker.delivery.base import Message, Recipient
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 8, 55, tzinfo=UTC)
SLACK = timedelta(seconds=5)


class FailingChannel:
    """Registered as "email": every send raises DeliveryError."""

    name = "email"
    records_deliveries = True

    def __init__(self, *, retryable: bool) -> None:
        self.retryable = retryable
        self.calls = 0

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        self.calls += 1
        raise DeliveryError("the mail server is unavailable", retryable=self.retryable)


class Inbox:
    """A working channel for owner notices ("notify"): keeps what it is given."""

    name = "notify"
    records_deliveries = False

    def __init__(self) -> None:
        self.messages: list[tuple[str, Message]] = []

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        self.messages.append((recipient.address, message))


def _setup(
    engine: Engine, *, retryable: bool
) -> tuple[Any, Automation, Worker, FailingChannel, Inbox]:
    org = make_org(engine, NOW)
    # notices go back where the automation was set up (origin); here a working "notify" channel
    auto = make_automation(
        engine,
        org,
        NOW,
        cron="*/10 * * * *",
        channel="email",
        name="Weekly pipeline",
        origin={"channel": "notify"},
    )
    failing, inbox = FailingChannel(retryable=retryable), Inbox()
    return org, auto, new_worker(engine, email=failing, notify=inbox), failing, inbox


def _fail_occurrence(engine: Engine, worker: Worker, auto: Automation, slot: datetime) -> None:
    """Tick the occurrence at `slot` and its two retries (+1 min, then +2 min)."""
    worker.tick(now=slot)
    attempt2 = slot + timedelta(minutes=1) + SLACK
    worker.tick(now=attempt2)
    worker.tick(now=attempt2 + timedelta(minutes=2) + SLACK)


def test_a_retryable_failure_retries_at_one_then_two_minutes_then_fails_the_occurrence(
    engine: Engine,
) -> None:
    org, auto, worker, failing, inbox = _setup(engine, retryable=True)

    report = worker.tick(now=at("2026-03-02T09:00:00Z"))
    assert report.statuses == {"failed": 1} and report.retries_queued == 1
    first, retry = runs_of(engine, auto)
    assert (first.attempt, first.status, first.error_code) == (1, "failed", "delivery_failed")
    assert "unavailable" in (first.error_message or "")
    assert (retry.attempt, retry.status, retry.retry_count) == (2, "pending", 1)
    assert retry.scheduled_for == first.scheduled_for
    assert abs(retry.not_before - at("2026-03-02T09:01:00Z")) < timedelta(seconds=2)
    assert reload(engine, auto).consecutive_failures == 0  # the occurrence is not over

    worker.tick(now=at("2026-03-02T09:00:30Z"))  # not yet due
    assert failing.calls == 1
    worker.tick(now=retry.not_before + SLACK)
    attempt2, attempt3 = runs_of(engine, auto)[1:]
    assert (attempt2.attempt, attempt2.status) == (2, "failed")
    assert (attempt3.attempt, attempt3.status) == (3, "pending")
    assert attempt2.started_at is not None
    assert attempt3.not_before - attempt2.started_at >= timedelta(minutes=2)
    assert attempt3.not_before - attempt2.started_at < timedelta(minutes=2, seconds=2)

    worker.tick(now=attempt3.not_before + SLACK)
    runs = runs_of(engine, auto)
    assert [(r.attempt, r.status) for r in runs] == [(1, "failed"), (2, "failed"), (3, "failed")]
    assert failing.calls == 3
    stored = reload(engine, auto)
    assert stored.consecutive_failures == 1
    assert (stored.enabled, stored.status, stored.next_run_at) == (
        True,
        "idle",
        at("2026-03-02T09:10:00Z"),
    )
    (notice,) = inbox.messages  # the owner hears about it at once, in plain words
    assert notice[0] == org.member_email
    assert "failed after 3 attempts: the mail server is unavailable" in notice[1].text
    assert "run again at its next scheduled time" in notice[1].text


def test_three_failed_occurrences_pause_the_automation_and_the_pause_is_told_at_once(
    engine: Engine,
) -> None:
    org, auto, worker, failing, inbox = _setup(engine, retryable=True)
    for slot in ("09:00", "09:10", "09:20"):
        _fail_occurrence(engine, worker, auto, at(f"2026-03-02T{slot}:00Z"))
    assert failing.calls == 9

    stored = reload(engine, auto)
    assert (stored.enabled, stored.status, stored.consecutive_failures) == (False, "failed", 3)
    assert stored.paused_reason
    occurrences = {hm(r.scheduled_for) for r in runs_of(engine, auto)}
    assert occurrences == {"09:00", "09:10", "09:20"}

    # the first failure is told at once; the 09:10 one waits for the hour, but the pause does
    # not: the first message promised another run, which will not come
    assert len(inbox.messages) == 2
    assert "It will run again" in inbox.messages[0][1].text
    address, digest = inbox.messages[1]
    assert address == org.member_email
    assert digest.subject == "Paused: Weekly pipeline"
    assert "failed 3 times in a row, so I paused it" in digest.text  # the newest, on top
    assert "Earlier since my last message (1 more)" in digest.text
    assert "failed after 3 attempts" in digest.text.split("Earlier")[1]  # the held 09:10 one
    assert "It will run again" not in digest.text  # no longer true under the pause

    worker.tick(now=at("2026-03-02T09:30:00Z"))  # paused: nothing runs, nothing is sent
    worker.tick(now=at("2026-03-02T10:05:00Z"))
    worker.tick(now=at("2026-03-02T11:10:00Z"))
    assert failing.calls == 9 and len(runs_of(engine, auto)) == 9
    assert len(inbox.messages) == 2  # nothing is told twice


def test_a_permanent_error_does_not_retry(engine: Engine) -> None:
    _, auto, worker, failing, inbox = _setup(engine, retryable=False)
    report = worker.tick(now=at("2026-03-02T09:00:00Z"))
    assert report.retries_queued == 0
    worker.tick(now=at("2026-03-02T09:05:00Z"))
    (run,) = runs_of(engine, auto)
    assert (run.attempt, run.status, run.error_code) == (1, "failed", "delivery_failed")
    assert failing.calls == 1
    assert reload(engine, auto).consecutive_failures == 1
    assert "failed after 1 attempt: " in inbox.messages[0][1].text


def test_a_run_whose_automation_was_paused_before_it_executed_is_skipped_paused(
    engine: Engine,
) -> None:
    _, auto, worker, failing, _ = _setup(engine, retryable=True)
    worker.tick(now=at("2026-03-02T09:00:00Z"))  # attempt 1 fails; attempt 2 is queued
    save_automation(
        engine,
        reload(engine, auto),
        {"enabled": False, "status": "paused", "paused_reason": "by owner"},
    )
    worker.tick(now=at("2026-03-02T09:01:00Z") + SLACK)

    _, second = runs_of(engine, auto)
    assert (second.attempt, second.status, second.skipped_reason) == (2, "skipped", "paused")
    assert failing.calls == 1  # nothing was sent
    stored = reload(engine, auto)
    assert (stored.enabled, stored.status, stored.consecutive_failures) == (False, "paused", 0)
