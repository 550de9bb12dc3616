"""Pause until an instant, on both stores: the automation stays paused up to that instant,
resumes by itself at the first tick from then on (whichever path drives the tick), its
missed-run policy settles the paused time, and its owner is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_string
from email.policy import default

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.deliveries import list_outbox
from models.store.orgs import get_user
from models.store.pauses import next_pause_end
from tests.worker.tick.tick_support import at, hm, new_worker, runs_of

PAUSED_AT = datetime(2026, 3, 2, 8, 55, tzinfo=UTC)
UNTIL = at("2026-03-02T09:30:00Z")


def _paused_every_five_minutes(engine: Engine, policy: str) -> tuple[Toolset, Actor, int]:
    org = make_org(engine, PAUSED_AT)
    auto = make_automation(engine, org, PAUSED_AT, cron="*/5 * * * *", misfire_policy=policy)
    tools = Toolset(engine, load_settings(), clock=lambda: PAUSED_AT)
    owner = Actor.of(get_user(engine, org.member_id))
    tools.pause(owner, auto.id or 0, until=UNTIL)
    return tools, owner, auto.id or 0


@pytest.mark.parametrize("policy", ["latest", "skip"])
def test_a_pause_until_ends_by_itself_and_the_missed_run_policy_covers_the_paused_time(
    engine: Engine, policy: str
) -> None:
    tools, owner, auto_id = _paused_every_five_minutes(engine, policy)
    worker = new_worker(engine)
    for now in ("2026-03-02T09:00:00Z", "2026-03-02T09:29:59Z"):
        report = worker.tick(now=at(now))
        assert report.resumed == [] and report.claimed == 0
    auto = tools.get_automation(owner, auto_id)
    assert not auto.enabled and auto.paused_until == UNTIL
    assert next_pause_end(engine) == UNTIL

    report = worker.tick(now=UNTIL)
    assert report.resumed == [auto_id]
    resumed = tools.get_automation(owner, auto_id)
    assert resumed.enabled and resumed.status != "paused" and resumed.paused_until is None
    runs = runs_of(engine, get_automation(engine, owner.org_id, auto_id))
    # 09:00 .. 09:25 fell in the pause; 09:30 is the first occurrence after it
    assert [(hm(r.scheduled_for), r.status, r.missed_count) for r in runs] == (
        [("09:30", "completed", 6)]
        if policy == "latest"
        else [("09:25", "skipped", 6), ("09:30", "completed", 0)]
    )
    assert next_pause_end(engine) is None
    # a second worker ticking the same instant resumes nothing twice
    assert new_worker(engine).tick(now=UNTIL + timedelta(seconds=1)).resumed == []

    mail = [m for m in list_outbox(engine) if m.subject.startswith("Resumed:")]
    assert len(mail) == 1 and mail[0].to_addr == owner.email
    body = message_from_string(mail[0].raw, policy=default).get_body(("plain",))
    assert body is not None
    assert "resumed by itself at Mon 02 Mar 09:30 UTC" in body.get_content()


def test_why_says_when_a_pause_ends_and_never_that_it_is_paused_after_that(
    engine: Engine,
) -> None:
    tools, owner, auto_id = _paused_every_five_minutes(engine, "latest")
    before = tools.why(owner, auto_id).answer
    assert "paused until Mon 02 Mar 2026 09:30 UTC" in before and "resumes by itself" in before
    tools.clock = lambda: UNTIL + timedelta(minutes=2)
    late = tools.why(owner, auto_id).answer
    assert "paused until" not in late and "next tick" in late
    new_worker(engine).tick(now=UNTIL + timedelta(minutes=2))
    resumed = tools.why(owner, auto_id).answer
    assert "It is paused" not in resumed and "pause ended" not in resumed


def test_a_pause_without_an_end_never_resumes_by_itself(engine: Engine) -> None:
    org = make_org(engine, PAUSED_AT)
    auto = make_automation(engine, org, PAUSED_AT, cron="*/5 * * * *")
    tools = Toolset(engine, load_settings(), clock=lambda: PAUSED_AT)
    owner = Actor.of(get_user(engine, org.member_id))
    tools.pause(owner, auto.id or 0)
    report = new_worker(engine).tick(now=PAUSED_AT + timedelta(days=30))
    assert report.resumed == [] and not tools.get_automation(owner, auto.id or 0).enabled
