"""A retry acts on what its occurrence's first attempt matched: an application arriving between
the attempts is left for the next occurrence, over real SMTP on loopback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bench.kit.factories import OrgFixture, make_automation
from models.engine import session_scope
from models.settings import load_settings
from models.store.orgs import get_user
from models.store.run_history import get_run
from models.tables.demo_ats import AtsApplication, AtsCandidate, AtsJob
from skills.ats.seed import seed_demo
from tests.worker.delivery.test_delivery import Mailbox, free_port, smtp_server  # noqa: F401
from tests.worker.tick.tick_support import runs_of
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SLOT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SLACK = timedelta(seconds=5)


def candidate_targets(engine: Engine, org_id: int, run_id: int) -> set[str]:
    detail = get_run(engine, org_id, run_id)
    return {t.target_ref for t in detail.targets if t.target_type == "candidate"}


def test_a_retry_sends_the_candidates_its_first_attempt_matched_not_a_newer_one(
    engine: Engine,
    smtp_server: Callable[[int | None], Mailbox],  # noqa: F811
) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=30)
    owner = get_user(engine, demo.member_ids[0])
    org = OrgFixture(demo.org_id, demo.admin_id, owner.id or 0, "", owner.email)
    auto = make_automation(
        engine,
        org,
        NOW,
        cron="0 9 * * *",
        skill="new-candidate-alert",
        channel="email",
        params={"since_hours": 24 * 30},
        name="New applicants",
    )
    port = free_port()  # the mail server is down for the first attempt
    worker = Worker(
        engine, load_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_timeout_seconds=5.0)
    )
    worker.tick(now=SLOT)
    first, retry = runs_of(engine, auto)
    assert (first.attempt, first.status, retry.attempt) == (1, "failed", 2)
    matched = candidate_targets(engine, demo.org_id, first.id or 0)
    assert len(matched) >= 2

    # an application arrives between the attempts
    with session_scope(engine) as s:
        job_id = s.scalars(select(col(AtsJob.id)).where(col(AtsJob.org_id) == demo.org_id)).first()
        newcomer = AtsCandidate(
            org_id=demo.org_id,
            first_name="Zelda",
            last_name="Latecomer",
            email="zelda@example.test",
            created_at=SLOT + timedelta(seconds=20),
        )
        s.add(newcomer)
        s.flush()
        s.add(
            AtsApplication(
                org_id=demo.org_id,
                candidate_id=newcomer.id or 0,
                job_id=job_id or 0,
                stage="Applied",
                priority="high",
                applied_at=SLOT + timedelta(seconds=20),
                stage_changed_at=SLOT + timedelta(seconds=20),
            )
        )
        newcomer_id = str(newcomer.id)

    mailbox = smtp_server(port)
    worker.tick(now=retry.not_before + SLACK)
    second = runs_of(engine, auto)[1]
    assert (second.attempt, second.status) == (2, "completed")
    assert candidate_targets(engine, demo.org_id, second.id or 0) == matched
    assert newcomer_id not in matched
    assert "targets_reevaluated" not in second.metrics
    (message,) = mailbox.messages
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Latecomer" not in text
    assert f"{len(matched)} new applicant" in text

    # the next occurrence is the one that tells about her
    worker.tick(now=SLOT + timedelta(days=1))
    with Session(engine) as s:
        assert s.get(AtsCandidate, int(newcomer_id)) is not None
    latest = runs_of(engine, auto)[-1]
    assert latest.status == "completed"
    assert newcomer_id in candidate_targets(engine, demo.org_id, latest.id or 0)
